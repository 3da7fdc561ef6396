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

export const notificationApi: ApiDescription = {
  title: 'notification-service',
  version,
  tag: { name: 'Notifications', description: 'The in-app inbox and its live stream, each person\'s notification preferences, and the record of email deliveries.' },
  description:
    'Who is told what about incidents: the in-app inbox with its live stream, each person\'s email and in-app preferences, and the record ' +
    'of every mail for admins. Every operation needs an access token from identity-service; errors are `application/problem+json` with a ' +
    'stable `code`; every operation may answer `401 AUTH.TOKEN_MISSING`, `401 AUTH.INVALID_TOKEN` or `401 AUTH.TOKEN_REVOKED`.',
  operations,
};
