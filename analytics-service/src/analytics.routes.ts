import { callerOf, requireRole, requireScope, type Caller } from '@desk/auth';
import {
  EXPORT_COLUMNS,
  MAX_TREND_POINTS,
  analyticsFilterSchema,
  trendsQuerySchema,
  type AnalyticsFilterQuery,
  type AnalyticsSummary,
  type AnalyticsTrends,
  type AnalyticsWorkload,
  type AnalyticsSatisfaction,
} from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { stringify } from 'csv-stringify';
import { Router, type Request, type Response } from 'express';
import type { AnalyticsDependencies } from './dependencies.js';
import { intervalStart, summarize, trend, workload, type FactFilter } from './facts/figures.js';
import { FiguresCache } from './facts/figures-cache.js';
import { replica } from './replica.js';
import { satisfactionFigures } from './satisfaction.js';
import { rebuildFacts } from './facts/rebuild.js';
import { FACT_TABLE } from './migrations.js';

const DAY_MS = 86_400_000;
const READ_SCOPE = 'analytics:read';

const forbidden = (detail: string) => AppError.forbidden('ANALYTICS.FORBIDDEN', detail);

/**
 * The filters a caller may use: admins (and service accounts, which have `analytics:read` by now) any, a
 * manager their own department only — asking for another is refused, not quietly narrowed.
 */
export function scopedFilter(caller: Caller, query: AnalyticsFilterQuery): FactFilter {
  const filter: FactFilter = { from: query.from, to: query.to, departmentId: query.departmentId, categoryId: query.categoryId, priority: query.priority };
  // Service accounts reach here only with the scope (requireScope on the router).
  if (caller.role === 'admin' || caller.kind === 'service') return filter;
  if (caller.role !== 'manager') throw forbidden('Analytics are for managers (their own department) and admins.');
  if (!caller.departmentId) throw forbidden('A manager without a department has no analytics to see.');
  if (query.departmentId !== undefined && query.departmentId !== caller.departmentId) {
    throw forbidden('Managers see the analytics of their own department only.');
  }
  return { ...filter, departmentId: caller.departmentId };
}

const iso = (time: number | undefined) => (time === undefined || !Number.isFinite(time) ? null : new Date(time).toISOString());

function applied(filter: FactFilter) {
  return {
    from: iso(filter.from),
    to: iso(filter.to),
    departmentId: filter.departmentId ?? null,
    categoryId: filter.categoryId ?? null,
    priority: filter.priority ?? null,
  };
}

/** Trends without a window: the last 30 days, or the last 12 weeks. */
function trendWindow(filter: FactFilter, interval: 'day' | 'week', now: number): { from: number; to: number } {
  const to = filter.to ?? intervalStart(now, 'day') + DAY_MS;
  const from = filter.from ?? intervalStart(to - 1, interval) - (interval === 'day' ? 29 : 11 * 7) * DAY_MS;
  const points = Math.ceil((to - intervalStart(from, interval)) / ((interval === 'day' ? 1 : 7) * DAY_MS));
  if (points > MAX_TREND_POINTS) {
    throw AppError.badRequest('VALIDATION.FAILED', `The window holds ${points} ${interval}s; at most ${MAX_TREND_POINTS} fit in one answer.`, {
      errors: [{ location: 'query', path: '/from', message: `the window is too long: at most ${MAX_TREND_POINTS} ${interval}s (use interval=week, or a later from)` }],
    });
  }
  return { from, to };
}

