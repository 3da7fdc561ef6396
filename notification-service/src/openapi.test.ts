import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Notification } from '@desk/contracts';
import { assertResponseHeadersDocumented, describeOpenApiConformance, firstChunkOfEventStream } from '@desk/testing';
import { startNotifications, type NotificationHarness } from './test-support/harness.js';

// The shared conformance suite (@desk/testing), then the headers notification-service's
// responses carry, its live stream included.

describeOpenApiConformance(
  'notification-service',
  async () => {
    const h = await startNotifications();
    return { h, app: h.service.app, adminToken: h.admin.token, close: () => h.close() };
  },
  {
    // Routes of mounted routers, which only know `/` and `/:id/read`: the walk must see their mount paths.
    mustRegister: ['GET /notifications/preferences', 'PUT /notifications/preferences', 'GET /notifications/deliveries', 'POST /notifications/{id}/read'],
    extra(context) {
      test('when the inbox, the stream, the preferences and the deliveries answer, then the headers their responses carry are documented', async () => {
        const { h } = context.target;
        const { document } = context;
        const as = (token: string) => (request: ReturnType<NotificationHarness['http']['get']>) => request.set('Authorization', `Bearer ${token}`);
        const admin = as(h.admin.token);
        const check = (method: string, path: string, response: { status: number; headers: Record<string, string> }) =>
          assertResponseHeadersDocumented(document, method, path, response);

        // Something in the admin's inbox: an incident assigned to them.
        const incident = h.incident(h.admin.user, { assigneeId: h.admin.user.id, version: 2 });
        const event = await h.publish('incident.assigned', { incident, actorId: null, previousAssigneeId: null, assigneeId: h.admin.user.id });
        await h.handled(event.id);

        const inbox = await admin(h.http.get('/notifications')).expect(200);
        check('get', '/notifications', inbox);
        check('get', '/notifications', await admin(h.http.get('/notifications?unread=maybe')).expect(400));
        const [notification] = (inbox.body as { items: Notification[] }).items;
        assert.ok(notification, 'the assignment reached the admin\'s inbox');
        check('post', '/notifications/{id}/read', await admin(h.http.post(`/notifications/${notification.id}/read`)).expect(200));
        check('post', '/notifications/{id}/read', await admin(h.http.post(`/notifications/${randomUUID()}/read`)).expect(404));
        check('post', '/notifications/read-all', await admin(h.http.post('/notifications/read-all')).expect(200));

        // The stream stays open: read its head, then hang up.
        const stream = await admin(h.http.get('/notifications/stream')).buffer(true).parse(firstChunkOfEventStream).timeout({ deadline: 10_000 }).expect(200);
        assert.match(stream.headers['content-type'] ?? '', /^text\/event-stream/);
        check('get', '/notifications/stream', stream);

        check('get', '/notifications/preferences', await admin(h.http.get('/notifications/preferences')).expect(200));
        const preferences = { items: [{ eventType: 'incident.commented', email: false, inApp: true }] };
        check('put', '/notifications/preferences', await admin(h.http.put('/notifications/preferences')).send(preferences).expect(200));
        check('put', '/notifications/preferences', await admin(h.http.put('/notifications/preferences')).send({ items: [{ eventType: 'incident.unknown', email: true, inApp: true }] }).expect(400));

        check('get', '/notifications/deliveries', await admin(h.http.get('/notifications/deliveries')).expect(200));
        check('get', '/notifications/deliveries', await admin(h.http.get('/notifications/deliveries?status=LOST')).expect(400));

        // Inboxes are for people, the deliveries for admins.
        const service = as(await h.tokenFor({ id: randomUUID(), role: 'service', scopes: [] }));
        check('get', '/notifications', await service(h.http.get('/notifications')).expect(403));
        check('get', '/notifications/stream', await service(h.http.get('/notifications/stream')).buffer(true).parse(firstChunkOfEventStream).timeout({ deadline: 10_000 }).expect(403));
        const staff = await h.createUser('staff', h.department);
        check('get', '/notifications/deliveries', await as(staff.token)(h.http.get('/notifications/deliveries')).expect(403));
      });
    },
  },
);
