import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientCredentials, createDeskClient, TokenRequestError, type DeskClient } from './index.js';

// What the client promises other systems, short of a running platform (standalone/src/client.test.ts
// runs it against the real one): requests the document forbids do not compile, and the client
// credentials helper asks for a token only when it has none that is still good.

/**
 * Never called: the repository's typecheck compiles it, and each `@ts-expect-error` fails the
 * typecheck if the line under it compiles, so a filter typed as a plain string again is caught.
 */
export function requestsTheDocumentForbids(desk: DeskClient): void {
  // @ts-expect-error not an incident status
  void desk.GET('/incidents', { params: { query: { status: ['OPENN'] } } });
  // @ts-expect-error not a priority
  void desk.GET('/incidents', { params: { query: { priority: ['URGENT'] } } });
  // @ts-expect-error not a delivery status
  void desk.GET('/notifications/deliveries', { params: { query: { status: ['DONE'] } } });
  // @ts-expect-error an incident needs a title
  void desk.POST('/incidents', { body: { description: 'No title', categoryId: 'c0ffee00-0000-4000-8000-000000000000' } });
  // @ts-expect-error no such path
  void desk.GET('/incident');
}

/** A fetch answering the token endpoint as identity-service does, recording what it was asked. */
function tokenEndpoint(answers: { status: number; body: unknown }[]) {
  const requests: Request[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    requests.push(new Request(input, init));
    const answer = answers[Math.min(requests.length, answers.length) - 1]!;
    return Promise.resolve(Response.json(answer.body, { status: answer.status }));
  };
  return { fetch, requests };
}

test('when a service account asks for tokens, then it sends the client credentials grant with HTTP Basic and reuses a token until it nears expiry', async () => {
  const endpoint = tokenEndpoint([
    { status: 200, body: { access_token: 'first', token_type: 'Bearer', expires_in: 900, scope: 'incidents:read' } },
    { status: 200, body: { access_token: 'second', token_type: 'Bearer', expires_in: 900 } },
  ]);
  const token = clientCredentials({ baseUrl: 'https://desk.example.com', clientId: 'svc:monitoring', clientSecret: 'se cret', scope: 'incidents:read', fetch: endpoint.fetch });

  assert.deepEqual(await Promise.all([token(), token(), token()]), ['first', 'first', 'first']);
  assert.equal(endpoint.requests.length, 1, 'requests made while a token is on its way wait for it');
  const [sent] = endpoint.requests;
  assert.equal(sent!.method, 'POST');
  assert.equal(sent!.url, 'https://desk.example.com/auth/token');
  assert.equal(sent!.headers.get('content-type'), 'application/x-www-form-urlencoded');
  // RFC 6749 §2.3.1: each part form-urlencoded, then joined for Basic.
  assert.equal(Buffer.from(sent!.headers.get('authorization')!.replace(/^Basic /, ''), 'base64').toString(), 'svc%3Amonitoring:se%20cret');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(await sent!.text())), { grant_type: 'client_credentials', scope: 'incidents:read' });
});

test('when the token is about to expire, then the next request asks for a new one', async () => {
  const endpoint = tokenEndpoint([
    { status: 200, body: { access_token: 'short-lived', token_type: 'Bearer', expires_in: 10 } },
    { status: 200, body: { access_token: 'renewed', token_type: 'Bearer', expires_in: 900 } },
  ]);
  const token = clientCredentials({ baseUrl: 'https://desk.example.com', clientId: 'id', clientSecret: 'secret', fetch: endpoint.fetch });
  assert.equal(await token(), 'short-lived');
  assert.equal(await token(), 'renewed', 'a token within 30 s of its expiry is not sent');
  assert.equal(endpoint.requests.length, 2);
});

test('when the grant is refused, then the caller gets a TokenRequestError naming the OAuth error, and the next call asks again', async () => {
  const endpoint = tokenEndpoint([
    { status: 401, body: { error: 'invalid_client', error_description: 'the client id or secret is not correct, or the client is revoked' } },
    { status: 200, body: { access_token: 'after-fix', token_type: 'Bearer', expires_in: 900 } },
  ]);
  const token = clientCredentials({ baseUrl: 'https://desk.example.com', clientId: 'id', clientSecret: 'wrong', fetch: endpoint.fetch });
  const refused = await token().catch((error: unknown) => error);
  assert.ok(refused instanceof TokenRequestError);
  assert.equal(refused.status, 401);
  assert.equal(refused.error, 'invalid_client');
  assert.equal(await token(), 'after-fix');
});

test('when the client is given a token source, then every request carries it as a bearer token', async () => {
  const seen: (string | null)[] = [];
  const fetch: typeof globalThis.fetch = (input) => {
    seen.push(input instanceof Request ? input.headers.get('authorization') : null);
    return Promise.resolve(Response.json({ items: [], nextCursor: null }));
  };
  let issued = 0;
  const desk = createDeskClient({ baseUrl: 'https://desk.example.com', accessToken: () => `token-${++issued}`, fetch });
  await desk.GET('/incidents', { params: { query: { status: ['OPEN', 'IN_PROGRESS'] } } });
  await desk.GET('/incidents');
  assert.deepEqual(seen, ['Bearer token-1', 'Bearer token-2']);
});
