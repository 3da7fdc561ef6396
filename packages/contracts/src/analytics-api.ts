import { z } from 'zod';
import { csvList } from './incident-api.js';
import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, incidentPrioritySchema } from './incidents.js';

// HTTP bodies of analytics-service. Every figure is computed over incidents *created* in the
// `from`–`to` window (trends also count resolutions inside it), narrowed by department,
// category and priority.

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A day (`2026-11-01`, midnight UTC) or an instant with an offset. */
const instant = (end: boolean) =>
  z
    .string()
    // What the refinement below accepts, for the API reference and the clients generated from it.
    .meta({ anyOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }] })
    .refine((value) => DATE_ONLY.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success, {
      error: 'must be a date (YYYY-MM-DD) or a date-time with an offset (2026-11-01T08:00:00Z)',
    })
    .transform((value, context) => {
      const time = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
      // Date.parse rolls 30 February over into March: a real date reads back the same.
      if (Number.isNaN(time) || (DATE_ONLY.test(value) && new Date(time).toISOString().slice(0, 10) !== value)) {
        context.addIssue({ code: 'custom', message: 'is not a real date' });
        return z.NEVER;
      }
      // A bare date as the end of a window means "through that day".
      return DATE_ONLY.test(value) && end ? time + DAY_MS : time;
    });

const filterShape = {
  from: instant(false).describe('Incidents created at or after this day (`2026-11-01`, midnight UTC) or instant.').optional(),
  to: instant(true).describe('Incidents created before this instant, or through this day.').optional(),
  departmentId: z.uuid().describe('Only this department\'s incidents.').optional(),
  categoryId: z.uuid().describe('Only this category\'s incidents.').optional(),
  priority: csvList(incidentPrioritySchema).describe('One priority or several, comma-separated or repeated.').optional(),
};

const windowIsForward = {
  check: (query: { from?: number | undefined; to?: number | undefined }) => query.from === undefined || query.to === undefined || query.from < query.to,
  params: { path: ['to'], error: 'must be after from' },
};

export const analyticsFilterSchema = z.object(filterShape).refine(windowIsForward.check, windowIsForward.params);
/** The filters as parsed: `from`/`to` in epoch milliseconds, `to` exclusive. */
export type AnalyticsFilterQuery = z.infer<typeof analyticsFilterSchema>;

export const TREND_INTERVALS = ['day', 'week'] as const;
/** More points than this in one answer is a mistake rather than a chart. */
export const MAX_TREND_POINTS = 400;

export const trendsQuerySchema = z
  .object({ ...filterShape, interval: z.enum(TREND_INTERVALS).default('day') })
  .refine(windowIsForward.check, windowIsForward.params);
export type TrendsQuery = z.infer<typeof trendsQuerySchema>;

const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const ratio = z.number().min(0).max(1).nullable().describe('A share from 0 to 1; null when nothing was measured.');

export const appliedFiltersSchema = z.object({
  from: timestamp.nullable(),
  to: timestamp.nullable(),
  departmentId: z.uuid().nullable(),
  categoryId: z.uuid().nullable(),
  priority: z.array(incidentPrioritySchema).nullable(),
});

export const durationStatsSchema = z
  .object({
    count: count.describe('Incidents measured.'),
    meanSeconds: z.number().nullable(),
    medianSeconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
  })
  .describe('Seconds; median and p90 interpolate between neighbouring values (as percentile_cont does). Null when nothing was measured.');

export const slaTargetStatsSchema = z.object({
  met: count,
  breached: count,
  pending: count.describe('Not met yet and not yet due.'),
  compliance: ratio.describe('met / (met + breached); null when no target was decided yet.'),
});

