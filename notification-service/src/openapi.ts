import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  deliveryPageSchema,
  listDeliveriesQuerySchema,
  listNotificationsQuerySchema,
  notificationPageSchema,
  notificationSchema,
  preferencesSchema,
  putPreferencesBodySchema,
  readAllResultSchema,
  createWebhookBodySchema,
  listWebhookDeliveriesQuerySchema,
  rotateWebhookSecretBodySchema,
  updateWebhookBodySchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '@desk/contracts';
import type { ApiDescription, ApiOperation, ApiResponse } from '@desk/platform';
import { z } from 'zod';

// The public HTTP API of notification-service, described with the contracts its routes parse
// with. openapi.test.ts fails when a route is added here or in a router but not in both.

const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

const json = (description: string, schema: z.ZodType): ApiResponse => ({ description, schema });
const peopleOnly = 'For people: a service account gets `403 NOTIFICATION.PEOPLE_ONLY`.';

const operations: ApiOperation[] = [
  {
    method: 'get',
    path: '/notifications',
    summary: 'List my notifications',
    description:
      'The caller\'s own in-app notifications, newest first, cursor-paginated, with the number of unread ones in the whole inbox. ' +
      '`unread=true` lists only unread ones. ' +
      peopleOnly +
      '\n\nErrors: `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    query: listNotificationsQuerySchema,
    responses: { 200: json('A page of notifications and the unread count.', notificationPageSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/notifications/stream',
    summary: 'Live stream of my new notifications (server-sent events)',
    description:
      'A `text/event-stream` that stays open: each new notification of the caller arrives as an `event: notification` whose `data` is the ' +
      'notification (as in the list) and whose `id` is its id; a comment line every 15 s keeps the connection alive. Send the access token in the ' +
      '`Authorization` header (a fetch-based EventSource).\n\n' +
      '**Resuming.** A client that reconnects with `Last-Event-ID` gets exactly the notifications recorded after that one, in order, nothing it ' +
      'already had. When the id is not one of the caller\'s notifications (malformed, someone else\'s, deleted), or more than 100 have arrived ' +
      'since, the stream first sends `event: reset` with `data: {"reason":"unknown-last-event-id"|"too-far-behind","detail":"…"}`: reload the ' +
      'inbox (`GET /notifications`); new notifications follow on the same stream.\n\n' +
      '**Ending.** The service ends a stream itself, first sending `event: closed` with `data: {"reason":…,"detail":"…"}`, when: ' +
      '`token-expired` — the access token expired (at its `exp`); reconnect with a fresh token; ' +
      '`access-revoked` — the account was deactivated or its role or department changed (checked again every 2 s for open streams); do not reconnect; ' +
      '`too-many-streams` — the caller opened more than 5 streams (`STREAMS_PER_USER`); the oldest is closed (with `retry: 3600000`, so a plain EventSource waits an hour); do not reconnect it. ' +
      'The gateway applies the same rules to the streams it holds open.\n\n' +
      peopleOnly,
    auth: 'bearer',
    headers: { 'Last-Event-ID': { description: 'The id of the last notification received, to resume exactly after it; an id the stream does not know is answered with `event: reset`.' } },
    responses: {
      200: {
        description: 'Server-sent events, until the client disconnects.',
        contentType: 'text/event-stream',
        schema: z.string(),
        example:
          'id: f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c\nevent: notification\ndata: {"id":"f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c","type":"incident.assigned"}\n\n' +
          'event: closed\ndata: {"reason":"token-expired","detail":"The access token has expired; reconnect with a fresh one."}\n\n',
        headers: { 'Cache-Control': { description: '`no-cache, no-transform`: no cache or proxy may keep or alter the stream.', schema: { type: 'string' } } },
      },
    },
    errors: [403],
  },
  {
    method: 'post',
    path: '/notifications/{id}/read',
    summary: 'Mark a notification as read',
    description: 'Only in the caller\'s own inbox; marking it again keeps the first time. ' + peopleOnly + '\n\nErrors: `404 NOTIFICATION.NOT_FOUND`.',
    auth: 'bearer',
    params: z.object({ id: z.uuid().describe('The notification\'s id.') }),
    responses: { 200: json('The notification, read.', notificationSchema) },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/notifications/read-all',
    summary: 'Mark all my notifications as read',
    description: peopleOnly,
    auth: 'bearer',
    responses: { 200: json('How many were unread until now.', readAllResultSchema) },
    errors: [403],
  },
  {
    method: 'get',
    path: '/notifications/preferences',
    summary: 'Which events reach me, by email and in the app',
    description: 'One entry per event type people are told about; both channels are on until switched off. ' + peopleOnly,
    auth: 'bearer',
    responses: { 200: json('Every event type with its two channels.', preferencesSchema) },
    errors: [403],
  },
  {
    method: 'put',
    path: '/notifications/preferences',
    summary: 'Choose which events reach me, by email and in the app',
    description:
      'Replaces the caller\'s choices: event types left out go back to both channels on. A channel a rule does not use for an event ' +
      '(in-app for the receipt of a new incident, say) stays unused whatever the choice. ' +
      peopleOnly +
      '\n\nErrors: `400 VALIDATION.FAILED` (unknown event type, an event type twice).',
    auth: 'bearer',
    body: putPreferencesBodySchema,
    responses: { 200: json('Every event type with its two channels, as they are now.', preferencesSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/notifications/deliveries',
    summary: 'Mail sent and not sent (admin)',
    description:
      'Every mail the service meant to send, newest first, with its status: `PENDING` (waiting, or waiting to retry: see `nextAttemptAt` and ' +
      '`lastError`), `SENDING`, `SENT`, or `FAILED` (given up, with the reason). Filter by `status` (comma-separated), `userId`, `incidentId` or ' +
      '`incidentKey`, `eventType`, and a `createdFrom`/`createdTo` range.\n\nErrors: `403 AUTH.FORBIDDEN`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    query: listDeliveriesQuerySchema,
    responses: { 200: json('A page of deliveries.', deliveryPageSchema) },
    errors: [400, 403],
  },
];


const webhookId = z.object({ id: z.uuid().describe('The endpoint\'s id.') });
const adminOnly = 'Admins only: anyone else gets `403 AUTH.FORBIDDEN` (service accounts too).';
const signing =
  'Each delivery is a `POST` with a JSON body `{ "type", "timestamp", "data" }` (the event\'s type, when it happened, and its data as in the event ' +
  'catalogue) and the Standard Webhooks headers: `webhook-id` (the event\'s id: the same on every retry and redelivery, so receivers drop repeats by ' +
  'it), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` ' +
  'keyed with the secret\'s bytes after `whsec_`; during a rotation\'s overlap one signature per secret, space-separated). Any 2xx answer within ' +
  '10 s is success; anything else, a redirect (never followed) or no answer is retried with exponential backoff and jitter (5 s doubling up to 2 h) ' +
  'for 25 h. An endpoint whose every attempt failed for 3 days (at least 20 in a row) is disabled and the admin who registered it told by mail.';

const webhookOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/webhooks',
    summary: 'List webhook endpoints (admin)',
    description: 'Every registered endpoint, oldest first, with its state. Secrets are never listed. ' + adminOnly,
    auth: 'bearer',
    responses: { 200: json('Every endpoint.', webhookListSchema) },
    errors: [403],
  },
  {
    method: 'post',
    path: '/webhooks',
    summary: 'Register a webhook endpoint (admin)',
    description:
      'Starts delivering the named event types to the URL from the next event on. The answer carries the signing `secret`, shown this once: store it ' +
      'with the receiver. ' + signing + '\n\n' +
      'The URL must be `http(s)`, without credentials or fragment. An IP address that is private, loopback, link-local or otherwise internal is refused ' +
      '(`422 WEBHOOK.TARGET_NOT_ALLOWED`) unless the deployment allows its network (`WEBHOOK_ALLOWED_NETWORKS`); a name is checked each time a ' +
      'delivery connects, against every address it resolves to (a name that starts resolving to such an address is refused then). ' +
      adminOnly + '\n\nErrors: `400 VALIDATION.FAILED` (an unknown event type names it), `422 WEBHOOK.TARGET_NOT_ALLOWED`.',
    auth: 'bearer',
    body: createWebhookBodySchema,
    responses: { 201: { ...json('The endpoint, with its secret (shown only now).', webhookWithSecretSchema), headers: { Location: { description: 'The endpoint\'s URL.', schema: { type: 'string' } } } } },
    errors: [400, 403, 422],
  },
  {
    method: 'get',
    path: '/webhooks/{id}',
    summary: 'One webhook endpoint (admin)',
    description: adminOnly + '\n\nErrors: `404 WEBHOOK.NOT_FOUND`.',
    auth: 'bearer',
    params: webhookId,
    responses: { 200: json('The endpoint.', webhookSchema) },
    errors: [403, 404],
  },
  {
    method: 'patch',
    path: '/webhooks/{id}',
    summary: 'Change a webhook endpoint, disable or enable it (admin)',
    description:
      'Changes the URL, the event types or the description. `status: "DISABLED"` pauses deliveries (events meanwhile are not delivered to it); ' +
      '`status: "ACTIVE"` enables it again: its waiting deliveries go out at once, each with a new retry window, and its failure streak starts anew. ' +
      adminOnly + '\n\nErrors: `400 VALIDATION.FAILED`, `404 WEBHOOK.NOT_FOUND`, `422 WEBHOOK.TARGET_NOT_ALLOWED`.',
    auth: 'bearer',
    params: webhookId,
    body: updateWebhookBodySchema,
    responses: { 200: json('The endpoint as it is now.', webhookSchema) },
    errors: [400, 403, 404, 422],
  },
  {
    method: 'delete',
    path: '/webhooks/{id}',
    summary: 'Delete a webhook endpoint (admin)',
    description: 'Stops every delivery to it and deletes its delivery log. ' + adminOnly + '\n\nErrors: `404 WEBHOOK.NOT_FOUND`.',
    auth: 'bearer',
    params: webhookId,
    responses: { 204: { description: 'Deleted.' } },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    summary: 'Rotate a webhook endpoint\'s signing secret (admin)',
    description:
      'Makes a new secret and answers with it (shown this once). The previous secret keeps signing next to the new one — each delivery carries both ' +
      'signatures — for `overlapSeconds` (default 24 h; `0` ends it at once), so the receiver can switch without losing a delivery. ' +
      adminOnly + '\n\nErrors: `400 VALIDATION.FAILED`, `404 WEBHOOK.NOT_FOUND`.',
    auth: 'bearer',
    params: webhookId,
    body: rotateWebhookSecretBodySchema,
    responses: { 200: json('The endpoint, with its new secret (shown only now) and when the previous one stops signing.', webhookWithSecretSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    summary: 'An endpoint\'s delivery log (admin)',
    description:
      'Every delivery to the endpoint, newest first, kept 30 days: its status (`PENDING` — waiting or waiting to retry, see `nextAttemptAt`; `SENDING`; ' +
      '`SUCCEEDED`; `FAILED` — given up), the request as sent (headers of its newest attempt, and the body), and its attempts with the answer\'s status, ' +
      'timing and the first 1 KiB of the answer\'s body. Filter by `status` (comma-separated) and `eventType`. ' +
      adminOnly + '\n\nErrors: `400 VALIDATION.FAILED`, `404 WEBHOOK.NOT_FOUND`.',
    auth: 'bearer',
    params: webhookId,
    query: listWebhookDeliveriesQuerySchema,
    responses: { 200: json('A page of deliveries.', webhookDeliveryPageSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'post',
    path: '/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    summary: 'Send a delivery again (admin)',
    description:
      'Sends the delivery again as soon as a sender is free, with the same `webhook-id` and body and a new signature and timestamp; a failed one is ' +
      'retried again for a new window. ' + adminOnly + '\n\nErrors: `404 WEBHOOK.NOT_FOUND`, `404 WEBHOOK.DELIVERY_NOT_FOUND`, ' +
      '`409 WEBHOOK.DISABLED` (enable the endpoint first), `409 WEBHOOK.DELIVERY_IN_FLIGHT` (an attempt is under way).',
    auth: 'bearer',
    params: webhookId.extend({ deliveryId: z.uuid().describe('The delivery\'s id.') }),
    responses: { 202: json('The delivery, waiting to be sent.', webhookDeliverySchema) },
    errors: [403, 404, 409],
  },
];

export const notificationApi: ApiDescription = {
  title: 'notification-service',
  version,
  tag: { name: 'Notifications', description: 'The in-app inbox and its live stream, each person\'s notification preferences, the record of email deliveries, and outgoing webhooks.' },
  description:
    'Who is told what about incidents: the in-app inbox with its live stream, each person\'s email and in-app preferences, and the record ' +
    'of every mail for admins. Every operation needs an access token from identity-service; errors are `application/problem+json` with a ' +
    'stable `code`; every operation may answer `401 AUTH.TOKEN_MISSING`, `401 AUTH.INVALID_TOKEN` or `401 AUTH.TOKEN_REVOKED`.',
  operations: [...operations, ...webhookOperations],
};
