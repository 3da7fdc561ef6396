import { z } from 'zod';
import { ApiError } from './api-client';

// Two-step sign-in (a TOTP code from an authenticator app, or a single-use recovery code) as the
// portal's forms see it: the challenge a right password answers with, the fields' rules, and the
// recovery codes' file.

/** The second step a sign-in waits for: a code (the account has a factor) or enrolling one (it must have one). */
export interface SignInChallenge {
  kind: 'verify' | 'enrol';
  challengeToken: string;
  /** Seconds the challenge lasts (5 minutes). */
  expiresIn: number;
}

/** The challenge in a refused sign-in (`401 AUTH.MFA_REQUIRED` or `AUTH.MFA_ENROLMENT_REQUIRED`), or null when it is another refusal. */
export function signInChallengeOf(error: unknown): SignInChallenge | null {
  if (!(error instanceof ApiError) || error.status !== 401) return null;
  const kind = error.code === 'AUTH.MFA_REQUIRED' ? 'verify' : error.code === 'AUTH.MFA_ENROLMENT_REQUIRED' ? 'enrol' : null;
  const { challengeToken, expiresIn } = error.extensions;
  if (!kind || typeof challengeToken !== 'string' || challengeToken.length === 0) return null;
  return { kind, challengeToken, expiresIn: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 300 };
}

const CODE_PATTERN = /^\d{6}$/;
const withoutSpaces = (code: string) => code.replace(/\s+/g, '');

/** The 6 digits an authenticator app shows; spaces (`123 456`) are dropped as the API drops them. */
export const codeFieldSchema = z
  .string()
  .refine((code) => CODE_PATTERN.test(withoutSpaces(code)), { error: 'Enter the 6-digit code your authenticator app shows' });

/** The fields of a second factor in a form: a code from the app, or — switched to it — a recovery code. */
export const secondFactorShape = { useRecoveryCode: z.boolean(), code: z.string(), recoveryCode: z.string() };

/** Checks whichever of the two the person chose to type (one schema for both, so a form switches without a new resolver). */
export function checkSecondFactor(values: { useRecoveryCode: boolean; code: string; recoveryCode: string }, context: z.RefinementCtx): void {
  if (values.useRecoveryCode) {
    const recoveryCode = values.recoveryCode.trim();
    if (recoveryCode.length === 0) context.addIssue({ code: 'custom', path: ['recoveryCode'], message: 'Enter one of your recovery codes' });
    else if (recoveryCode.length > 64) context.addIssue({ code: 'custom', path: ['recoveryCode'], message: 'A recovery code is shorter than that' });
  } else if (!CODE_PATTERN.test(withoutSpaces(values.code))) {
    context.addIssue({ code: 'custom', path: ['code'], message: 'Enter the 6-digit code your authenticator app shows' });
  }
}

export const secondFactorFormSchema = z.object(secondFactorShape).superRefine(checkSecondFactor);
export type SecondFactorValues = z.infer<typeof secondFactorFormSchema>;
export const NO_SECOND_FACTOR: SecondFactorValues = { useRecoveryCode: false, code: '', recoveryCode: '' };

/** The body part the API wants: `{ code }` or `{ recoveryCode }`, never both. */
export function secondFactorBody(values: SecondFactorValues): { code: string } | { recoveryCode: string } {
  return values.useRecoveryCode ? { recoveryCode: values.recoveryCode.trim() } : { code: withoutSpaces(values.code) };
}

/** The secret as people type it into an app: groups of four. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The text file of recovery codes a person downloads and keeps. */
export function recoveryCodesFile(codes: readonly string[], account: string, createdAt = new Date()): string {
  return [
    `Service desk recovery codes for ${account}`,
    `Made ${createdAt.toISOString().slice(0, 10)}. Each code signs you in once when you do not have your authenticator app.`,
    'Making new codes replaces all of these.',
    '',
    ...codes,
    '',
  ].join('\n');
}