export function analyticsRouter(deps: AnalyticsDependencies): Router {
  const { db, store } = deps;
  const router = Router();
  router.use(requireScope(READ_SCOPE));
  const cache = new FiguresCache();
  // The model as of at most FACTS_MAX_STALENESS ago: queries in quick succession share a catch-up.
  const current = () => store.fresh(deps.config.FACTS_MAX_STALENESS);

  const filterOf = (request: Request) => scopedFilter(callerOf(request), parseInput(analyticsFilterSchema, request.query, 'query'));

  router.get('/summary', async (request, response) => {
    const filter = filterOf(request);
    await current();
    const { value, computedAt } = cache.get(`summary ${JSON.stringify(filter)}`, store.revision, (now) => summarize(store.facts, filter, now));
    const body: AnalyticsSummary = { filters: applied(filter), ...value, generatedAt: new Date(computedAt).toISOString() };
    response.json(body);
  });

  router.get('/trends', async (request, response) => {
    const query = parseInput(trendsQuerySchema, request.query, 'query');
    const filter = scopedFilter(callerOf(request), query);
    const now = Date.now();
    const window = trendWindow(filter, query.interval, now);
    await current();
    const scoped = { ...filter, ...window };
    const { value, computedAt } = cache.get(`trends ${query.interval} ${JSON.stringify(scoped)}`, store.revision, () => trend(store.facts, scoped, query.interval));
    const body: AnalyticsTrends = { filters: applied(scoped), interval: query.interval, points: value, generatedAt: new Date(computedAt).toISOString() };
    response.json(body);
  });

  router.get('/workload', async (request, response) => {
    const filter = filterOf(request);
    await current();
    const { value: lines, computedAt } = cache.get(`workload ${JSON.stringify(filter)}`, store.revision, (at) => workload(store.facts, filter, at));
    const now = Date.now();
    const [departmentNames, peopleNames] = await Promise.all([
      replica.namesOf(db, 'departments', lines.departments.map((line) => line.departmentId)),
      replica.namesOf(db, 'users', lines.assignees.flatMap((line) => (line.assigneeId ? [line.assigneeId] : []))),
    ]);
    const age = (oldest: number) => ({ oldestCreatedAt: iso(oldest), oldestAgeSeconds: Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : null });
    const body: AnalyticsWorkload = {
      filters: applied(filter),
      departments: lines.departments.map((line) => ({
        departmentId: line.departmentId,
        name: departmentNames.get(line.departmentId) ?? null,
        open: line.open,
        breached: line.breached,
        ...age(line.oldestCreatedAt),
      })),
      assignees: lines.assignees.map((line) => ({
        assigneeId: line.assigneeId,
        name: line.assigneeId ? (peopleNames.get(line.assigneeId) ?? null) : null,
        departmentId: line.departmentId,
        open: line.open,
        breached: line.breached,
        ...age(line.oldestCreatedAt),
      })),
      generatedAt: new Date(computedAt).toISOString(),
    };
    response.json(body);
  });

  router.get('/satisfaction', async (request, response) => {
    const filter = filterOf(request);
    const body: AnalyticsSatisfaction = { filters: applied(filter), ...(await satisfactionFigures(db, filter)), generatedAt: new Date().toISOString() };
    response.json(body);
  });

  router.get('/export.csv', async (request, response) => {
    const filter = filterOf(request);
    await exportFacts(deps, filter, response);
  });

  router.post('/rebuild', requireRole('admin'), async (_request, response) => {
    const result = await rebuildFacts({
      db,
      logger: deps.logger,
      incidentUrl: deps.config.INCIDENT_URL,
      internalToken: deps.config.INTERNAL_API_TOKEN,
      onProgress: (incidents) => {
        if (incidents % 50_000 === 0) deps.logger.info({ incidents }, 'rebuilding the analytics model');
      },
    });
    await store.sync();
    response.json(result);
  });

  return router;
}

interface ExportRow {
  [column: string]: unknown;
  created_at: Date;
  id: string;
}

const EXPORT_PAGE = 5_000;

/**
 * A text cell a spreadsheet would read as a formula (`=HYPERLINK(…)` in a title a reporter chose)
 * is kept as text: OWASP's CSV injection guidance, a leading `'` before a cell starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return. Numbers and times are not text cells and stay as
 * they are.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The facts for the filters as CSV (RFC 4180: a header row, CRLF line ends, fields with commas,
 * quotes or line breaks quoted), oldest first. Pages through Postgres by (created_at, id) and
 * waits for the client to drain each one, so a million rows never sit in memory; a client that
 * hangs up stops the reading.
 */
async function exportFacts({ db }: AnalyticsDependencies, filter: FactFilter, response: Response): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  response.status(200);
  response.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
  response.setHeader('Content-Disposition', `attachment; filename="incidents-${date}.csv"`);
  response.setHeader('Cache-Control', 'no-store');
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], record_delimiter: 'windows', cast: { date: (value) => value.toISOString(), string: neutraliseFormula } });
  csv.pipe(response);
  let gone = false;
  response.on('close', () => {
    gone = true;
    csv.unpipe(response);
  });

  // Until the client took what is buffered, or hung up.
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        csv.off('drain', done);
        response.off('close', done);
        resolve();
      };
      csv.once('drain', done);
      response.once('close', done);
    });
  const seconds = (from: Date | null, to: Date | null) => (from && to ? (to.getTime() - from.getTime()) / 1000 : null);
  let after: { created: Date; id: string } | undefined;
  while (!gone) {
    const query = db({ f: FACT_TABLE })
      .leftJoin({ d: 'departments' }, 'd.id', 'f.department_id')
      .leftJoin({ u: 'users' }, 'u.id', 'f.assignee_id')
      .leftJoin({ s: 'satisfaction' }, 's.incident_id', 'f.id')
      .select('f.*', 'd.name as department', 'u.full_name as assignee', 's.rating as satisfaction_rating', 's.rated_at as satisfaction_rated_at')
      .orderBy([{ column: 'f.created_at' }, { column: 'f.id' }])
      .limit(EXPORT_PAGE);
    if (filter.from !== undefined) query.where('f.created_at', '>=', new Date(filter.from));
    if (filter.to !== undefined) query.where('f.created_at', '<', new Date(filter.to));
    if (filter.departmentId !== undefined) query.where('f.department_id', filter.departmentId);
    if (filter.categoryId !== undefined) query.where('f.category_id', filter.categoryId);
    if (filter.priority !== undefined) query.whereIn('f.priority', filter.priority);
    if (after) query.whereRaw('(f.created_at, f.id) > (?, ?)', [after.created, after.id]);
    const rows = (await query) as ExportRow[];
    for (const row of rows) {
      const record = {
        ...row,
        seconds_to_acknowledge: seconds(row.created_at, row.responded_at as Date | null),
        seconds_to_resolve: seconds(row.created_at, row.resolved_at as Date | null),
      };
      if (!csv.write(record)) await drained();
      if (gone) break;
    }
    if (rows.length < EXPORT_PAGE) break;
    const last = rows.at(-1)!;
    after = { created: last.created_at, id: last.id };
  }
  csv.end();
}
