import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiClient, ApiError, describeError, type TokenSource } from './api-client';
import { mapFieldErrors } from './form-errors';
import { englishWords } from '../messages/english';

const words = englishWords('common');
const inEnglish = (error: unknown) => describeError(error, (key, values) => words(`errors.${key}`, values));

interface Sent {
  url: string;
  authorization: string | undefined;
  method: string;
  body: string | undefined;
}

/** A gateway stand-in: answers each request with the next of `answers`, recording what was sent. */
function gateway(answers: Array<(sent: Sent) => Response>) {
  const sent: Sent[] = [];
  const fetchImpl = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const request: Sent = { url: input instanceof Request ? input.url : input.toString(), authorization: headers.get('authorization') ?? undefined, method: init?.method ?? 'GET', body: init?.body as string | undefined };
    sent.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return Promise.resolve(answer(request));
  };
  return { sent, fetchImpl: fetchImpl };
}

function tokens(initial: string | null, renewals: Array<string | null>) {
  const state = { token: initial, refreshes: 0, expired: 0 };
  const source: TokenSource = {
    current: () => state.token,
    refresh: () => {
      state.refreshes++;
      state.token = renewals.shift() ?? null;
      return Promise.resolve(state.token);
    },
    expired: () => {
      state.expired++;
    },
  };
  return { state, source };
}

const json = (status: number, body: unknown, contentType = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: 'about:blank', title: `Problem ${status}`, status, code, requestId: 'req-1', ...extra }, 'application/problem+json');

describe('the API client', () => {
  test('when the access token works, then the request carries it and the JSON comes back', async () => {
    const { sent, fetchImpl } = gateway([() => json(200, { items: [], nextCursor: null })]);
    const client = new ApiClient('http://api.test/', tokens('token-1', []).source, fetchImpl);
    const page = await client.json('/incidents', { query: { status: ['OPEN', 'IN_PROGRESS'], q: '', cursor: undefined, limit: 25 } });
    assert.deepEqual(page, { items: [], nextCursor: null });
    assert.equal(sent[0]!.authorization, 'Bearer token-1');
    assert.equal(sent[0]!.url, 'http://api.test/incidents?status=OPEN%2CIN_PROGRESS&limit=25', 'empty and missing filters are left out');
  });

  test('when the access token has expired (401), then it renews it once and repeats the request with the new one', async () => {
    const { sent, fetchImpl } = gateway([() => problem(401, 'AUTH.INVALID_TOKEN'), () => json(200, { ok: true })]);
    const { state, source } = tokens('old', ['new']);
    const client = new ApiClient('http://api.test', source, fetchImpl);
    assert.deepEqual(await client.json('/auth/me'), { ok: true });
    assert.deepEqual(
      sent.map((request) => request.authorization),
      ['Bearer old', 'Bearer new'],
    );
    assert.equal(state.refreshes, 1);
    assert.equal(state.expired, 0);
  });

  test('when renewing fails, then the session is over: the client says so and sends nothing more', async () => {
    const { sent, fetchImpl } = gateway([() => problem(401, 'AUTH.INVALID_TOKEN')]);
    const { state, source } = tokens('old', [null]);
    const client = new ApiClient('http://api.test', source, fetchImpl);
    await assert.rejects(client.json('/incidents'), (error: ApiError) => error.status === 401 && error.code === 'AUTH.SIGNED_OUT');
    assert.equal(sent.length, 1);
    assert.equal(state.expired, 1);
  });

  test('when the renewed token is refused too, then it does not loop: one retry, then signed out', async () => {
    const { sent, fetchImpl } = gateway([() => problem(401, 'AUTH.TOKEN_REVOKED'), () => problem(401, 'AUTH.TOKEN_REVOKED')]);
    const { state, source } = tokens('old', ['new']);
    const client = new ApiClient('http://api.test', source, fetchImpl);
    await assert.rejects(client.json('/incidents'), (error: ApiError) => error.code === 'AUTH.TOKEN_REVOKED');
    assert.equal(sent.length, 2);
    assert.equal(state.refreshes, 1);
    assert.equal(state.expired, 1);
  });

  test('after a page load (no token in memory), then it renews before the first request', async () => {
    const { sent, fetchImpl } = gateway([() => json(200, {})]);
    const { state, source } = tokens(null, ['fresh']);
    await new ApiClient('http://api.test', source, fetchImpl).json('/notifications');
    assert.equal(state.refreshes, 1);
    assert.equal(sent[0]!.authorization, 'Bearer fresh');
  });

  test('when the API refuses a change, then the error carries the problem: code, detail, request id and field issues mapped onto form fields', async () => {
    const errors = [
      { location: 'body', path: '/title', message: 'must be at least 3 characters' },
      { location: 'body', path: '/unknownField', message: 'is not allowed' },
      { location: 'query', path: '/limit', message: 'too big' },
    ];
    const { fetchImpl } = gateway([() => problem(400, 'VALIDATION.FAILED', { detail: 'Check the fields.', errors })]);
    const client = new ApiClient('http://api.test', tokens('t', []).source, fetchImpl);
    const error = await client.json('/incidents', { method: 'POST', body: { title: 'x' } }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'VALIDATION.FAILED');
    assert.equal(error.requestId, 'req-1');
    const mapped = mapFieldErrors(error, ['title', 'description'] as const);
    assert.deepEqual(mapped.byField, { title: 'Must be at least 3 characters' });
    assert.deepEqual(
      mapped.other.map((issue) => issue.path),
      ['/unknownField', '/limit'],
    );
  });

  test('a stale version (412) and an unreachable gateway each get a message that says what to do next', async () => {
    const { fetchImpl } = gateway([() => problem(412, 'INCIDENT.VERSION_MISMATCH')]);
    const client = new ApiClient('http://api.test', tokens('t', []).source, fetchImpl);
    const stale = await client.json('/incidents/x', { method: 'PATCH', body: {} }).catch((caught: unknown) => caught);
    assert.match(inEnglish(stale).detail, /Reload/);

    const down = new ApiClient('http://api.test', tokens('t', []).source, (() => Promise.reject(new TypeError('fetch failed'))));
    const unreachable = await down.json('/incidents').catch((caught: unknown) => caught);
    assert.ok(unreachable instanceof ApiError);
    assert.equal(unreachable.code, 'NETWORK.UNREACHABLE');
    assert.match(inEnglish(unreachable).detail, /connection/);
  });

  test('an answer that is not problem+json (a proxy\'s HTML page) still becomes an ApiError with its status', async () => {
    const { fetchImpl } = gateway([() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } })]);
    const error = await new ApiClient('http://api.test', tokens('t', []).source, fetchImpl).json('/incidents').catch((caught: unknown) => caught);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 502);
    assert.equal(error.code, 'HTTP.502');
  });
});
