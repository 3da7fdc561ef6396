import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isHttps, isSameOrigin, sessionCookieOptions } from './server/session-cookie';
import { SessionStore } from './session-store';
import { slaBadge } from './sla';
import { parseServerSentEvents } from './sse';

const user = { id: '11111111-1111-4111-8111-111111111111', email: 'ana@example.com', fullName: 'Ana', role: 'reporter', departmentId: null, isActive: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' } as const;

describe('the session in the browser', () => {
  test('concurrent renewals in one tab share one request, so a rotating refresh token is presented once', async () => {
    let calls = 0;
    const fetchImpl = (() => {
      calls++;
      return new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({ accessToken: `token-${calls}`, expiresIn: 900, user })), 10));
    }) as typeof fetch;
    const store = new SessionStore({ fetch: fetchImpl });
    const tokens = await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    assert.deepEqual(tokens, ['token-1', 'token-1', 'token-1']);
    assert.equal(calls, 1);
    assert.equal(store.getSnapshot().status, 'signed-in');
    assert.equal(store.current(), 'token-1');
  });

  test('renewals go through the cross-tab lock, so two tabs never rotate the same token at once', async () => {
    const locked: string[] = [];
    const locks = { request: <T>(name: string, callback: () => Promise<T>) => (locked.push(name), callback()) };
    const store = new SessionStore({ fetch: (() => Promise.resolve(Response.json({ accessToken: 'a', expiresIn: 900, user }))), locks });
    await store.refresh();
    assert.deepEqual(locked, ['desk-session-refresh']);
  });

  test('with no session cookie (204) or a refused one (401), then the person is signed out and no token is kept', async () => {
    for (const status of [204, 401]) {
      const store = new SessionStore({ fetch: (() => Promise.resolve(new Response(null, { status }))) });
      assert.equal(await store.refresh(), null);
      assert.equal(store.getSnapshot().status, 'signed-out');
      assert.equal(store.current(), null);
    }
  });

  test('signing out forgets the access token even when the portal cannot be reached', async () => {
    const answers = [Promise.resolve(Response.json({ accessToken: 'a', expiresIn: 900, user })), Promise.reject(new TypeError('offline'))];
    const store = new SessionStore({ fetch: (() => answers.shift()!) });
    await store.signIn('ana@example.com', 'pw');
    await assert.rejects(store.signOut());
    assert.equal(store.current(), null);
    assert.equal(store.getSnapshot().status, 'signed-out');
  });
});

describe('the refresh token cookie', () => {
  test('is httpOnly, SameSite=Strict, scoped to the session routes, and Secure exactly when the portal is on HTTPS', () => {
    assert.deepEqual(sessionCookieOptions(false), { httpOnly: true, sameSite: 'strict', secure: false, path: '/api/session', maxAge: 30 * 86_400 });
    assert.equal(isHttps('http://portal:3000/api/session', 'https'), true, 'behind Traefik, which terminates TLS');
    assert.equal(isHttps('http://localhost:3000/api/session', null), false);
    assert.equal(isHttps('https://desk.example.com/api/session', null), true);
  });

  test('sign-in and refresh are refused from another site\'s page', () => {
    assert.equal(isSameOrigin('http://localhost:3000', 'localhost:3000', null), true);
    assert.equal(isSameOrigin('https://desk.example.com', 'frontend:3000', 'desk.example.com'), true);
    assert.equal(isSameOrigin('https://evil.example', 'localhost:3000', null), false);
    assert.equal(isSameOrigin(null, 'localhost:3000', null), true);
  });
});

describe('the SLA badge of a list row', () => {
  const base = { status: 'OPEN', respondedAt: null, resolvedAt: null, responseDueAt: '2026-01-01T10:00:00Z', resolutionDueAt: '2026-01-02T10:00:00Z', responseBreachedAt: null, resolutionBreachedAt: null, slaBreached: false } as const;
  const at = (iso: string) => Date.parse(iso);

  test('an open incident runs against its response target, then, once worked on, its resolution target', () => {
    assert.deepEqual(slaBadge(base, at('2026-01-01T07:00:00Z')), { tone: 'on-track', target: 'response', dueAt: base.responseDueAt });
    assert.equal(slaBadge(base, at('2026-01-01T09:30:00Z')).tone, 'due-soon');
    assert.deepEqual(slaBadge({ ...base, status: 'IN_PROGRESS', respondedAt: '2026-01-01T08:00:00Z' }, at('2026-01-01T09:30:00Z')), { tone: 'on-track', target: 'resolution', dueAt: base.resolutionDueAt });
  });

  test('an incident waiting on its reporter shows the paused clock, however long it waits; a breach still shows first', () => {
    const waiting = { ...base, status: 'IN_PROGRESS' as const, respondedAt: '2026-01-01T08:00:00Z', resolutionDueAt: null, waiting: { since: '2026-01-01T08:30:00Z', message: 'Which floor?', byId: null, expiresAt: null } };
    assert.deepEqual(slaBadge(waiting, at('2026-01-09T00:00:00Z')), { tone: 'waiting', target: 'resolution', dueAt: null });
    assert.equal(slaBadge({ ...waiting, slaBreached: true, responseBreachedAt: '2026-01-01T07:00:00Z' }, at('2026-01-09T00:00:00Z')).tone, 'breached');
  });

  test('a target past due shows as breached before the SLA job marks it; a marked breach stays after resolution', () => {
    assert.equal(slaBadge(base, at('2026-01-01T10:00:01Z')).tone, 'breached');
    assert.deepEqual(slaBadge({ ...base, status: 'RESOLVED', slaBreached: true, resolutionBreachedAt: '2026-01-02T10:00:00Z' }, at('2026-01-03T00:00:00Z')).tone, 'breached');
  });

  test('resolved in time is met; cancelled has no badge', () => {
    assert.equal(slaBadge({ ...base, status: 'CLOSED', respondedAt: '2026-01-01T08:00:00Z', resolvedAt: '2026-01-01T12:00:00Z' }, at('2026-01-05T00:00:00Z')).tone, 'met');
    assert.equal(slaBadge({ ...base, status: 'CANCELLED' }, at('2026-01-05T00:00:00Z')).tone, 'none');
  });
});

describe('reading the notification stream', () => {
  test('complete events are parsed, heartbeats skipped, and a partial event is kept for the next chunk', () => {
    const first = parseServerSentEvents(': heartbeat\n\nid: 7\nevent: notification\ndata: {"headline":"INC-000001 was resolved"}\n\nid: 8\nevent: notif');
    assert.deepEqual(first.events, [{ event: 'notification', data: '{"headline":"INC-000001 was resolved"}', id: '7' }]);
    const second = parseServerSentEvents(`${first.rest}ication\r\ndata: {}\r\n\r\n`);
    assert.deepEqual(second.events, [{ event: 'notification', data: '{}', id: '8' }]);
    assert.equal(second.rest, '');
  });
});
