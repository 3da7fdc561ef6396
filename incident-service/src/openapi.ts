import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  attachmentListSchema,
  attachmentSchema,
  attachmentUploadSchema,
  ATTACHMENT_TYPES,
  commentPageSchema,
  inboundMailPageSchema,
  listInboundMailsQuerySchema,
  countIncidentsQuerySchema,
  incidentCountSchema,
  incidentPageSchema,
  timelineEntryPageSchema,
  categoryListSchema,
  slaPolicyListSchema,
  assignIncidentBodySchema,
  categorySchema,
  commentSchema,
  createCategoryBodySchema,
  createCommentBodySchema,
  createIncidentBodySchema,
  INCIDENT_COUNT_CAP,
  INCIDENT_PRIORITIES,
  INCIDENT_STATUSES,
  incidentPrioritySchema,
  incidentSchema,
  incidentChangeEventSchema,
  listCategoriesQuerySchema,
  listIncidentsQuerySchema,
  pageQuerySchema,
  slaPolicySchema,
  incidentPeopleSchema,
  updateCategoryBodySchema,
  updateIncidentBodySchema,
  updateSlaPolicyBodySchema,
  createSavedViewBodySchema,
  savedViewListSchema,
  savedViewSchema,
  SAVED_VIEWS_PER_PERSON,
  updateSavedViewBodySchema,
  calendarAssignmentBodySchema,
  calendarAssignmentSchema,
  calendarListSchema,
  calendarSchema,
  createCalendarBodySchema,
  priorityMatrixSchema,
  startWaitingBodySchema,
  updateCalendarBodySchema,
  updatePriorityMatrixBodySchema,
  availabilityListSchema,
  availabilityQuerySchema,
  availabilitySchema,
  putAvailabilityBodySchema,
  createEscalationRuleBodySchema,
  escalationRuleListSchema,
  escalationRuleSchema,
  updateEscalationRuleBodySchema,
  createIncidentLinkBodySchema,
  declareMajorBodySchema,
  incidentLinkListSchema,
  incidentLinkSchema,
  majorIncidentNoticeListSchema,
  majorIncidentSchema,
  majorUpdateBodySchema,
  majorUpdateSchema,
  MAX_MENTIONS,
  MAX_WATCHERS,
  mentionableListSchema,
  mentionableQuerySchema,
  postIncidentReviewBodySchema,
  postIncidentReviewSchema,
  watcherCandidateListSchema,
  watcherCandidatesQuerySchema,
  watcherListSchema,
  watcherSchema,
  putSatisfactionBodySchema,
  satisfactionSchema,
} from '@desk/contracts';
import type { ApiDescription, ApiOperation, ApiResponse } from '@desk/platform';
import { z } from 'zod';

// The public HTTP API of incident-service, described with the contracts its routes parse with.
// `/health` and `/metrics` are deliberately absent (the gateway documents health).
// openapi.test.ts fails when a route is added here or in a router but not in both.

/** The service's package version: `src/` and `dist/` both sit next to its package.json. */
const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

// Path parameters the routers check with local schemas: the same checks, described. An id or
// key that cannot name an incident or comment is a 404, not a 400 (see incidentIdOrKey).
const incidentRef = z
  .union([z.uuid(), z.string().regex(/^INC-\d{1,18}$/i)])
  .describe('The incident\'s id (a UUID) or its key (`INC-000042`).');
const incidentParams = z.object({ id: incidentRef });
const commentParams = z.object({ id: incidentRef, commentId: z.uuid().describe('The comment\'s id.') });
const categoryParams = z.object({ id: z.uuid().describe('The category\'s id.') });
const attachmentParams = z.object({ attachmentId: z.uuid().describe('The attachment\'s id.') });
const viewParams = z.object({ id: z.uuid().describe('The saved view\'s id.') });
const ruleParams = z.object({ id: z.uuid().describe('The escalation rule\'s id.') });
const userParams = z.object({ userId: z.uuid().describe('The person\'s user id.') });
const calendarParams = z.object({ id: z.uuid().describe('The calendar\'s id.') });
const departmentParams = z.object({ departmentId: z.uuid().describe('The department\'s id.') });
const priorityParams = z.object({ priority: incidentPrioritySchema.describe('The priority the policy is for.') });

// The list query as the route parses it, with what a caller needs to know about each filter.
const listQuery = listIncidentsQuerySchema.shape;
const listIncidentsQuery = listIncidentsQuerySchema.extend({
  status: listQuery.status.describe(`One or more of ${INCIDENT_STATUSES.join(', ')}, comma-separated or repeated.`),
  priority: listQuery.priority.describe(`One or more of ${INCIDENT_PRIORITIES.join(', ')}, comma-separated or repeated.`),
  departmentId: listQuery.departmentId.describe('Staff and managers may give only their own department.'),
  assigneeId: listQuery.assigneeId.describe('A user id, `me`, or `unassigned`.'),
  reporterId: listQuery.reporterId.describe('A user id, or `me` (for staff and managers: the incidents they reported, in any department).'),
  q: listQuery.q.describe('Words to find in the title and description, each as a prefix; all must match.'),
  createdFrom: listQuery.createdFrom.describe('Filed at or after this time.'),
  createdTo: listQuery.createdTo.describe('Filed before this time.'),
  breached: listQuery.breached.describe('Only incidents that did (`true`) or did not (`false`) miss an SLA target.'),
  dueBefore: listQuery.dueBefore.describe('Only incidents with a response or resolution target still running that falls due before this time (due soon, or overdue and not yet marked as missed).'),
  sort: listQuery.sort.describe('Newest first by `updatedAt` or `createdAt`, or highest `priority` first.'),
  cursor: listQuery.cursor.describe('The `nextCursor` of the previous page, with the same filters and sort.'),
});

const stringSchema = { type: 'string' };
const etag = { ETag: { description: 'The incident\'s version, e.g. `"7"`: send it back as `If-Match` when changing the incident.', schema: stringSchema } };
const location = (what: string) => ({ Location: { description: `The new ${what}'s URL.`, schema: stringSchema } });
const json = (description: string, schema: z.ZodType, headers?: ApiResponse['headers']): ApiResponse => ({ description, schema, ...(headers ? { headers } : {}) });

const ifMatch = {
  'If-Match': {
    description:
      'The `ETag` the incident was read with (`"7"` or `W/"7"`), a list of them (`"6", "7"`), or `*` for any current version. When none matches, the change is refused with `412 INCIDENT.VERSION_MISMATCH` ' +
      'instead of overwriting someone else\'s. Alternatively give `version` in the body; the header wins.',
  },
};

const readScope = 'Service accounts need the `incidents:read` scope (`403 AUTH.INSUFFICIENT_SCOPE`).';
const writeScope = 'Service accounts need the `incidents:write` scope (`403 AUTH.INSUFFICIENT_SCOPE`).';
const invisible = 'An incident the caller may not see is `404 INCIDENT.NOT_FOUND`, exactly like one that does not exist.';

