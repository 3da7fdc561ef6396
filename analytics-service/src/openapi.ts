import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EXPORT_COLUMNS,
  analyticsFilterSchema,
  analyticsSummarySchema,
  analyticsTrendsSchema,
  analyticsWorkloadSchema,
  analyticsSatisfactionSchema,
  rebuildResultSchema,
  trendsQuerySchema,
} from '@desk/contracts';
import type { ApiDescription, ApiOperation, ApiResponse } from '@desk/platform';
import { z } from 'zod';

// The public HTTP API of analytics-service, described with the contracts its routes parse
// with. openapi.test.ts fails when a route is added here or in the router but not in both.

const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

const json = (description: string, schema: z.ZodType): ApiResponse => ({ description, schema });
const who =
  'Managers see their own department (another `departmentId` is `403 ANALYTICS.FORBIDDEN`), admins and service accounts with the ' +
  '`analytics:read` scope everything; anyone else gets 403.';
const filters =
  'Filters: `from` and `to` (a date, `to` meaning through that day, or a date-time with an offset) bound when the incidents were created; ' +
  '`departmentId`, `categoryId`, `priority` (one or several, comma-separated).';
const errors = '\n\nErrors: `400 VALIDATION.FAILED` (each bad filter named), `403 ANALYTICS.FORBIDDEN`.';

const operations: ApiOperation[] = [
  {
    method: 'get',
    path: '/analytics/summary',
    summary: 'Counts, MTTA, MTTR, SLA compliance and reopen rate',
    description:
      'Over the incidents created in the window: counts by status and priority, the open backlog, time to acknowledge (created → work ' +
      'started) and to resolve (created → resolved) as mean, median and p90 in seconds, the share of response and resolution targets met ' +
      '(met / (met + breached); targets not yet due are pending), and the share of resolved incidents that were re-opened. Exact over every ' +
      'matching incident, current to the last committed event. ' +
      who +
      ' ' +
      filters +
      errors,
    auth: 'bearer',
    query: analyticsFilterSchema,
    responses: { 200: json('The figures, and the filters they were computed with.', analyticsSummarySchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/analytics/trends',
    summary: 'Created vs resolved per day or week',
    description:
      'One point per day or week (Monday to Sunday, UTC) from the one holding `from` to the one holding `to`, every interval present (0 ' +
      'when nothing happened): incidents created in it, and incidents resolved in it. Without a window: the last 30 days or 12 weeks. At most ' +
      '400 points. ' +
      who +
      ' ' +
      filters +
      errors,
    auth: 'bearer',
    query: trendsQuerySchema,
    responses: { 200: json('The points, oldest first.', analyticsTrendsSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/analytics/satisfaction',
    summary: 'Satisfaction (CSAT) per department, category and assignee, week by week',
    description:
      'The ratings reporters gave resolved incidents (1–5), over those rated in the window (`from`/`to` select by when they were rated): how many, their mean, ' +
      'and CSAT, the share of 4s and 5s; overall with the distribution, per department, category and assignee (as the incident was when rated), and per week. ' +
      who +
      ' ' +
      filters +
      errors,
    auth: 'bearer',
    query: analyticsFilterSchema,
    responses: { 200: json('The figures, and the filters they were computed with.', analyticsSatisfactionSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/analytics/workload',
    summary: 'Open incidents per department and per assignee',
    description:
      'Incidents OPEN or IN_PROGRESS now, per department and per assignee within it (`assigneeId: null` for the unassigned), busiest first, ' +
      'with the oldest one\'s age and how many are past a response or resolution target. ' +
      who +
      ' ' +
      filters +
      errors,
    auth: 'bearer',
    query: analyticsFilterSchema,
    responses: { 200: json('Open work per department and per assignee.', analyticsWorkloadSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/analytics/export.csv',
    summary: 'The incident facts as CSV',
    description:
      'One row per incident matching the filters, oldest first, streamed (any number of rows). RFC 4180: a header row, CRLF line ends, ' +
      `fields holding commas, quotes or line breaks in double quotes; a text cell that begins with \`=\`, \`+\`, \`-\`, \`@\`, a tab or a carriage return gets a leading \`'\`, so spreadsheets show it as text instead of running it as a formula (OWASP CSV injection). Columns: ${EXPORT_COLUMNS.map((column) => `\`${column}\``).join(', ')}; ` +
      'times in ISO 8601 UTC, durations in seconds, empty when not reached. ' +
      who +
      ' ' +
      filters +
      errors,
    auth: 'bearer',
    query: analyticsFilterSchema,
    responses: {
      200: {
        description: 'CSV, downloaded as `incidents-<date>.csv`.',
        contentType: 'text/csv',
        schema: z.string(),
        example: `${EXPORT_COLUMNS.join(',')}\r\n`,
        headers: { 'Content-Disposition': { description: '`attachment; filename="incidents-<date>.csv"`.', schema: { type: 'string' } } },
      },
    },
    errors: [400, 403],
  },
  {
    method: 'post',
    path: '/analytics/rebuild',
    summary: 'Rebuild the model from incident-service (admin)',
    description:
      'Replays every incident from incident-service into a fresh model while events keep flowing, then swaps it in; the figures afterwards ' +
      'are those of the incidents as incident-service holds them. With many incidents it takes minutes: through the gateway the request may ' +
      'time out (504) while the rebuild goes on to the end; `npm run rebuild -w @desk/analytics-service` does the same and shows progress.\n\nErrors: `403 AUTH.FORBIDDEN`, `409 ANALYTICS.REBUILD_RUNNING`.',
    auth: 'bearer',
    responses: { 200: json('The new model.', rebuildResultSchema) },
    errors: [403, 409],
  },
];

export const analyticsApi: ApiDescription = {
  title: 'analytics-service',
  version,
  tag: { name: 'Analytics', description: 'Figures managers and admins run the desk by: volumes, MTTA/MTTR, SLA compliance, trends, workload and the CSV export.' },
  description:
    'The numbers managers and admins run the desk by, from a read model fed by incident and identity events. Every operation needs an ' +
    'access token from identity-service; errors are `application/problem+json` with a stable `code`; every operation may answer ' +
    '`401 AUTH.TOKEN_MISSING`, `401 AUTH.INVALID_TOKEN` or `401 AUTH.TOKEN_REVOKED`.',
  operations,
};
