import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signAccessToken } from '@desk/auth';
import { closedEvent, holdEventStream, judgeDegradation, timeSequential, waitFor, type HeldEventStream } from '@desk/testing';
import { EventSource } from './test-support/eventsource.js';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

/** A stream read with plain fetch, as a script would: its text, and whether it has ended. */
type OpenStream = HeldEventStream;

/**
 * A body that can be ended from outside, as a dropped connection ends it: the standard EventSource
 * client then reconnects by itself, sending the Last-Event-ID it saw.
 */
function cuttable(response: Response): { response: Response; cut: () => void } {
  const reader = response.body!.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    pull: async (c) => {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (ended) return;
      if (done) {
        ended = true;
        c.close();
      } else c.enqueue(value);
    },
    cancel: () => {
      ended = true;
      return reader.cancel();
    },
  });
  const cut = () => {
    if (ended) return;
    ended = true;
    controller.close();
    void reader.cancel();
  };
  return { response: new Response(body, { status: response.status, headers: response.headers }), cut };
}

describe('live notification streams through the gateway (every service, real Postgres and RabbitMQ)', () => {
  let platform: RunningPlatform;
  let adminClient: ApiClient;
  let department: string;
  let category: string;
  let reporter: ApiClient;

  async function person(name: string, role: 'staff' | 'reporter' | 'manager'): Promise<{ client: ApiClient; id: string; email: string }> {
    const email = `${name}-${crypto.randomUUID().slice(0, 6)}@example.com`;
    const created = await adminClient.call<{ id: string }>('POST', '/users', { email, password: 'streaming kiwi lantern 58', fullName: name, role, departmentId: role === 'reporter' ? null : department });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const client = new ApiClient(platform.gatewayUrl);
    await client.signIn(email, 'streaming kiwi lantern 58');
    await waitFor(`${name} known to incident- and notification-service`, async () => (await client.call('GET', '/incidents?limit=1')).status === 200 && (await client.call('GET', '/notifications?limit=1')).status === 200);
    return { client, id: created.body.id, email };
  }

  async function openStream(token: string): Promise<OpenStream> {
    const stream = await openStreamOrRefusal(token);
    assert.ok(stream, 'the stream opened');
    return stream;
  }

  /** Opens a stream, or takes the gateway's 429 past the caller's budget of opens (null). */
  async function openStreamOrRefusal(token: string): Promise<OpenStream | null> {
    const stream = await holdEventStream(`${platform.gatewayUrl}/notifications/stream`, token);
    if (stream.response.status === 429) {
      assert.equal(((await stream.response.json()) as { code: string }).code, 'GATEWAY.RATE_LIMITED');
      assert.ok(Number(stream.response.headers.get('retry-after')) > 0);
      return null;
    }
    assert.equal(stream.response.status, 200);
    return stream;
  }

  async function file(title: string): Promise<string> {
    const filed = await reporter.call<{ id: string }>('POST', '/incidents', { title, description: 'Seen on the live stream.', categoryId: category });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    return filed.body.id;
  }

  before(async () => {
    platform = await startPlatform({ gateway: { ADDRESS_RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '100000' } });
    adminClient = new ApiClient(platform.gatewayUrl);
    await adminClient.signIn(ADMIN.email, ADMIN.password);
    const created = await adminClient.call<{ id: string }>('POST', '/departments', { name: 'Streams' });
    department = created.body.id;
    category = await waitFor('the department replicated', async () => {
      const response = await adminClient.call<{ id: string }>('POST', '/categories', { name: 'Streams general', departmentId: department });
      return response.status === 201 ? response.body.id : undefined;
    });
    reporter = (await person('rita', 'reporter')).client;
  });
  after(() => platform?.close());

  test('when an eventsource client loses its connection twice, then each resume delivers exactly the notifications after its Last-Event-ID', async () => {
    const sam = await person('sam', 'staff');
    const lastEventIds: (string | null)[] = [];
    let cut: (() => void) | undefined;
    const source = new EventSource(`${platform.gatewayUrl}/notifications/stream`, {
      fetch: async (url, init) => {
        lastEventIds.push(new Headers(init.headers).get('last-event-id'));
        const { response, cut: cutThis } = cuttable(await fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${sam.client.token}` } }));
        cut = cutThis;
        return response;
      },
    });
    const received: { id: string; incidentId: string }[] = [];
    source.addEventListener('notification', (event) => {
      received.push({ id: event.lastEventId, incidentId: (JSON.parse(event.data) as { incidentId: string }).incidentId });
    });
    const resets: string[] = [];
    source.addEventListener('reset', (event) => resets.push(event.data));
    try {
      await waitFor('the stream to open', () => source.readyState === EventSource.OPEN);
      const filed: string[] = [];
      const inboxHolds = async (count: number) =>
        waitFor(`${count} notifications in sam's inbox`, async () => (await sam.client.call<{ items: unknown[] }>('GET', '/notifications?limit=50')).body.items.length === count);

      for (let i = 0; i < 3; i += 1) filed.push(await file(`live ${i}`));
      await waitFor('three live notifications', () => received.length === 3);
      for (let round = 0; round < 2; round += 1) {
        cut!();
        await waitFor('the client to notice', () => source.readyState === EventSource.CONNECTING);
        // Recorded while the client is away; it resumes on its own after the server's retry (3 s).
        for (let i = 0; i < 2; i += 1) filed.push(await file(`missed ${round}.${i}`));
        await inboxHolds(filed.length);
        await waitFor('the resumed stream to catch up', () => received.length === filed.length, { timeoutMs: 15_000 });
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(received.map((event) => event.incidentId), filed, 'every notification once, in order');
      assert.equal(new Set(received.map((event) => event.id)).size, received.length, 'no repeats');
      assert.deepEqual(lastEventIds, [null, received[2]!.id, received[4]!.id], 'each reconnect sent the last id it saw');
      assert.deepEqual(resets, []);
    } finally {
      source.close();
    }
  });

  test('when a client resumes with an id that is not its own, then it is told to reload (event: reset)', async () => {
    const olga = await person('olga', 'staff');
    const response = await fetch(`${platform.gatewayUrl}/notifications/stream`, {
      headers: { Authorization: `Bearer ${olga.client.token}`, 'Last-Event-ID': crypto.randomUUID() },
      signal: AbortSignal.timeout(3_000),
    });
    let text = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        if (text.includes('event: reset')) break;
      }
    } catch {
      // timed out
    }
    assert.match(text, /event: reset\ndata: \{"reason":"unknown-last-event-id"/);
  });

  test("when one user opens 300 streams, then another user's GET /notifications stays fast (p99 under 200 ms, or within twice its p99 without the flood on a busy machine) and the first holds at most 5", async (t) => {
    const flooder = await person('flooder', 'reporter');
    const bystander = await person('bystander', 'reporter');
    const timedRead = async (): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${platform.gatewayUrl}/notifications?limit=20`, { headers: { Authorization: `Bearer ${bystander.client.token}` }, signal: AbortSignal.timeout(15_000) });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    // The same reads without the flood, on this machine as it is now: the yardstick for a busy one.
    const quietBefore = await timeSequential(100, timedRead);
    // The burst: 300 opened at once. The bystander is answered throughout (before the cap, such a
    // burst took every upstream socket and their requests timed out after 15 s).
    const [attempts, duringBurst] = await Promise.all([
      Promise.all(Array.from({ length: 300 }, () => openStreamOrRefusal(flooder.client.token))),
      (async () => {
        const times: number[] = [];
        for (let i = 0; i < 20; i += 1) times.push(await timedRead());
        return times;
      })(),
    ]);
    const streams = attempts.filter((stream): stream is OpenStream => stream !== null);
    // The gateway's budget of opens (STREAM_OPENS_PER_MINUTE, 20) lets a few through; the rest are
    // refused before any upstream work.
    assert.equal(streams.length, 20);
    // 300 connections at once share one process with every service and this client; what matters
    // is that every read is answered (before the cap the bystander's timed out after 15 s).
    assert.ok(Math.max(...duringBurst) < 3_000, `slowest read during the burst: ${Math.round(Math.max(...duringBurst))} ms`);
    // The flood goes on: the flooder keeps trying to open streams while the bystander's p99 is
    // measured over 200 reads (the second slowest), so one stray pause of a busy machine is not
    // the percentile.
    let flooding = true;
    const reopened: (OpenStream | null)[] = [];
    const flood = (async () => {
      while (flooding) reopened.push(await openStreamOrRefusal(flooder.client.token));
    })();
    const times = await timeSequential(200, timedRead);
    flooding = false;
    await flood;
    for (const stream of reopened) stream?.close();
    assert.ok(reopened.length > 0, 'the flood went on while the bystander read');
    assert.ok(reopened.every((stream) => stream === null), 'past its budget, every open was refused');
    const quietAfter = await timeSequential(100, timedRead);
    // Under 200 ms; or, on a machine busy with other suites, within twice what the same reads take
    // there without the flood (before the cap they timed out after 15 s).
    const verdict = judgeDegradation(times, [...quietBefore, ...quietAfter], { absoluteMs: 200 });
    t.diagnostic(`bystander: slowest read during the burst ${Math.round(Math.max(...duringBurst))} ms; while ${reopened.length} more opens were tried, ${verdict.summary}`);
    assert.ok(verdict.ok, `another user's GET /notifications while ${reopened.length} more opens were tried: ${verdict.summary}`);
    await waitFor('the surplus streams to end', () => streams.filter((stream) => !stream.state.ended).length <= 5, { timeoutMs: 10_000 });
    assert.ok(platform.notifications.streams.openStreamsOf(flooder.id) <= 5);
    assert.ok(platform.gateway.streams.count() <= 5);
    const ended = streams.filter((stream) => stream.state.ended);
    assert.ok(ended.every((stream) => closedEvent(stream.state.text)?.reason === 'too-many-streams'), 'each closed stream was told why');
    for (const stream of streams) stream.close();
  });

  for (const change of [{ isActive: false }, { role: 'manager' }] as const) {
    test(`when an admin changes the account (${JSON.stringify(change)}), then its open stream ends within 5 s, saying why`, async () => {
      const member = await person('changing', 'staff');
      const stream = await openStream(member.client.token);
      const bystander = await openStream((await person('steady', 'staff')).client.token);
      await waitFor('the stream to be held', () => platform.notifications.streams.openStreamsOf(member.id) === 1);
      const changed = await adminClient.call('PATCH', `/users/${member.id}`, change);
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      const at = Date.now();
      await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 6_000 });
      assert.ok(Date.now() - at < 5_000, `ended after ${Date.now() - at} ms`);
      assert.equal(closedEvent(stream.state.text)?.reason, 'access-revoked');
      assert.equal(bystander.state.ended, false, "another user's stream stays open");
      bystander.close();
    });
  }

  test('when the token of an open stream expires, then the stream ends at its expiry, saying so', async () => {
    const member = await person('short-lived', 'staff');
    // A token as identity-service issues them (its own signing key), only shorter-lived.
    const key = await platform.identity.keys.signingKey();
    const { token } = await signAccessToken({ id: member.id, role: 'staff', departmentId: department }, key, { issuer: platform.gatewayUrl, audience: 'incident-platform', ttlSeconds: 3 });
    const opened = Date.now();
    const stream = await openStream(token);
    await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 6_000 });
    assert.ok(Date.now() - opened < 4_500, `ended after ${Date.now() - opened} ms`);
    assert.equal(closedEvent(stream.state.text)?.reason, 'token-expired');
  });
});