const incidents: ApiOperation[] = [
  {
    method: 'get',
    path: '/incidents',
    summary: 'List incidents',
    description:
      'Filtered by who asks: reporters see their own; staff and managers their department\'s (or, with `reporterId=me`, the ones they reported); ' +
      'admins and service accounts everything. Then the filters (`status` and `priority` take comma-separated lists; `q` is a prefix full-text search ' +
      'of title and description), newest activity first (or `sort=createdAt|priority`), cursor-paginated. ' +
      readScope +
      '\n\nErrors: `403 INCIDENT.FORBIDDEN_DEPARTMENT` (staff or manager asking for another department), `400 VALIDATION.FAILED` ' +
      '(unknown parameters, a cursor from another list or sort order).',
    auth: 'bearer',
    query: listIncidentsQuery,
    responses: { 200: json('A page of incidents.', incidentPageSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/incidents/count',
    summary: 'Count incidents',
    description:
      'How many incidents `GET /incidents` with the same filters lists (the same scope by caller), counted up to ' +
      `${INCIDENT_COUNT_CAP}: beyond that \`capped\` is true and the figure reads "${INCIDENT_COUNT_CAP}+". For dashboards, where each figure links to the list it counts. ` +
      readScope +
      '\n\nErrors: `403 INCIDENT.FORBIDDEN_DEPARTMENT` (staff or manager asking for another department), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    query: countIncidentsQuerySchema.extend(Object.fromEntries(Object.entries(listIncidentsQuery.shape).filter(([name]) => name in countIncidentsQuerySchema.shape)) as typeof countIncidentsQuerySchema.shape),
    responses: { 200: json('How many incidents match.', incidentCountSchema) },
    errors: [400, 403],
  },
  {
    method: 'post',
    path: '/incidents',
    summary: 'File an incident',
    description:
      'Any signed-in person, and service accounts with `incidents:write`. The caller becomes the reporter; the department comes from the category, ' +
      'the SLA due times from the priority\'s policy (`MEDIUM` when not given). Publishes `incident.created`.\n\n' +
      'Send an `Idempotency-Key` to retry safely: a repeat with the same key and the same body returns the incident the first request filed ' +
      '(with `Idempotent-Replayed: true`) instead of filing it twice.\n\n' +
      'Errors: `422 INCIDENT.CATEGORY_NOT_FOUND`, `422 INCIDENT.CATEGORY_INACTIVE`, `422 INCIDENT.IDEMPOTENCY_KEY_REUSED` (same key, different body), ' +
      '`400 VALIDATION.FAILED`, `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    headers: {
      'Idempotency-Key': { description: '1 to 200 visible ASCII characters, unique per incident you mean to file (a UUID, say). Remembered per caller.' },
    },
    body: createIncidentBodySchema,
    responses: {
      201: json('The incident filed (or, for a replayed Idempotency-Key, filed before).', incidentSchema, {
        ...location('incident'),
        ...etag,
        'Idempotent-Replayed': { description: '`true` when this answers a repeat of an earlier request with the same Idempotency-Key.', schema: stringSchema },
      }),
    },
    errors: [400, 403, 422],
  },
  {
    method: 'get',
    path: '/incidents/stream',
    summary: 'Live stream of changes to the incidents I may see (server-sent events)',
    description:
      'A `text/event-stream` that stays open: every committed change to an incident the caller may see (the rules of `GET /incidents`: ' +
      'reporters their own, staff and managers their department, admins and service accounts with an incidents scope all) arrives as an ' +
      '`event: incident` whose `data` says which incident and what kind of change — `created`, `updated`, `status_changed`, `priority_changed`, ' +
      '`assigned`, `commented`, `sla_breached`, or `hidden` when a change took the incident out of the caller\'s sight — never its content: ' +
      'fetch what you show. Internal notes reach only those who may read them. `byYou` is true for the caller\'s own changes. A change that ' +
      'rolls back is never sent. A comment line every 15 s keeps the connection alive. Send the access token in the `Authorization` header.\n\n' +
      '**Resuming.** Each event\'s `id` orders the changes; reconnecting with `Last-Event-ID` sends the changes after it that the caller may see. ' +
      'When the id is unknown, or more than 200 changes happened since, the stream first sends `event: reset` with ' +
      '`data: {"reason":"unknown-last-event-id"|"too-far-behind","detail":"…"}`: reload what you show; new changes follow on the same stream.\n\n' +
      '**Ending.** As `GET /notifications/stream`: `event: closed` with `token-expired` (reconnect with a fresh token), `access-revoked` or ' +
      '`too-many-streams` (more than 5 of this caller, `STREAMS_PER_USER`; do not reconnect). The gateway applies the same rules and limits. ' +
      readScope,
    auth: 'bearer',
    headers: { 'Last-Event-ID': { description: 'The id of the last change received, to resume after it; an id the stream does not know is answered with `event: reset`.' } },
    responses: {
      200: {
        description: 'Server-sent events, until the client disconnects. `data` of `event: incident`: ' + JSON.stringify(Object.keys(incidentChangeEventSchema.shape)) + '.',
        contentType: 'text/event-stream',
        schema: z.string(),
        example:
          'id: 4711\nevent: incident\ndata: {"id":"0b9f8c8e-3d7a-4f0e-9a51-2f1c9e6d4a10","key":"INC-000042","version":3,"departmentId":"5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b","change":"status_changed","byYou":false,"at":"2026-03-02T09:15:00.000Z"}\n\n' +
          'event: closed\ndata: {"reason":"token-expired","detail":"The access token has expired; reconnect with a fresh one."}\n\n',
        headers: { 'Cache-Control': { description: '`no-cache, no-transform`: no cache or proxy may keep or alter the stream.', schema: { type: 'string' } } },
      },
    },
    errors: [403],
  },
  {
    method: 'get',
    path: '/incidents/{id}',
    summary: 'Get an incident by id or key',
    description:
      'For its reporter, the staff and managers of its department, admins, and service accounts with `incidents:read`. ' +
      invisible +
      '\n\nErrors: `404 INCIDENT.NOT_FOUND`, `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The incident.', incidentSchema, etag) },
    errors: [403, 404],
  },
  {
    method: 'patch',
    path: '/incidents/{id}',
    summary: 'Change status, priority, title or description',
    description:
      'One all-or-nothing change; each part is checked against the lifecycle and the caller\'s role:\n' +
      '- status: OPEN→IN_PROGRESS, IN_PROGRESS→RESOLVED and IN_PROGRESS→OPEN by the department\'s staff and managers and admins; ' +
      'OPEN→CANCELLED by the reporter, the department\'s manager and admins; RESOLVED→CLOSED by the reporter and admins; ' +
      'RESOLVED→IN_PROGRESS (re-open) by the reporter, the department\'s people and admins. CLOSED and CANCELLED are final. ' +
      'Starting work on an unassigned incident assigns it to whoever starts it. `reason` is recorded with a status change.\n' +
      '- priority: the department\'s staff and managers and admins; the SLA due times are recomputed.\n' +
      '- title and description: the reporter while OPEN, the department\'s people and admins until final.\n\n' +
      'Resolving a parent incident resolves its open child incidents too. A major incident closes only once its post-incident review is written. ' +
      'Each change writes a timeline entry and publishes its event. ' +
      invisible +
      '\n\nErrors: `409 INCIDENT.INVALID_TRANSITION`, `409 INCIDENT.FINAL`, `409 MAJOR.REVIEW_REQUIRED`, `403 INCIDENT.FORBIDDEN` (the role may not make this change), ' +
      '`412 INCIDENT.VERSION_MISMATCH` (stale If-Match or version), `404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED` (including a malformed If-Match). ' +
      writeScope,
    auth: 'bearer',
    params: incidentParams,
    headers: ifMatch,
    body: updateIncidentBodySchema,
    responses: { 200: json('The incident as it is now.', incidentSchema, etag) },
    errors: [400, 403, 404, 409, 412],
  },
  {
    method: 'patch',
    path: '/incidents/{id}/assign',
    summary: 'Assign or unassign an incident',
    description:
      'The manager of the incident\'s department, and admins. The assignee must be an active staff member or manager of that department; ' +
      '`assigneeId: null` unassigns. Publishes `incident.assigned`. ' +
      invisible +
      '\n\nErrors: `403 INCIDENT.FORBIDDEN`, `422 INCIDENT.INVALID_ASSIGNEE`, `409 INCIDENT.FINAL`, `412 INCIDENT.VERSION_MISMATCH`, ' +
      '`404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED`. ' +
      writeScope,
    auth: 'bearer',
    params: incidentParams,
    headers: ifMatch,
    body: assignIncidentBodySchema,
    responses: { 200: json('The incident as it is now.', incidentSchema, etag) },
    errors: [400, 403, 404, 409, 412, 422],
  },
  {
    method: 'post',
    path: '/incidents/{id}/waiting',
    summary: 'Wait on the reporter (ask them something)',
    description:
      'Staff and managers of the incident\'s department, and admins, on an incident IN_PROGRESS. The message is posted as a public comment ' +
      '(the reporter is told of it), the incident is flagged `waiting`, and its resolution clock pauses: `resolutionDueAt` is null until the ' +
      'wait ends. The reporter\'s next comment ends it (the clock resumes with the working time it had left); without a reply the incident is ' +
      'resolved after `WAITING_AUTO_RESOLVE_DAYS` working days of its department\'s calendar (`waiting.expiresAt`), with a note. A status ' +
      'change also ends the wait. Publishes `incident.commented` and `incident.waiting_changed`. ' +
      invisible +
      '\n\nErrors: `403 INCIDENT.FORBIDDEN`, `409 INCIDENT.NOT_IN_PROGRESS`, `409 INCIDENT.ALREADY_WAITING`, `412 INCIDENT.VERSION_MISMATCH`, ' +
      '`404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED`. ' +
      writeScope,
    auth: 'bearer',
    params: incidentParams,
    headers: ifMatch,
    body: startWaitingBodySchema,
    responses: { 200: json('The incident as it is now, with `waiting` set.', incidentSchema, etag) },
    errors: [400, 403, 404, 409, 412],
  },
  {
    method: 'delete',
    path: '/incidents/{id}/waiting',
    summary: 'Stop waiting on the reporter',
    description:
      'Staff and managers of the department, admins, and the reporter (who may have answered another way). The resolution clock resumes with ' +
      'the working time it had left. Nothing changes when the incident is not waiting. Publishes `incident.waiting_changed`. ' +
      invisible +
      '\n\nErrors: `403 INCIDENT.FORBIDDEN`, `412 INCIDENT.VERSION_MISMATCH`, `404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED` (an `If-Match` that is not an ETag). ' +
      writeScope,
    auth: 'bearer',
    params: incidentParams,
    headers: ifMatch,
    responses: { 200: json('The incident as it is now.', incidentSchema, etag) },
    errors: [400, 403, 404, 412],
  },
];

