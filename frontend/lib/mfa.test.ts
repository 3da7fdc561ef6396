import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from './api-client';
import { groupedSecret, recoveryCodesFile, secondFactorBody, secondFactorFormSchema, signInChallengeOf } from './mfa';
import { SessionStore } from './session-store';

const user = { id: '11111111-1111-4111-8111-111111111111', email: 'ana@example.com', fullName: 'Ana', role: 'reporter', departmentId: null, isActive: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' } as const;

const problem = (status: number, body: Record<string, unknown>) => new Response(JSON.stringify({ type: 'about:blank', status, ...body }), { status, headers: { 'Content-Type': 'application/problem+json' } });

describe('the second step of a sign-in', () => {
  test('a right password on an account with a factor is a challenge to answer; enrolment is one too; other refusals are not', async () => {
    const verify = await ApiError.fromResponse(problem(401, { title: 'A second factor is needed to sign in', code: 'AUTH.MFA_REQUIRED', challengeToken: 'c-1', expiresIn: 300, requestId: 'r' }));
    assert.deepEqual(verify.extensions, { challengeToken: 'c-1', expiresIn: 300 }, 'the problem\'s own members are not extensions');
    assert.deepEqual(signInChallengeOf(verify), { kind: 'verify', challengeToken: 'c-1', expiresIn: 300 });
    const enrol = await ApiError.fromResponse(problem(401, { title: 'Set up a second factor to sign in', code: 'AUTH.MFA_ENROLMENT_REQUIRED', challengeToken: 'c-2', expiresIn: 300 }));
    assert.equal(signInChallengeOf(enrol)?.kind, 'enrol');
    const wrongPassword = await ApiError.fromResponse(problem(401, { title: 'Email or password is not correct', code: 'AUTH.INVALID_CREDENTIALS' }));
    assert.equal(signInChallengeOf(wrongPassword), null);
    const noToken = await ApiError.fromResponse(problem(401, { title: 'x', code: 'AUTH.MFA_REQUIRED' }));
    assert.equal(signInChallengeOf(noToken), null);
    assert.equal(signInChallengeOf(new Error('offline')), null);
  });

  test('the store sends the challenge and the code to the portal\'s route, and is signed in with the answer; an enrolling sign-in hands back its recovery codes', async () => {
    const sent: { url: string; body: unknown }[] = [];
    const answers = [
      Response.json({ accessToken: 'a-1', expiresIn: 900, user }),
      Response.json({ accessToken: 'a-2', expiresIn: 900, user, recoveryCodes: ['aaaaa-bbbbb', 'ccccc-ddddd'] }),
      Response.json({ secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrCode: 'data:image/svg+xml;base64,', expiresAt: '2026-01-01T00:15:00Z' }),
    ];
    const store = new SessionStore({
      fetch: ((url: string, init: RequestInit) => {
        sent.push({ url, body: JSON.parse(init.body as string) });
        return Promise.resolve(answers.shift()!);
      }) as typeof fetch,
    });
    assert.deepEqual(await store.completeSignIn({ challengeToken: 'c-1', code: '123456' }), { user, recoveryCodes: undefined });
    assert.equal(store.current(), 'a-1');
    assert.equal(store.getSnapshot().status, 'signed-in');
    assert.deepEqual((await store.completeSignIn({ challengeToken: 'c-2', code: '654321' })).recoveryCodes, ['aaaaa-bbbbb', 'ccccc-ddddd']);
    assert.equal((await store.startSignInEnrolment('c-3')).secret, 'JBSWY3DPEHPK3PXP');
    assert.deepEqual(sent, [
      { url: '/api/session/mfa', body: { challengeToken: 'c-1', code: '123456' } },
      { url: '/api/session/mfa', body: { challengeToken: 'c-2', code: '654321' } },
      { url: '/api/session/mfa/setup', body: { challengeToken: 'c-3' } },
    ]);
  });

  test('a wrong code is an error with its field, and the person stays signed out', async () => {
    const store = new SessionStore({
      fetch: (() => Promise.resolve(problem(401, { title: 'The code is not correct', code: 'AUTH.MFA_CODE_INVALID', errors: [{ location: 'body', path: '/code', message: 'Does not match your authenticator app' }] }))),
    });
    const error = await store.completeSignIn({ challengeToken: 'c', code: '000000' }).then(
      () => assert.fail('signed in with a wrong code'),
      (caught: unknown) => caught as ApiError,
    );
    assert.equal(error.code, 'AUTH.MFA_CODE_INVALID');
    assert.equal(error.fieldErrors[0]?.path, '/code');
    assert.equal(store.current(), null);
  });
});

describe('the second factor fields', () => {
  const parse = (values: { useRecoveryCode: boolean; code: string; recoveryCode: string }) => {
    const result = secondFactorFormSchema.safeParse(values);
    return result.success ? 'ok' : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  test('a code is 6 digits (spaces allowed, as apps show them); a recovery code is anything typed; only the chosen one is checked', () => {
    assert.equal(parse({ useRecoveryCode: false, code: '123 456', recoveryCode: '' }), 'ok');
    assert.deepEqual(parse({ useRecoveryCode: false, code: '12345', recoveryCode: 'ignored' }), ['code: Enter the 6-digit code your authenticator app shows']);
    assert.deepEqual(parse({ useRecoveryCode: false, code: 'abcdef', recoveryCode: '' }), ['code: Enter the 6-digit code your authenticator app shows']);
    assert.equal(parse({ useRecoveryCode: true, code: 'not checked', recoveryCode: 'abcde-12345' }), 'ok');
    assert.deepEqual(parse({ useRecoveryCode: true, code: '123456', recoveryCode: '  ' }), ['recoveryCode: Enter one of your recovery codes']);
  });

  test('the body carries the chosen one only, as the API wants', () => {
    assert.deepEqual(secondFactorBody({ useRecoveryCode: false, code: ' 123 456 ', recoveryCode: 'x' }), { code: '123456' });
    assert.deepEqual(secondFactorBody({ useRecoveryCode: true, code: '123456', recoveryCode: ' abcde-12345 ' }), { recoveryCode: 'abcde-12345' });
  });

  test('the key is shown in groups of four; the recovery codes file names the account and lists every code', () => {
    assert.equal(groupedSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    assert.equal(groupedSecret('ABCDEF'), 'ABCD EF');
    const file = recoveryCodesFile(['aaaaa-bbbbb', 'ccccc-ddddd'], 'ana@example.com', new Date('2026-03-01T10:00:00Z'));
    assert.match(file, /ana@example\.com/);
    assert.match(file, /2026-03-01/);
    assert.deepEqual(file.split('\n').filter((line) => /^\w{5}-\w{5}$/.test(line)), ['aaaaa-bbbbb', 'ccccc-ddddd']);
  });
});
