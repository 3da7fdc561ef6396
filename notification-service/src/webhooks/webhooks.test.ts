import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { IncidentSnapshot, Webhook, WebhookDelivery, WebhookWithSecret } from '@desk/contracts';
import { waitFor } from '@desk/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startNotifications, type NotificationHarness, type TestUser } from '../test-support/harness.js';
import { retryDelays } from './webhook-worker.js';

/** A request the receiver got. */
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

type Answer = (received: Received) => { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/** An HTTP server standing in for another system's webhook receiver: it records every request and answers per path. */
class Receiver {
  readonly received: Received[] = [];
  private readonly answers = new Map<string, Answer>();
  private server!: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(received);
        const answer = (this.answers.get(received.path) ?? ((): ReturnType<Answer> => ({ status: 204 })))(received);
        if (answer === 'hang') {
          this.hanging.add(response);
          return;
        }
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  answer(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  at(path: string): Received[] {
    return this.received.filter((each) => each.path === path);
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const asPlainHeaders = (headers: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

describe('outgoing webhooks', () => {
  let h: NotificationHarness;
  let receiver: Receiver;
  let reporter: TestUser;
  let staff: TestUser;

  before(async () => {
    h = await startNotifications({
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_RETRY_DELAY: '100ms',
      WEBHOOK_RETRY_MAX_DELAY: '1s',
      WEBHOOK_POLL_INTERVAL: '50ms',
      WEBHOOK_TIMEOUT: '1500ms',
      WEBHOOK_DISABLE_AFTER: '0',
      WEBHOOK_DISABLE_FAILURES: '4',
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_CONCURRENCY_PER_ENDPOINT: '2',
    });
    receiver = await new Receiver().start();
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', h.department);
  });
  after(async () => {
    await receiver?.stop();
    await h?.close();
  });

  const admin = () => `Bearer ${h.admin.token}`;
  const register = async (body: Record<string, unknown>) =>
    (await h.http.post('/webhooks').set('Authorization', admin()).send(body).expect(201)).body as WebhookWithSecret;
  const deliveries = async (webhookId: string, query = '') =>
    ((await h.http.get(`/webhooks/${webhookId}/deliveries${query}`).set('Authorization', admin()).expect(200)).body as { items: WebhookDelivery[] }).items;
  const statusChange = async (incident?: IncidentSnapshot) => {
    const subject = incident ?? h.incident(reporter.user, { assigneeId: staff.user.id, status: 'IN_PROGRESS', version: 2 });
    return h.publish('incident.status_changed', { incident: subject, actorId: staff.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
  };

  test('a delivery is signed as Standard Webhooks says: the standardwebhooks library verifies it with the secret shown once, and the log shows the request and answer', async () => {
    receiver.answer('/signed', () => ({ status: 200, body: 'thanks' }));
    const created = await register({ url: receiver.url('/signed'), events: ['incident.status_changed'], description: 'status page' });
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    // The secret is never shown again.
    const listed = (await h.http.get('/webhooks').set('Authorization', admin()).expect(200)).body as { items: Webhook[] };
    assert.ok(listed.items.some((item) => item.id === created.id));
    assert.ok(!JSON.stringify(listed).includes(created.secret));
    assert.ok(!JSON.stringify((await h.http.get(`/webhooks/${created.id}`).set('Authorization', admin()).expect(200)).body).includes('whsec_'));

    const event = await statusChange();
    const [request] = await waitFor('the delivery', () => (receiver.at('/signed').length > 0 ? receiver.at('/signed') : undefined));
    assert.equal(request!.headers['webhook-id'], event.id);
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.match(String(request!.headers['webhook-timestamp']), /^\d{10}$/);
    const payload = new StandardWebhook(created.secret).verify(request!.body, asPlainHeaders(request!.headers)) as { type: string; timestamp: string; data: { incident: { id: string } } };
    assert.equal(payload.type, 'incident.status_changed');
    assert.equal(payload.timestamp, event.time);
    assert.equal(payload.data.incident.id, event.data.incident.id);
    // Another secret does not verify it.
    assert.throws(() => new StandardWebhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(request!.body, asPlainHeaders(request!.headers)));

    const [delivery] = await waitFor('the delivery marked SUCCEEDED', async () => {
      const items = await deliveries(created.id);
      return items[0]?.status === 'SUCCEEDED' ? items : undefined;
    });
    assert.equal(delivery!.messageId, event.id);
    assert.equal(delivery!.attempts, 1);
    assert.equal(delivery!.request.body, request!.body);
    assert.equal(delivery!.request.headers['webhook-signature'], request!.headers['webhook-signature']);
    assert.equal(delivery!.attemptLog[0]!.responseStatus, 200);
    assert.equal(delivery!.attemptLog[0]!.responseBodyExcerpt, 'thanks');
    assert.equal(delivery!.attemptLog[0]!.remoteAddress, '127.0.0.1');
    assert.ok(delivery!.attemptLog[0]!.durationMs >= 0);

    // An event type the endpoint did not ask for is not delivered to it.
    const other = await h.publish('incident.priority_changed', { incident: h.incident(reporter.user), actorId: staff.user.id, from: 'LOW', to: 'HIGH' });
    await h.handled(other.id);
    await statusChange();
    await waitFor('the second status change', () => receiver.at('/signed').length === 2);
    assert.ok(receiver.at('/signed').every((each) => JSON.parse(each.body).type === 'incident.status_changed'));
  });

  test('a failed attempt is retried with growing delays until the receiver takes it; the log keeps every attempt with its answer', async () => {
    let calls = 0;
    receiver.answer('/flaky', () => (++calls <= 2 ? { status: 503, body: 'busy, try later' } : { status: 204 }));
    const created = await register({ url: receiver.url('/flaky'), events: ['incident.status_changed'] });
    const event = await statusChange();
    await waitFor('three attempts', () => receiver.at('/flaky').length === 3);
    const times = receiver.at('/flaky').map((each) => each.at);
    // 100 ms, then 200 ms (each ±20 %), plus the poll's 50 ms at most.
    assert.ok(times[1]! - times[0]! >= 80, `first retry after ${times[1]! - times[0]!} ms`);
    assert.ok(times[2]! - times[1]! >= 160, `second retry after ${times[2]! - times[1]!} ms`);
    assert.ok(receiver.at('/flaky').every((each) => each.headers['webhook-id'] === event.id), 'every retry carries the same webhook-id');
    const [delivery] = await waitFor('SUCCEEDED', async () => {
      const items = await deliveries(created.id);
      return items[0]?.status === 'SUCCEEDED' ? items : undefined;
    });
    assert.equal(delivery!.attempts, 3);
    assert.deepEqual(delivery!.attemptLog.map((each) => each.responseStatus), [204, 503, 503]);
    assert.equal(delivery!.attemptLog[2]!.responseBodyExcerpt, 'busy, try later');
    assert.equal(delivery!.attemptLog[2]!.error, 'answered 503');
    // The endpoint's failure streak ended with the success.
    const endpoint = (await h.http.get(`/webhooks/${created.id}`).set('Authorization', admin()).expect(200)).body as Webhook;
    assert.equal(endpoint.failingSince, null);
  });

  test('by default a delivery is retried with exponential backoff for more than 24 hours before it is given up', () => {
    const delays = retryDelays({ retryDelayMs: h.config.WEBHOOK_RETRY_DELAY, retryMaxDelayMs: h.config.WEBHOOK_RETRY_MAX_DELAY, windowMs: h.config.WEBHOOK_RETRY_WINDOW });
    // Read from the defaults, not the test's configuration.
    const defaults = retryDelays({ retryDelayMs: 5_000, retryMaxDelayMs: 2 * 3600_000, windowMs: 25 * 3600_000 });
    assert.ok(delays.length > 0);
    assert.deepEqual(defaults.slice(0, 4), [5_000, 10_000, 20_000, 40_000]);
    const total = defaults.reduce((sum, each) => sum + each, 0);
    assert.ok(total >= 24 * 3600_000, `retried for ${total / 3600_000} h`);
    assert.ok(Math.max(...defaults) <= 2 * 3600_000);
  });

  test('a redirect is not followed, and an answer that never comes counts as a failure after the timeout', async () => {
    receiver.answer('/moved', () => ({ status: 302, headers: { location: '/elsewhere' } }));
    const moved = await register({ url: receiver.url('/moved'), events: ['incident.status_changed'] });
    receiver.answer('/hangs', () => 'hang');
    const hangs = await register({ url: receiver.url('/hangs'), events: ['incident.status_changed'] });
    await statusChange();
    const [redirected] = await waitFor('the redirect logged', async () => {
      const items = await deliveries(moved.id);
      return items[0]?.attemptLog.length ? items : undefined;
    });
    assert.match(redirected!.attemptLog.at(-1)!.error!, /answered 302 \(to \/elsewhere\): redirects are not followed/);
    assert.equal(receiver.at('/elsewhere').length, 0);
    const [hung] = await waitFor('the timeout logged', async () => {
      const items = await deliveries(hangs.id);
      return items[0]?.attemptLog.length ? items : undefined;
    }, { timeoutMs: 10_000 });
    assert.match(hung!.attemptLog.at(-1)!.error!, /no answer within 1500 ms/);
    assert.equal(hung!.attemptLog.at(-1)!.responseStatus, null);
    await h.http.delete(`/webhooks/${moved.id}`).set('Authorization', admin()).expect(204);
    await h.http.delete(`/webhooks/${hangs.id}`).set('Authorization', admin()).expect(204);
  });

  test('a receiver that hangs holds only its own share of the senders: another endpoint gets every event at once', async () => {
    receiver.answer('/stuck', () => 'hang');
    const stuck = await register({ url: receiver.url('/stuck'), events: ['incident.status_changed'] });
    const fast = await register({ url: receiver.url('/fast'), events: ['incident.status_changed'] });
    const before = receiver.at('/fast').length;
    const started = Date.now();
    for (let i = 0; i < 12; i++) await statusChange();
    await waitFor('all twelve at the fast endpoint', () => receiver.at('/fast').length - before === 12);
    // Sooner than one timeout of the stuck endpoint: it never held more than its two senders.
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    assert.ok(receiver.at('/stuck').length <= 2 + 2, 'the stuck endpoint had at most its share in flight');
    await h.http.delete(`/webhooks/${stuck.id}`).set('Authorization', admin()).expect(204);
    await h.http.delete(`/webhooks/${fast.id}`).set('Authorization', admin()).expect(204);
  });

  test('an endpoint that keeps failing is disabled, its owner is told by mail, and enabling it again sends what was waiting', async () => {
    let healthy = false;
    receiver.answer('/down', () => (healthy ? { status: 204 } : { status: 500, body: 'down' }));
    const created = await register({ url: receiver.url('/down'), events: ['incident.status_changed'] });
    await statusChange();
    const disabled = await waitFor('the endpoint disabled', async () => {
      const endpoint = (await h.http.get(`/webhooks/${created.id}`).set('Authorization', admin()).expect(200)).body as Webhook;
      return endpoint.status === 'DISABLED' ? endpoint : undefined;
    });
    assert.match(disabled.disabledReason!, /4 in a row/);
    assert.ok(disabled.failingSince);
    const [mail] = await waitFor('the owner told', () => {
      const mails = h.smtp.to(h.admin.user.email).filter((each) => each.subject === 'A webhook endpoint was disabled' && each.text.includes(created.url));
      return mails.length > 0 ? mails : undefined;
    });
    assert.match(mail!.text, /https:\/\/desk\.example\.com\/admin\/webhooks\//);

    // While disabled, nothing is sent and no new event is recorded for it.
    const sent = receiver.at('/down').length;
    const whileDisabled = await statusChange();
    await h.handled(whileDisabled.id);
    const waiting = await deliveries(created.id);
    assert.ok(!waiting.some((each) => each.messageId === whileDisabled.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.at('/down').length, sent);
    // Redelivering to a disabled endpoint is refused with what to do.
    const refused = await h.http.post(`/webhooks/${created.id}/deliveries/${waiting[0]!.id}/redeliver`).set('Authorization', admin()).expect(409);
    assert.equal(refused.body.code, 'WEBHOOK.DISABLED');

    healthy = true;
    const enabled = (await h.http.patch(`/webhooks/${created.id}`).set('Authorization', admin()).send({ status: 'ACTIVE' }).expect(200)).body as Webhook;
    assert.equal(enabled.status, 'ACTIVE');
    assert.equal(enabled.disabledReason, null);
    await waitFor('the waiting delivery sent', async () => (await deliveries(created.id))[0]?.status === 'SUCCEEDED');
  });

  test('a delivery can be sent again by hand, with the same webhook-id and a fresh signature', async () => {
    const created = await register({ url: receiver.url('/again'), events: ['incident.status_changed'] });
    const event = await statusChange();
    const [delivery] = await waitFor('delivered', async () => {
      const items = await deliveries(created.id);
      return items[0]?.status === 'SUCCEEDED' ? items : undefined;
    });
    const answer = await h.http.post(`/webhooks/${created.id}/deliveries/${delivery!.id}/redeliver`).set('Authorization', admin()).expect(202);
    assert.equal((answer.body as WebhookDelivery).status, 'PENDING');
    await waitFor('the second request', () => receiver.at('/again').length === 2);
    const [first, second] = receiver.at('/again');
    assert.equal(second!.headers['webhook-id'], event.id);
    assert.equal(second!.body, first!.body);
    new StandardWebhook(created.secret).verify(second!.body, asPlainHeaders(second!.headers));
    const again = await waitFor('delivered again', async () => {
      const items = await deliveries(created.id);
      return items[0]?.status === 'SUCCEEDED' && items[0].attempts === 2 ? items[0] : undefined;
    });
    assert.equal(again.attemptLog.length, 2);

    await h.http.post(`/webhooks/${created.id}/deliveries/${randomUUID()}/redeliver`).set('Authorization', admin()).expect(404);
    await h.http.post(`/webhooks/${randomUUID()}/deliveries/${delivery!.id}/redeliver`).set('Authorization', admin()).expect(404);
  });

  test('after a secret rotation both secrets verify deliveries during the overlap; after it only the new one', async () => {
    const created = await register({ url: receiver.url('/rotating'), events: ['incident.status_changed'] });
    const rotated = (await h.http.post(`/webhooks/${created.id}/rotate-secret`).set('Authorization', admin()).send({ overlapSeconds: 3600 }).expect(200)).body as WebhookWithSecret;
    assert.notEqual(rotated.secret, created.secret);
    assert.ok(rotated.previousSecretExpiresAt && Date.parse(rotated.previousSecretExpiresAt) > Date.now() + 3500_000);
    await statusChange();
    const [during] = await waitFor('a delivery during the overlap', () => (receiver.at('/rotating').length === 1 ? receiver.at('/rotating') : undefined));
    assert.equal(String(during!.headers['webhook-signature']).split(' ').length, 2);
    new StandardWebhook(created.secret).verify(during!.body, asPlainHeaders(during!.headers));
    new StandardWebhook(rotated.secret).verify(during!.body, asPlainHeaders(during!.headers));

    // Without an overlap the previous secret stops at once (a leaked secret, say).
    const replaced = (await h.http.post(`/webhooks/${created.id}/rotate-secret`).set('Authorization', admin()).send({ overlapSeconds: 0 }).expect(200)).body as WebhookWithSecret;
    assert.equal(replaced.previousSecretExpiresAt, null);
    await statusChange();
    const [, after] = await waitFor('a delivery after it', () => (receiver.at('/rotating').length === 2 ? receiver.at('/rotating') : undefined));
    assert.equal(String(after!.headers['webhook-signature']).split(' ').length, 1);
    new StandardWebhook(replaced.secret).verify(after!.body, asPlainHeaders(after!.headers));
    assert.throws(() => new StandardWebhook(rotated.secret).verify(after!.body, asPlainHeaders(after!.headers)));
  });

  test('bad input is refused with the field named, and nothing is stored', async () => {
    const before = ((await h.http.get('/webhooks').set('Authorization', admin()).expect(200)).body as { items: Webhook[] }).items.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://hooks.example.net/', events: ['incident.created'] }, '/url'],
      [{ url: 'not a url', events: ['incident.created'] }, '/url'],
      [{ url: 'https://user:secret@hooks.example.net/', events: ['incident.created'] }, '/url'],
      [{ url: 'https://hooks.example.net/', events: [] }, '/events'],
      [{ url: 'https://hooks.example.net/', events: ['incident.exploded'] }, '/events/0'],
      [{ url: 'https://hooks.example.net/', events: ['account.password_reset_requested'] }, '/events/0'],
      [{ url: 'https://hooks.example.net/', events: ['incident.created', 'incident.created'] }, '/events'],
      [{ url: 'https://hooks.example.net/', events: ['incident.created'], secret: 'mine' }, '/secret'],
    ];
    for (const [body, path] of cases) {
      const response = await h.http.post('/webhooks').set('Authorization', admin()).send(body).expect(400);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(response.body.code, 'VALIDATION.FAILED');
      assert.ok((response.body.errors as { path: string }[]).some((error) => error.path === path), `${JSON.stringify(body)}: ${JSON.stringify(response.body.errors)}`);
    }
    await h.http.patch(`/webhooks/${randomUUID()}`).set('Authorization', admin()).send({}).expect(400);
    await h.http.patch(`/webhooks/${randomUUID()}`).set('Authorization', admin()).send({ description: 'x' }).expect(404);
    await h.http.get('/webhooks/not-a-uuid').set('Authorization', admin()).expect(400);
    await h.http.post(`/webhooks/${randomUUID()}/rotate-secret`).set('Authorization', admin()).send({ overlapSeconds: -1 }).expect(400);
    await h.http.get(`/webhooks/${randomUUID()}/deliveries?status=LOST`).set('Authorization', admin()).expect(400);
    const after = ((await h.http.get('/webhooks').set('Authorization', admin()).expect(200)).body as { items: Webhook[] }).items.length;
    assert.equal(after, before);
  });

  test('only admins manage webhooks: every other role and service accounts are refused on every route', async () => {
    const created = await register({ url: receiver.url('/authz'), events: ['incident.created'] });
    const someone = randomUUID();
    const callers = [
      await h.tokenFor({ id: reporter.user.id, role: 'reporter' }),
      await h.tokenFor({ id: staff.user.id, role: 'staff', departmentId: h.department }),
      (await h.createUser('manager', h.department)).token,
      await h.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read', 'incidents:write'] }),
    ];
    for (const token of callers) {
      const auth = `Bearer ${token}`;
      const responses = await Promise.all([
        h.http.get('/webhooks').set('Authorization', auth),
        h.http.post('/webhooks').set('Authorization', auth).send({ url: 'https://hooks.example.net/', events: ['incident.created'] }),
        h.http.get(`/webhooks/${created.id}`).set('Authorization', auth),
        h.http.patch(`/webhooks/${created.id}`).set('Authorization', auth).send({ status: 'DISABLED' }),
        h.http.delete(`/webhooks/${created.id}`).set('Authorization', auth),
        h.http.post(`/webhooks/${created.id}/rotate-secret`).set('Authorization', auth).send({}),
        h.http.get(`/webhooks/${created.id}/deliveries`).set('Authorization', auth),
        h.http.post(`/webhooks/${created.id}/deliveries/${someone}/redeliver`).set('Authorization', auth),
      ]);
      for (const response of responses) {
        assert.equal(response.status, 403, JSON.stringify(response.body));
        assert.equal(response.body.code, 'AUTH.FORBIDDEN');
      }
    }
    await h.http.get('/webhooks').expect(401);
    const still = (await h.http.get(`/webhooks/${created.id}`).set('Authorization', admin()).expect(200)).body as Webhook;
    assert.equal(still.status, 'ACTIVE');
  });
});

describe('outgoing webhooks: the platform\'s own network is out of reach', () => {
  let h: NotificationHarness;
  let receiver: Receiver;

  before(async () => {
    // No network allowed: the receiver on the loopback address is what an attacker would aim at.
    h = await startNotifications({ WEBHOOK_RETRY_DELAY: '100ms', WEBHOOK_POLL_INTERVAL: '50ms', WEBHOOK_RETRY_WINDOW: '1s' });
    receiver = await new Receiver().start();
  });
  after(async () => {
    await receiver?.stop();
    await h?.close();
  });

  test('private, loopback, link-local and IPv4-in-IPv6 addresses are refused when registering, naming the field', async () => {
    for (const url of [
      receiver.url('/x'),
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.20.0.5/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://0.0.0.0:8080/',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook',
    ]) {
      const response = await h.http.post('/webhooks').set('Authorization', `Bearer ${h.admin.token}`).send({ url, events: ['incident.created'] });
      assert.equal(response.status, 422, `${url}: ${response.status} ${JSON.stringify(response.body)}`);
      assert.equal(response.body.code, 'WEBHOOK.TARGET_NOT_ALLOWED');
      assert.equal(response.body.errors[0].path, '/url');
    }
    await h.http.patch(`/webhooks/${randomUUID()}`).set('Authorization', `Bearer ${h.admin.token}`).send({ url: 'http://127.0.0.1/' }).expect(422);
  });

  test('a name that resolves to a loopback address is refused when connecting (DNS rebinding), and nothing reaches the receiver', async () => {
    // A name passes registration (it may resolve elsewhere by the time of the delivery); the
    // check that counts is made against the addresses it resolves to when connecting.
    const created = (await h.http
      .post('/webhooks')
      .set('Authorization', `Bearer ${h.admin.token}`)
      .send({ url: receiver.url('/rebound', 'localhost'), events: ['incident.status_changed'] })
      .expect(201)).body as WebhookWithSecret;
    const reporter = await h.createUser('reporter');
    await h.publish('incident.status_changed', { incident: h.incident(reporter.user), actorId: null, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
    const delivery = await waitFor('the delivery given up', async () => {
      const page = (await h.http.get(`/webhooks/${created.id}/deliveries`).set('Authorization', `Bearer ${h.admin.token}`).expect(200)).body as { items: WebhookDelivery[] };
      return page.items[0]?.status === 'FAILED' ? page.items[0] : undefined;
    });
    assert.match(delivery.attemptLog[0]!.error!, /refused before connecting: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    assert.equal(delivery.attemptLog[0]!.remoteAddress, null);
    assert.equal(receiver.received.length, 0);
  });
});