const comments: ApiOperation[] = [
  {
    method: 'post',
    path: '/incidents/{id}/comments',
    summary: 'Comment on an incident, or add an internal note',
    description:
      'Anyone who may see the incident may comment, in any status. `isInternal: true` makes an internal note, only for the department\'s staff ' +
      'and managers and admins; reporters never see internal notes, nor learn that one was written. Comments do not change the incident\'s ' +
      'version (ETag). Publishes `incident.commented`. ' +
      `Mention someone by writing \`<@\` their user id \`>\` (at most ${MAX_MENTIONS}; \`GET /incidents/{id}/mentionable\` finds them by name): each is told of the comment. ` +
      'Everyone mentioned must be able to see the incident, and for an internal note read internal notes; otherwise nothing is saved. ' +
      invisible +
      '\n\nErrors: `403 COMMENT.INTERNAL_FORBIDDEN`, `404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED`, `422 COMMENT.MENTION_NOT_ALLOWED`. ' +
      writeScope,
    auth: 'bearer',
    params: incidentParams,
    body: createCommentBodySchema,
    responses: { 201: json('The comment.', commentSchema, location('comment')) },
    errors: [400, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/incidents/{id}/comments',
    summary: 'List an incident\'s comments',
    description:
      'Oldest first, cursor-paginated. Internal notes are included only for the department\'s staff and managers and admins. ' +
      invisible +
      '\n\nErrors: `404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED`. ' +
      readScope,
    auth: 'bearer',
    params: incidentParams,
    query: pageQuerySchema,
    responses: { 200: json('A page of comments.', commentPageSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/comments/{commentId}',
    summary: 'Get one comment',
    description:
      'Where a new comment\'s `Location` points. An internal note asked for by someone who may not read internal notes is ' +
      '`404 COMMENT.NOT_FOUND`, like a comment that does not exist.\n\nErrors: `404 INCIDENT.NOT_FOUND`, `404 COMMENT.NOT_FOUND`. ' +
      readScope,
    auth: 'bearer',
    params: commentParams,
    responses: { 200: json('The comment.', commentSchema) },
    errors: [403, 404],
  },
];

const binary = z.string().meta({ format: 'binary' });
const attachmentVisibility =
  'Internal attachments (and those of internal notes) are only for the department\'s staff, its managers and admins: anyone else gets `404 ATTACHMENT.NOT_FOUND`, ' +
  'as for one that does not exist.';
const attachments: ApiOperation[] = [
  {
    method: 'post',
    path: '/incidents/{id}/attachments',
    summary: 'Attach a file to an incident or to one of its comments',
    description:
      'A `multipart/form-data` body: optional form fields `isInternal` (`true` for staff, managers and admins of the department) and `commentId` ' +
      '(a comment or internal note of this incident; an internal note\'s attachment is internal), then one part named `file`. ' +
      'The file streams to storage as it arrives. Its type is recognised from its content (first bytes), not its name, and the name\'s extension ' +
      `must match it. Accepted: ${Object.entries(ATTACHMENT_TYPES).map(([type, extensions]) => `${type} (${extensions.map((each) => `.${each}`).join(', ')})`).join('; ')}. ` +
      'With a malware scanner configured, the new attachment is `scanning` until the scan ends; images get a thumbnail shortly after. ' +
      'Anything refused leaves nothing stored. Publishes `incident.attachment_added`. ' +
      invisible +
      '\n\nErrors: `413 ATTACHMENT.TOO_LARGE` (the limit, 25 MB unless configured otherwise, is in the detail and in `limitBytes`), ' +
      '`415 ATTACHMENT.TYPE_REFUSED` (names the type found), `400 ATTACHMENT.MALFORMED_UPLOAD` (a broken body, no `file` part, a bad field), ' +
      '`403 COMMENT.INTERNAL_FORBIDDEN`, `404 COMMENT.NOT_FOUND`, `503 ATTACHMENT.STORAGE_UNAVAILABLE`. ' +
      writeScope,
    auth: 'bearer',
    params: incidentParams,
    body: attachmentUploadSchema,
    bodyContentType: 'multipart/form-data',
    responses: { 201: json('The attachment.', attachmentSchema, location('attachment')) },
    errors: [400, 403, 404, 503],
  },
  {
    method: 'get',
    path: '/incidents/{id}/attachments',
    summary: 'List an incident\'s attachments',
    description: `Oldest first, with those of its comments (\`commentId\`). ${attachmentVisibility} ${invisible}\n\nErrors: \`404 INCIDENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The incident\'s attachments the caller may see.', attachmentListSchema) },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/attachments/{attachmentId}',
    summary: 'Get one attachment\'s details',
    description: `Where an upload's \`Location\` points. ${attachmentVisibility}\n\nErrors: \`404 ATTACHMENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: attachmentParams,
    responses: { 200: json('The attachment.', attachmentSchema) },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/attachments/{attachmentId}/content',
    summary: 'Download an attachment',
    description:
      'The file as it was uploaded, as a download (`Content-Disposition: attachment` with its name), typed as its content was recognised, ' +
      'never for the browser to render (`X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox`). `ETag` is its SHA-256; ' +
      `\`If-None-Match\` with it answers 304. ${attachmentVisibility}\n\nErrors: \`404 ATTACHMENT.NOT_FOUND\`, \`409 ATTACHMENT.SCANNING\` ` +
      `(held until the malware scan ends; see Retry-After), \`410 ATTACHMENT.INFECTED\`, \`503 ATTACHMENT.STORAGE_UNAVAILABLE\`. ${readScope}`,
    auth: 'bearer',
    params: attachmentParams,
    responses: {
      200: {
        description: 'The file\'s bytes.',
        contentType: 'application/octet-stream',
        schema: binary,
        headers: {
          'Content-Disposition': { description: '`attachment; filename="…"; filename*=UTF-8\'\'…`', schema: stringSchema },
          ETag: { description: 'The content\'s SHA-256, quoted.', schema: stringSchema },
        },
      },
      304: { description: 'Unchanged since the ETag sent in If-None-Match.' },
    },
    errors: [403, 404, 409, 410, 503],
  },
  {
    method: 'get',
    path: '/attachments/{attachmentId}/thumbnail',
    summary: 'An image attachment\'s thumbnail',
    description: `A WebP at most 320 pixels on its longer side, made by the platform after the upload (\`thumbnailUrl\` on the attachment says when it is there). ${attachmentVisibility}\n\nErrors: \`404 ATTACHMENT.NOT_FOUND\` (also when there is no thumbnail). ${readScope}`,
    auth: 'bearer',
    params: attachmentParams,
    responses: { 200: { description: 'The thumbnail.', contentType: 'image/webp', schema: binary } },
    errors: [403, 404, 503],
  },
  {
    method: 'delete',
    path: '/attachments/{attachmentId}',
    summary: 'Delete an attachment',
    description:
      'By the person who uploaded it, or by the department\'s staff, its managers and admins. Recorded in the timeline (internal for an internal attachment); ' +
      'its content is removed from storage. Publishes `incident.attachment_removed`. ' +
      `${attachmentVisibility}\n\nErrors: \`403 ATTACHMENT.DELETE_FORBIDDEN\`, \`404 ATTACHMENT.NOT_FOUND\`. ${writeScope}`,
    auth: 'bearer',
    params: attachmentParams,
    responses: { 204: { description: 'Deleted.' } },
    errors: [403, 404],
  },
];

const timeline: ApiOperation[] = [
  {
    method: 'get',
    path: '/incidents/{id}/timeline',
    summary: 'An incident\'s audit history',
    description:
      'Every change in the order it happened: created, status and priority changes (with reasons), assignments, edits, comments and SLA breaches, ' +
      'with who made them (`actorId` null for the platform itself). Entries about internal notes are hidden from those who may not read them. ' +
      'Cursor-paginated. ' +
      invisible +
      '\n\nErrors: `404 INCIDENT.NOT_FOUND`, `400 VALIDATION.FAILED`. ' +
      readScope,
    auth: 'bearer',
    params: incidentParams,
    query: pageQuerySchema,
    responses: { 200: json('A page of timeline entries.', timelineEntryPageSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/people',
    summary: 'The names of the people on an incident',
    description:
      'Its reporter, its assignee and everyone who acted on it or was assigned it, by id and full name, for whoever may see the incident ' +
      '(the user directory itself, with emails, is for admins and managers). Someone who appears only through internal notes is left out ' +
      'for those who may not read them; service accounts and the platform have no name here. ' +
      invisible +
      '\n\nErrors: `404 INCIDENT.NOT_FOUND`. ' +
      readScope,
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The people, ordered by name.', incidentPeopleSchema) },
    errors: [403, 404],
  },
];

const watcherParams = z.object({ id: incidentRef, userId: z.union([z.literal('me'), z.uuid()]).describe('The person\'s user id, or `me`.') });
const linkParams = z.object({ id: incidentRef, linkId: z.uuid().describe('The link\'s id.') });
const manageWatchers =
  'Anyone who may see the incident may watch it, or stop, themselves; adding or removing someone else is for its reporter, the department\'s staff and managers, admins, ' +
  'and service accounts with `incidents:write` (`403 WATCHER.FORBIDDEN`).';
const collaboration: ApiOperation[] = [
  {
    method: 'get',
    path: '/incidents/{id}/watchers',
    summary: 'Who watches an incident',
    description: `Oldest first, with names. Watchers see the incident and its public conversation, and staff, managers and admins among them its internal notes too; they are told of its changes as their notification settings say. ${invisible}\n\nErrors: \`404 INCIDENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The watchers.', watcherListSchema) },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/watcher-candidates',
    summary: 'Find people to add as watchers',
    description:
      'Active people whose name contains `q`, with their department, leaving out the reporter and those who watch it already: how a reporter finds a colleague to add. ' +
      `For those who may add others (\`403 WATCHER.FORBIDDEN\` otherwise). ${invisible}\n\nErrors: \`400 VALIDATION.FAILED\`, \`403 WATCHER.FORBIDDEN\`, \`404 INCIDENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    query: watcherCandidatesQuerySchema,
    responses: { 200: json('The people, by name.', watcherCandidateListSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'put',
    path: '/incidents/{id}/watchers/{userId}',
    summary: 'Watch an incident, or add someone as a watcher',
    description:
      `201 when added, 200 when they watched it already. A reporter may add colleagues this way: they then see the incident and its public conversation. ${manageWatchers} ` +
      `At most ${MAX_WATCHERS} per incident. Changes the incident's version. Publishes \`incident.watcher_added\` (the person added by someone else is told). ${invisible}\n\n` +
      `Errors: \`404 WATCHER.PERSON_NOT_FOUND\` (no active person), \`409 WATCHER.LIMIT_REACHED\`, \`409 INCIDENT.FINAL\`, \`403 WATCHER.FORBIDDEN\`. ${writeScope}`,
    auth: 'bearer',
    params: watcherParams,
    responses: { 200: json('They watched it already.', watcherSchema), 201: json('The new watcher.', watcherSchema) },
    errors: [403, 404, 409],
  },
  {
    method: 'delete',
    path: '/incidents/{id}/watchers/{userId}',
    summary: 'Stop watching an incident, or remove a watcher',
    description: `204 also when they did not watch it. ${manageWatchers} Publishes \`incident.watcher_removed\`. ${invisible}\n\nErrors: \`403 WATCHER.FORBIDDEN\`, \`404 WATCHER.PERSON_NOT_FOUND\` (not a user id). ${writeScope}`,
    auth: 'bearer',
    params: watcherParams,
    responses: { 204: { description: 'Not watching it (any more).' } },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/mentionable',
    summary: 'Who may be mentioned on an incident',
    description:
      'For the comment box\'s autocomplete: active people who may see the incident (its reporter, its watchers, the department\'s staff and managers, admins), ' +
      'by name, the caller left out. With `internal=true`, only those who may read internal notes (for which the caller must be one). ' +
      `${invisible}\n\nErrors: \`403 COMMENT.INTERNAL_FORBIDDEN\`, \`404 INCIDENT.NOT_FOUND\`, \`400 VALIDATION.FAILED\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    query: mentionableQuerySchema,
    responses: { 200: json('The people, by name.', mentionableListSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/links',
    summary: 'An incident\'s links to other incidents',
    description:
      'Oldest first, each as seen from this incident: `related`, `duplicate_of` (this one duplicates the other), `duplicated_by`, `parent_of` (this one is the other\'s parent), `child_of`. ' +
      `Links to incidents the caller may not see are left out. ${invisible}\n\nErrors: \`404 INCIDENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The links.', incidentLinkListSchema) },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/incidents/{id}/links',
    summary: 'Link an incident to another',
    description:
      'For the department\'s staff and managers, admins, and service accounts with `incidents:write`; the caller must see both incidents. ' +
      '`duplicate_of` closes this incident in the same change, with the reason "duplicate of INC-…", which its reporter is told. `parent_of`/`child_of`: an incident has one parent, and ' +
      'parents and children make no loops; resolving a parent resolves its open children with a reason that names it. Two incidents have one link at most. ' +
      `Both get a timeline entry; publishes \`incident.linked\`. ${invisible}\n\n` +
      `Errors: \`422 LINK.INVALID\` (no such target, itself, a second parent, a loop, a duplicate of a duplicate, a closed or major incident as the duplicate), \`409 LINK.EXISTS\`, \`403 INCIDENT.FORBIDDEN\`, \`400 VALIDATION.FAILED\`. ${writeScope}`,
    auth: 'bearer',
    params: incidentParams,
    body: createIncidentLinkBodySchema,
    responses: { 201: json('The link, as seen from this incident.', incidentLinkSchema, location('link')) },
    errors: [400, 403, 404, 409, 422],
  },
  {
    method: 'delete',
    path: '/incidents/{id}/links/{linkId}',
    summary: 'Remove a link between incidents',
    description:
      'From either of its incidents. A duplicate stays closed. Both get a timeline entry; publishes `incident.unlinked`. ' +
      `${invisible}\n\nErrors: \`404 LINK.NOT_FOUND\`, \`403 INCIDENT.FORBIDDEN\`. ${writeScope}`,
    auth: 'bearer',
    params: linkParams,
    responses: { 204: { description: 'Removed.' } },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/major',
    summary: 'A major incident: its summary, status updates and review',
    description: `${invisible}\n\nErrors: \`404 MAJOR.NOT_FOUND\` (not declared a major incident), \`404 INCIDENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The major incident.', majorIncidentSchema) },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/incidents/{id}/major',
    summary: 'Declare a major incident',
    description:
      'For the department\'s manager, admins, and service accounts with `incidents:write`, while the incident is not closed or cancelled. One incident then stands for many: ' +
      'link the others as its children, and post status updates, which reach its watchers and the reporters and watchers of its child incidents; the portal shows them a banner. ' +
      'It closes only once its post-incident review is written. Changes the incident\'s version; publishes `incident.major_declared`. ' +
      `${invisible}\n\nErrors: \`409 MAJOR.ALREADY_DECLARED\`, \`409 INCIDENT.FINAL\`, \`403 INCIDENT.FORBIDDEN\`, \`400 VALIDATION.FAILED\`. ${writeScope}`,
    auth: 'bearer',
    params: incidentParams,
    body: declareMajorBodySchema,
    responses: { 201: json('The major incident.', majorIncidentSchema, location('major incident')) },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/incidents/{id}/major/updates',
    summary: 'Post a status update of a major incident',
    description:
      'For the department\'s staff and managers, admins, and service accounts with `incidents:write`, until it is closed. Broadcast by mail and in the app to its reporter and watchers ' +
      `and the reporters and watchers of its child incidents; publishes \`incident.major_update_posted\`. ${invisible}\n\n` +
      `Errors: \`404 MAJOR.NOT_FOUND\`, \`409 INCIDENT.FINAL\`, \`403 INCIDENT.FORBIDDEN\`, \`400 VALIDATION.FAILED\`. ${writeScope}`,
    auth: 'bearer',
    params: incidentParams,
    body: majorUpdateBodySchema,
    responses: { 201: json('The update.', majorUpdateSchema) },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'put',
    path: '/incidents/{id}/review',
    summary: 'Write a major incident\'s post-incident review',
    description:
      'What happened, the impact and the follow-ups, kept on the incident; writing it again replaces it (who wrote it first stays). For the department\'s manager, admins, ' +
      'and service accounts with `incidents:write`, in any status. Closing a major incident waits for it (`409 MAJOR.REVIEW_REQUIRED`). Publishes `incident.review_written`. ' +
      `${invisible}\n\nErrors: \`404 MAJOR.NOT_FOUND\`, \`403 INCIDENT.FORBIDDEN\`, \`400 VALIDATION.FAILED\`. ${writeScope}`,
    auth: 'bearer',
    params: incidentParams,
    body: postIncidentReviewBodySchema,
    responses: { 200: json('The review.', postIncidentReviewSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'get',
    path: '/incidents/{id}/satisfaction',
    summary: 'An incident\'s satisfaction rating',
    description:
      'The rating its reporter gave (1–5, with an optional comment), when, and until when it can be changed; `rating` null while there is none. ' +
      '`canRate` says whether the caller may rate it now: its reporter, once it is resolved or closed, for 7 days after the first rating. ' +
      `${invisible}\n\nErrors: \`404 INCIDENT.NOT_FOUND\`. ${readScope}`,
    auth: 'bearer',
    params: incidentParams,
    responses: { 200: json('The rating.', satisfactionSchema) },
    errors: [404],
  },
  {
    method: 'put',
    path: '/incidents/{id}/satisfaction',
    summary: 'Rate a resolved incident (its reporter)',
    description:
      'Gives or changes the rating, 1 (very dissatisfied) to 5 (very satisfied), with an optional comment (left out: kept; null: removed). Only its reporter, ' +
      'once it is resolved or closed, and for 7 days after the first rating. Publishes `incident.satisfaction_rated`; analytics counts it in CSAT. ' +
      `${invisible}\n\nErrors: \`403 SATISFACTION.REPORTER_ONLY\`, \`409 SATISFACTION.NOT_RESOLVED\`, \`409 SATISFACTION.LOCKED\`, \`400 VALIDATION.FAILED\`. ${writeScope}`,
    auth: 'bearer',
    params: incidentParams,
    body: putSatisfactionBodySchema,
    responses: { 200: json('The rating as it is now.', satisfactionSchema) },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'put',
    path: '/satisfaction/{token}',
    summary: 'Rate a resolved incident from the mail\'s one-click link',
    description:
      'The resolution mail\'s rating links carry a token that stands for the incident\'s reporter and that incident only (valid 30 days); the portal\'s `/rate/{token}` ' +
      'page sends it here, so rating needs no sign-in. The same rules as `PUT /incidents/{id}/satisfaction`.\n\n' +
      'Errors: `404 SATISFACTION.LINK_INVALID` (malformed, not ours, expired, or the account deactivated), `409 SATISFACTION.NOT_RESOLVED`, `409 SATISFACTION.LOCKED`, `400 VALIDATION.FAILED`.',
    auth: 'public',
    params: z.object({ token: z.string().describe('The token of the mail\'s link.') }),
    body: putSatisfactionBodySchema,
    responses: { 200: json('The rating as it is now.', satisfactionSchema) },
    errors: [400, 404, 409],
  },
  {
    method: 'get',
    path: '/major-incidents',
    summary: 'The ongoing major incidents that affect the caller',
    description:
      'Open or in progress, newest first, for the portal\'s banner: those the caller may see (they watch or reported it, work its department, or are an admin), ' +
      'and those one of whose child incidents they reported or watch (`childKey`; `canOpen` false when they may not open the major incident itself). ' +
      `Each with its summary and latest update. ${readScope}`,
    auth: 'bearer',
    responses: { 200: json('The major incidents.', majorIncidentNoticeListSchema) },
    errors: [403],
  },
];

const ownViews = 'Each person sees, renames and deletes only their own views: another person\'s view is `404 VIEW.NOT_FOUND`, exactly like one that does not exist. ' + readScope;

const views: ApiOperation[] = [
  {
    method: 'get',
    path: '/incidents/views',
    summary: 'List my saved views',
    description: 'The caller\'s saved views of the incident list, in the order they were saved; not paginated (at most ' + SAVED_VIEWS_PER_PERSON + '). ' + ownViews + '\n\nErrors: `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    responses: { 200: json('The caller\'s saved views.', savedViewListSchema) },
    errors: [403],
  },
  {
    method: 'post',
    path: '/incidents/views',
    summary: 'Save a view',
    description:
      'A name (1 to 60 characters, unique per person in any letter case) and the list\'s filters as the query of its address ' +
      '(`status=OPEN%2CIN_PROGRESS&assignee=me`, without the `?`). At most ' + SAVED_VIEWS_PER_PERSON + ' views per person. ' + ownViews +
      '\n\nErrors: `409 VIEW.NAME_TAKEN` (names `/name` in `errors`), `409 VIEW.LIMIT_REACHED`, `400 VALIDATION.FAILED`, `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    body: createSavedViewBodySchema,
    responses: { 201: json('The saved view.', savedViewSchema, location('saved view')) },
    errors: [400, 403, 409],
  },
  {
    method: 'patch',
    path: '/incidents/views/{id}',
    summary: 'Rename a saved view or change its filters',
    description: ownViews + '\n\nErrors: `404 VIEW.NOT_FOUND`, `409 VIEW.NAME_TAKEN`, `400 VALIDATION.FAILED` (including an empty body), `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    params: viewParams,
    body: updateSavedViewBodySchema,
    responses: { 200: json('The view as it is now.', savedViewSchema) },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/incidents/views/{id}',
    summary: 'Delete a saved view',
    description: ownViews + '\n\nErrors: `404 VIEW.NOT_FOUND`, `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    params: viewParams,
    responses: { 204: { description: 'Deleted.' } },
    errors: [403, 404],
  },
];

const categories: ApiOperation[] = [
  {
    method: 'get',
    path: '/categories',
    summary: 'List categories',
    description:
      'The catalogue of what can go wrong, each category belonging to the department that handles it. Any signed-in person; ' +
      'service accounts with the `incidents:read` scope. ' +
      'Active categories only unless `includeInactive=true`; ordered by name; not paginated.\n\nErrors: `403 AUTH.INSUFFICIENT_SCOPE`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    query: listCategoriesQuerySchema,
    responses: { 200: json('The categories.', categoryListSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/categories/{id}',
    summary: 'Get a category',
    description:
      'Any signed-in person, service accounts with the `incidents:read` scope; inactive categories too.\n\n' +
      'Errors: `403 AUTH.INSUFFICIENT_SCOPE`, `404 CATEGORY.NOT_FOUND`, `400 VALIDATION.FAILED` (id not a UUID).',
    auth: 'bearer',
    params: categoryParams,
    responses: { 200: json('The category.', categorySchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'post',
    path: '/categories',
    summary: 'Create a category (admin)',
    description:
      'Incidents filed in it go to its department. Publishes `category.created`.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `409 CATEGORY.NAME_TAKEN` (unique per department, in any letter case; names `/name` in `errors`), ' +
      '`422 CATEGORY.DEPARTMENT_NOT_FOUND`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: createCategoryBodySchema,
    responses: { 201: json('The new category.', categorySchema, location('category')) },
    errors: [400, 403, 409, 422],
  },
  {
    method: 'patch',
    path: '/categories/{id}',
    summary: 'Rename, describe, deactivate, reactivate or route a category (admin)',
    description:
      'Only fields whose value differs are changed (and named in `category.updated`). A deactivated category takes no new incidents; ' +
      'its incidents stay as they are.\n\n' +
      '**Routing.** New incidents go to `defaultAssigneeId` while that person is available and under `maxOpenPerPerson`; otherwise ' +
      '`assignment` decides among the department\'s available staff under the cap: `round_robin` (each in turn), `least_loaded` (fewest ' +
      'open incidents; among equals, the next in turn) or `none` (the manager assigns). Decisions are made one at a time per department, ' +
      'across requests and replicas. Open incidents of an assignee who leaves the department are handed on by the same rule. Each automatic ' +
      'assignment is an `assigned` timeline entry naming the rule, and an `incident.assigned` event with `actorId: null`.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `404 CATEGORY.NOT_FOUND`, `409 CATEGORY.NAME_TAKEN` (names `/name` in `errors`), ' +
      '`422 CATEGORY.INVALID_ASSIGNEE` (names `/defaultAssigneeId`), `400 VALIDATION.FAILED` (including an empty body).',
    auth: 'bearer',
    params: categoryParams,
    body: updateCategoryBodySchema,
    responses: { 200: json('The category as it is now.', categorySchema) },
    errors: [400, 403, 404, 409, 422],
  },
];

const sla: ApiOperation[] = [
  {
    method: 'get',
    path: '/sla-policies',
    summary: 'List SLA policies',
    description:
      'The response and resolution targets, in minutes, for each priority (highest first). Any signed-in person; service accounts with the ' +
      '`incidents:read` scope.\n\nErrors: `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    responses: { 200: json('One policy per priority.', slaPolicyListSchema) },
    errors: [403],
  },
  {
    method: 'put',
    path: '/sla-policies/{priority}',
    summary: 'Set the SLA targets of a priority (admin)',
    description:
      'Applies to incidents filed afterwards and to incidents whose priority changes afterwards; due times already set stay as promised.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `400 VALIDATION.FAILED` (unknown priority, targets outside 1 to 525600 minutes, resolution shorter than response).',
    auth: 'bearer',
    params: priorityParams,
    body: updateSlaPolicyBodySchema,
    responses: { 200: json('The policy as it is now.', slaPolicySchema) },
    errors: [400, 403],
  },
];

const calendarRules =
  'Working hours are given per weekday (`monday` … `sunday`, up to four intervals a day, `HH:MM` from 00:00 to 24:00, in the calendar\'s ' +
  'IANA time zone); holidays are whole local days off; closures are ranges of instants. On the day clocks go forward, hours in the skipped ' +
  'hour do not exist; on the day they go back, the repeated hour counts twice.';
const recount =
  'Open incidents of the departments concerned are recounted by the SLA job within `SLA_CHECK_INTERVAL`: the working time they used so far ' +
  'stays, the rest counts on the calendar as it is now; each gets an `sla_recalculated` timeline entry and an `incident.sla_recalculated` event.';

const calendars: ApiOperation[] = [
  {
    method: 'get',
    path: '/calendars',
    summary: 'List business-hours calendars',
    description: 'Staff, managers and admins: the default calendar first, then by name, each with the departments assigned to it.\n\nErrors: `403 AUTH.FORBIDDEN`.',
    auth: 'bearer',
    responses: { 200: json('Every calendar.', calendarListSchema) },
    errors: [403],
  },
  {
    method: 'post',
    path: '/calendars',
    summary: 'Create a calendar (admin)',
    description:
      `${calendarRules} \`isDefault: true\` makes it the default at once (departments without a calendar of their own move to it).\n\n` +
      'Errors: `403 AUTH.FORBIDDEN`, `409 CALENDAR.NAME_TAKEN` (names `/name`), `422 CALENDAR.INVALID` (unknown time zone, overlapping hours, ' +
      'an end before its start, no working day, a closure ending before it starts: names the field), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: createCalendarBodySchema,
    responses: { 201: json('The new calendar.', calendarSchema, location('calendar')) },
    errors: [400, 403, 409, 422],
  },
  {
    method: 'get',
    path: '/calendars/{id}',
    summary: 'Read a calendar',
    description: 'Staff, managers and admins.\n\nErrors: `403 AUTH.FORBIDDEN`, `404 CALENDAR.NOT_FOUND`.',
    auth: 'bearer',
    params: calendarParams,
    responses: { 200: json('The calendar.', calendarSchema) },
    errors: [403, 404],
  },
  {
    method: 'patch',
    path: '/calendars/{id}',
    summary: 'Change a calendar (admin)',
    description:
      `${calendarRules} A change of time zone, hours, holidays or closures raises \`version\`. ${recount} \`version\` in the body makes the ` +
      'change conditional on the version last read. `isDefault: true` makes it the default.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `404 CALENDAR.NOT_FOUND`, `409 CALENDAR.NAME_TAKEN`, `412 CALENDAR.VERSION_MISMATCH`, `422 CALENDAR.INVALID`, ' +
      '`400 VALIDATION.FAILED`.',
    auth: 'bearer',
    params: calendarParams,
    body: updateCalendarBodySchema,
    responses: { 200: json('The calendar as it is now.', calendarSchema) },
    errors: [400, 403, 404, 409, 412, 422],
  },
  {
    method: 'delete',
    path: '/calendars/{id}',
    summary: 'Delete a calendar (admin)',
    description: `Its departments fall back to the default calendar. ${recount}\n\nErrors: \`403 AUTH.FORBIDDEN\`, \`404 CALENDAR.NOT_FOUND\`, \`409 CALENDAR.IS_DEFAULT\`.`,
    auth: 'bearer',
    params: calendarParams,
    responses: { 204: { description: 'Deleted.' } },
    errors: [403, 404, 409],
  },
  {
    method: 'put',
    path: '/calendars/assignments/{departmentId}',
    summary: "Set a department's calendar (admin)",
    description: `\`calendarId: null\` puts the department back on the default calendar. ${recount}\n\nErrors: \`403 AUTH.FORBIDDEN\`, \`404 CALENDAR.DEPARTMENT_NOT_FOUND\`, \`422 CALENDAR.UNKNOWN\` (names \`/calendarId\`), \`400 VALIDATION.FAILED\`.`,
    auth: 'bearer',
    params: departmentParams,
    body: calendarAssignmentBodySchema,
    responses: { 200: json('The department\'s calendar as it is now.', calendarAssignmentSchema) },
    errors: [400, 403, 404, 422],
  },
];

const priorityMatrix: ApiOperation[] = [
  {
    method: 'get',
    path: '/priority-matrix',
    summary: 'Read the priority matrix',
    description:
      '`matrix[impact][urgency]` is the priority an incident gets from its impact and urgency. Any signed-in person (the report form shows it); ' +
      'service accounts with `incidents:read`.\n\nErrors: `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    responses: { 200: json('The matrix.', priorityMatrixSchema) },
    errors: [403],
  },
  {
    method: 'put',
    path: '/priority-matrix',
    summary: 'Set the priority matrix (admin)',
    description:
      'All nine cells. Applies to incidents whose impact or urgency is set afterwards; priorities already given stay.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `422 PRIORITY_MATRIX.INCOMPLETE` (each empty cell named, e.g. `/matrix/HIGH/LOW`), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: updatePriorityMatrixBodySchema,
    responses: { 200: json('The matrix as it is now.', priorityMatrixSchema) },
    errors: [400, 403, 422],
  },
];

const availability: ApiOperation[] = [
  {
    method: 'get',
    path: '/availability',
    summary: 'Who takes new incidents from the routing',
    description:
      'The active staff and managers of a department, each with their availability switch and open incidents (OPEN and IN_PROGRESS). ' +
      'Staff and managers: their own department (the default); admins: any, or everyone without `departmentId`.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN` (another department, or not staff), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    query: availabilityQuerySchema,
    responses: { 200: json('The department\'s people.', availabilityListSchema) },
    errors: [400, 403],
  },
  {
    method: 'put',
    path: '/availability/{userId}',
    summary: "Set someone's availability",
    description:
      'The person themselves, their department\'s manager, or an admin. Someone away gets no new incidents from the routing (round robin, ' +
      'least loaded, default assignee); what they already have stays theirs.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `404 AVAILABILITY.USER_NOT_FOUND`, `422 AVAILABILITY.NOT_STAFF`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    params: userParams,
    body: putAvailabilityBodySchema,
    responses: { 200: json('Their availability as it is now.', availabilitySchema) },
    errors: [400, 403, 404, 422],
  },
];

const escalationRules =
  'A rule applies to open incidents of its priority. Before the breach (`thresholdPercent` 1–99) it fires once that share of the ' +
  'target\'s working time has passed (the clock as the SLA counts it: the calendar, pauses while waiting on the reporter) and tells ' +
  'whom `notify` names; at the breach (`thresholdPercent` 100) it may also raise the priority one step and reassign (`manager`: the ' +
  'department\'s manager; `routing`: the next person by the category\'s routing). Each rule fires once per incident, across replicas ' +
  'and restarts: an `escalated` timeline entry and an `incident.escalated` event (notification-service tells the people; analytics ' +
  'keeps the incident current). A rule added, changed or removed applies to open incidents from the next round of the job.';

const escalations: ApiOperation[] = [
  {
    method: 'get',
    path: '/inbound-mails',
    summary: 'Mail to the desk, and what became of it (admin)',
    description:
      'Every mail the SMTP listener took (INBOUND_SMTP_PORT), newest first: filed as an incident or a comment, ignored as automatic ' +
      '(bounces, `Auto-Submitted`, out-of-office, bulk), waiting for its sender to finish registering, or rejected with the reason. ' +
      'Mail refused at the door (unknown senders under `INBOUND_UNKNOWN_SENDERS=refuse`, senders over their hourly budget, unknown ' +
      'recipients, oversized mail) is answered by SMTP and never kept. Records are kept 30 days.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN` (not an admin), `400 VALIDATION.FAILED` (a bad `status`, or a cursor this list did not produce).',
    auth: 'bearer',
    query: listInboundMailsQuerySchema,
    responses: { 200: json('A page of mails.', inboundMailPageSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/escalation-rules',
    summary: 'List escalation rules',
    description: `Staff, managers and admins. ${escalationRules}\n\nErrors: \`403 AUTH.FORBIDDEN\`.`,
    auth: 'bearer',
    responses: { 200: json('Every rule, highest priority first.', escalationRuleListSchema) },
    errors: [403],
  },
  {
    method: 'post',
    path: '/escalation-rules',
    summary: 'Create an escalation rule (admin)',
    description:
      `${escalationRules} \`notify\` defaults to the assignee and the manager before the breach, the manager at it.\n\n` +
      'Errors: `403 AUTH.FORBIDDEN`, `422 ESCALATION_RULE.INVALID` (an action before the breach, or a rule that does nothing; names the field), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: createEscalationRuleBodySchema,
    responses: { 201: json('The new rule.', escalationRuleSchema, location('escalation rule')) },
    errors: [400, 403, 422],
  },
  {
    method: 'patch',
    path: '/escalation-rules/{id}',
    summary: 'Change an escalation rule (admin)',
    description: `Only the fields given change. ${escalationRules}\n\nErrors: \`403 AUTH.FORBIDDEN\`, \`404 ESCALATION_RULE.NOT_FOUND\`, \`422 ESCALATION_RULE.INVALID\`, \`400 VALIDATION.FAILED\`.`,
    auth: 'bearer',
    params: ruleParams,
    body: updateEscalationRuleBodySchema,
    responses: { 200: json('The rule as it is now.', escalationRuleSchema) },
    errors: [400, 403, 404, 422],
  },
  {
    method: 'delete',
    path: '/escalation-rules/{id}',
    summary: 'Delete an escalation rule (admin)',
    description: 'It fires no more; what it did stays in the timelines.\n\nErrors: `403 AUTH.FORBIDDEN`, `404 ESCALATION_RULE.NOT_FOUND`.',
    auth: 'bearer',
    params: ruleParams,
    responses: { 204: { description: 'Deleted.' } },
    errors: [403, 404],
  },
];

export const incidentApi: ApiDescription = {
  title: 'incident-service',
  version,
  tag: { name: 'Incidents', description: 'Incidents and their lifecycle, comments and internal notes, the audit timeline, the category catalogue and SLA policies.' },
  description:
    'Incidents, their lifecycle, comments and internal notes, audit timeline, the category catalogue and SLA policies. ' +
    'Every operation needs an access token from identity-service (`Authorization: Bearer <token>`). Errors are `application/problem+json` ' +
    '(RFC 9457) with a stable `code` to switch on; every operation may answer `401 AUTH.TOKEN_MISSING`, `401 AUTH.INVALID_TOKEN` or ' +
    '`401 AUTH.TOKEN_REVOKED` (the account was deactivated or changed since the token was issued).',
  operations: [...incidents, ...views, ...comments, ...attachments, ...collaboration, ...timeline, ...categories, ...sla, ...calendars, ...priorityMatrix, ...availability, ...escalations],
};