export const analyticsSummarySchema = z.object({
  filters: appliedFiltersSchema,
  total: count,
  byStatus: z.object(Object.fromEntries(INCIDENT_STATUSES.map((status) => [status, count])) as Record<(typeof INCIDENT_STATUSES)[number], typeof count>),
  byPriority: z.object(Object.fromEntries(INCIDENT_PRIORITIES.map((priority) => [priority, count])) as Record<(typeof INCIDENT_PRIORITIES)[number], typeof count>),
  openBacklog: count.describe('OPEN and IN_PROGRESS now.'),
  mtta: durationStatsSchema.describe('Time to acknowledge: created → first response (work started).'),
  mttr: durationStatsSchema.describe('Time to resolve: created → resolved.'),
  sla: z.object({ response: slaTargetStatsSchema, resolution: slaTargetStatsSchema }),
  reopen: z.object({
    resolved: count.describe('Incidents resolved at least once.'),
    reopened: count.describe('Of those, re-opened at least once.'),
    rate: ratio,
  }),
  generatedAt: timestamp,
});
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

export const trendPointSchema = z.object({
  start: z.iso.date().describe('First day of the interval (weeks start on Monday, UTC).'),
  created: count,
  resolved: count,
});
export const analyticsTrendsSchema = z.object({
  filters: appliedFiltersSchema,
  interval: z.enum(TREND_INTERVALS),
  points: z.array(trendPointSchema),
  generatedAt: timestamp,
});
export type AnalyticsTrends = z.infer<typeof analyticsTrendsSchema>;

const workloadFigures = {
  open: count,
  breached: count.describe('Open incidents past a response or resolution target.'),
  oldestCreatedAt: timestamp.nullable(),
  oldestAgeSeconds: z.number().nonnegative().nullable(),
};
export const analyticsWorkloadSchema = z.object({
  filters: appliedFiltersSchema,
  departments: z.array(z.object({ departmentId: z.uuid(), name: z.string().nullable(), ...workloadFigures })),
  assignees: z.array(
    z.object({
      assigneeId: z.uuid().nullable().describe('null: not assigned to anyone.'),
      name: z.string().nullable(),
      departmentId: z.uuid(),
      ...workloadFigures,
    }),
  ),
  generatedAt: timestamp,
});
export type AnalyticsWorkload = z.infer<typeof analyticsWorkloadSchema>;

export const rebuildResultSchema = z.object({
  incidents: count.describe('Facts in the new model.'),
  durationMs: z.number().nonnegative(),
  rebuiltAt: timestamp,
});
export type RebuildResult = z.infer<typeof rebuildResultSchema>;

/** The columns of `GET /analytics/export.csv`, in order. */
export const EXPORT_COLUMNS = [
  'key',
  'id',
  'title',
  'status',
  'priority',
  'department_id',
  'department',
  'category_id',
  'assignee_id',
  'assignee',
  'reporter_id',
  'created_at',
  'responded_at',
  'resolved_at',
  'closed_at',
  'cancelled_at',
  'reopen_count',
  'reopened_at',
  'response_due_at',
  'resolution_due_at',
  'response_breached_at',
  'resolution_breached_at',
  'seconds_to_acknowledge',
  'seconds_to_resolve',
  'satisfaction_rating',
  'satisfaction_rated_at',
] as const;

/** CSAT figures of one group of ratings: how many, their mean, and the share of 4s and 5s. */
const csatFigures = {
  responses: count,
  average: z.number().min(1).max(5).nullable().describe('The mean rating; null without ratings.'),
  csat: ratio.describe('The share of ratings of 4 or 5 (customer satisfaction score); null without ratings.'),
};

/** Satisfaction ratings (1–5) of resolved incidents, by department, category and assignee, and week by week; `from`/`to` select by when they were rated. */
export const analyticsSatisfactionSchema = z.object({
  filters: appliedFiltersSchema,
  overall: z.object({ ...csatFigures, distribution: z.array(count).length(5).describe('How many ratings of 1, 2, 3, 4 and 5.') }),
  byDepartment: z.array(z.object({ departmentId: z.uuid(), name: z.string().nullable(), ...csatFigures })),
  byCategory: z.array(z.object({ categoryId: z.uuid(), ...csatFigures })),
  byAssignee: z.array(z.object({ assigneeId: z.uuid().nullable(), name: z.string().nullable(), ...csatFigures })),
  /** Week by week (weeks start on Monday, UTC). */
  trend: z.array(z.object({ start: z.string(), ...csatFigures })),
  generatedAt: timestamp,
});
export type AnalyticsSatisfaction = z.infer<typeof analyticsSatisfactionSchema>;
