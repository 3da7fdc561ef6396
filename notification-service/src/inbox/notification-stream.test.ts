import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { closeServer, listen } from '@desk/platform';
import { waitFor } from '@desk/testing';
import { startNotifications, type NotificationHarness, type TestUser } from '../test-support/harness.js';

interface StreamEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

describe('the live stream: limits, lifetime and resuming', () => {
  let h: NotificationHarness;
  let server: Server;
  let baseUrl: string;
  let manager: TestUser;

  before(async () => {
    h = await startNotifications({ STREAMS_PER_USER: '3', STREAM_CHECK_INTERVAL: '200ms' });
    server = await listen(h.service.app, { port: 0, host: '127.0.0.1', logger: h.service.deps.logger });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    manager = await h.createUser('manager', h.department);
  });
  after(async () => {
    await closeServer(server, { deadlineMs: 1_000 });
    await h.close();
  });

  /** Opens the stream and collects its events until it ends. */
  async function open(token: string, lastEventId?: string) {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/notifications/stream`, {
      headers: { Authorization: `Bearer ${token}`, ...(lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : {}) },
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    const state = { events: [] as StreamEvent[], ended: false };
    void (async () => {
      const decoder = new TextDecoder();
      let text = '';
      try {
        for await (const chunk of response.body!) {
          text += decoder.decode(chunk as Uint8Array, { stream: true });
          let end: number;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            const id = /^id: (.+)$/m.exec(block)?.[1];
            if (event && data) state.events.push({ event, data: JSON.parse(data) as Record<string, unknown>, ...(id ? { id } : {}) });
          }
        }
      } catch {
        // aborted
      }
      state.ended = true;
    })();
    return { state, close: () => controller.abort() };
  }

  async function notify(user: TestUser) {
    const incident = h.incident(user.user, { version: 2 });
    const event = await h.publish('incident.status_changed', { incident, actorId: manager.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
    await h.handled(event.id);
    return incident;
  }

  test('when a user opens one stream more than allowed, then the oldest is told why and ends; the rest stay', async () => {
    const user = await h.createUser('reporter');
    const streams: Awaited<ReturnType<typeof open>>[] = [];
    for (let i = 0; i < 4; i += 1) streams.push(await open(user.token));
    await waitFor('the oldest to end', () => streams[0]!.state.ended);
    const closed = streams[0]!.state.events.find((event) => event.event === 'closed');
    assert.equal(closed?.data.reason, 'too-many-streams');
    assert.equal(h.service.streams.openStreamsOf(user.user.id), 3);
    const incident = await notify(user);
    for (const stream of streams.slice(1)) {
      await waitFor('the notification on every remaining stream', () => stream.state.events.some((event) => event.event === 'notification' && event.data.incidentId === incident.id));
      assert.equal(stream.state.ended, false);
    }
    for (const stream of streams) stream.close();
  });

  test('when the token expires, then the stream says so and ends at its expiry', async () => {
    const user = await h.createUser('reporter');
    const token = await h.tokenFor({ id: user.user.id, role: 'reporter' }, { ttlSeconds: 2 });
    const opened = Date.now();
    const stream = await open(token);
    await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 5_000 });
    assert.ok(Date.now() - opened < 3_000, `ended after ${Date.now() - opened} ms`);
    assert.equal(stream.state.events.at(-1)?.event, 'closed');
    assert.equal(stream.state.events.at(-1)?.data.reason, 'token-expired');
  });

  for (const change of ['deactivated', 'given another role'] as const) {
    test(`when the user is ${change}, then their open stream ends within seconds, saying why`, async () => {
      const user = await h.createUser('staff', h.department);
      const stream = await open(user.token);
      const bystander = await open((await h.createUser('staff', h.department)).token);
      await waitFor('the stream to be registered', () => h.service.streams.openStreamsOf(user.user.id) === 1);
      await h.changeUser(user.user, change === 'deactivated' ? { isActive: false } : { role: 'manager' });
      const changed = Date.now();
      await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 5_000 });
      assert.ok(Date.now() - changed < 5_000);
      const closed = stream.state.events.at(-1);
      assert.equal(closed?.event, 'closed');
      assert.equal(closed?.data.reason, 'access-revoked');
      assert.equal(bystander.state.ended, false);
      bystander.close();
    });
  }

  test('when a client resumes with Last-Event-ID, then it gets exactly the notifications after it, in order', async () => {
    const user = await h.createUser('reporter');
    const first = await open(user.token);
    const sent = [];
    for (let i = 0; i < 3; i += 1) sent.push(await notify(user));
    await waitFor('three notifications', () => first.state.events.filter((event) => event.event === 'notification').length === 3);
    const seen = first.state.events.filter((event) => event.event === 'notification');
    assert.deepEqual(seen.map((event) => event.data.incidentId), sent.map((incident) => incident.id));
    first.close();
    // Recorded in one go while disconnected (same created_at is possible): the order still holds.
    const missed = [];
    for (let i = 0; i < 4; i += 1) missed.push(await notify(user));
    const resumed = await open(user.token, seen[1]!.id);
    await waitFor('the catch-up', () => resumed.state.events.filter((event) => event.event === 'notification').length >= 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caughtUp = resumed.state.events.filter((event) => event.event === 'notification');
    assert.deepEqual(
      caughtUp.map((event) => event.data.incidentId),
      [sent[2]!.id, ...missed.map((incident) => incident.id)],
      'the one after Last-Event-ID and the four missed, nothing before and nothing twice',
    );
    resumed.close();
  });

  for (const [name, lastEventId] of [
    ['malformed', 'not-an-id'],
    ['unknown', randomUUID()],
  ] as const) {
    test(`when Last-Event-ID is ${name}, then the stream answers event: reset and then carries on live`, async () => {
      const user = await h.createUser('reporter');
      const stream = await open(user.token, lastEventId);
      await waitFor('the reset', () => stream.state.events.find((event) => event.event === 'reset'));
      assert.equal(stream.state.events[0]?.data.reason, 'unknown-last-event-id');
      const incident = await notify(user);
      await waitFor('a live notification after it', () => stream.state.events.some((event) => event.data.incidentId === incident.id));
      stream.close();
    });
  }

  test("when Last-Event-ID is someone else's notification, then it is answered with reset, never with their notifications", async () => {
    const other = await h.createUser('reporter');
    const otherStream = await open(other.token);
    await notify(other);
    await notify(other);
    const [theirs] = await waitFor('their notifications', () => {
      const events = otherStream.state.events.filter((event) => event.event === 'notification');
      return events.length === 2 ? events : undefined;
    });
    otherStream.close();
    const me = await h.createUser('reporter');
    const stream = await open(me.token, theirs!.id);
    await waitFor('the reset', () => stream.state.events.find((event) => event.event === 'reset'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(stream.state.events.map((event) => event.event), ['reset']);
    stream.close();
  });

  test('when more than 100 notifications arrived since Last-Event-ID, then reset says to reload the inbox', async () => {
    const user = await h.createUser('reporter');
    const first = await open(user.token);
    await notify(user);
    const [last] = await waitFor('one notification', () => first.state.events.filter((event) => event.event === 'notification').at(0) ? first.state.events : undefined);
    first.close();
    // Many notifications at once, straight into the inbox as the handler writes them.
    await h.service.db('notifications').insert(
      Array.from({ length: 101 }, (_, i) => ({
        user_id: user.user.id,
        event_id: randomUUID(),
        type: 'incident.status_changed',
        incident_id: randomUUID(),
        incident_key: `INC-9${String(i).padStart(5, '0')}`,
        headline: 'bulk',
        detail: 'bulk',
      })),
    );
    const resumed = await open(user.token, last!.id);
    await waitFor('the reset', () => resumed.state.events.find((event) => event.event === 'reset'));
    assert.equal(resumed.state.events[0]?.data.reason, 'too-far-behind');
    assert.equal(resumed.state.events.filter((event) => event.event === 'notification').length, 0);
    resumed.close();
  });
});
