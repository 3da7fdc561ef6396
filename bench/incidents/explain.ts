/* eslint-disable no-console -- a command-line report: the table goes to the terminal */
/**
 * Plans of the list query at scale. For each role's default list, each filter, each sort and
 * pages 1,000 deep, asks the running service for the page over HTTP, captures the SQL it sent
 * (knex's `query` event: the exact text and bindings pg received) and runs that statement again
 * under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON).
 *
 *   node --conditions=source --import tsx bench/incidents/explain.ts [--only <substring>]
 *
 * A case fails when its plan reads incidents sequentially or sorts more than 50,000 rows (a sort
 * of the whole set instead of an index that returns rows in order). Exit code 1 on any failure.
 *
 * `--generic` explains the plans the service's prepared list statements may settle on: the
 * unfiltered lists (`runsPrepared`) run as named prepared statements, for which Postgres can
 * switch to one generic plan for all values after five executions. Each such case is prepared
 * and explained under `plan_cache_mode = force_generic_plan`, so a value-blind plan that would
 * scan or sort the table fails here rather than in production.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listIncidentsQuerySchema } from '@desk/contracts';
import { INCIDENT_SESSION_SETTINGS } from '@desk/incident-service';
import pg from 'pg';
import { runsPrepared } from '../../incident-service/src/incidents/list-incidents.use-case.js';
import { benchDatabaseUrl, benchLogger, connectBench, elapsed, SCHEMA } from './database.js';
import { SEARCH_WORDS } from './searches.js';
import { createBenchKeys, pickCast, startService, tokenSigner, type BenchCast, type BenchUser } from './service.js';

const OUT = join(__dirname, '..', '.out');
const SORT_LIMIT = 50_000;
const LIST_TARGET_MS = 50;
const SEARCH_TARGET_MS = 200;
const PAGE_SIZE = 25;
const DEEP_PAGES = 1_000;

const { values: options } = parseArgs({ options: { only: { type: 'string' }, generic: { type: 'boolean', default: false } } });

interface Case {
  name: string;
  who: string;
  as: BenchUser;
  query: Record<string, string>;
  /** Follow cursors to this page first (1,000, or a reporter's last) and explain that page. */
  deep?: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Sort Method'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Analysis {
  indexes: string[];
  shape: string;
  seqScan: boolean;
  sortedRows: number;
  examinedRows: number;
  executionMs: number;
  planningMs: number;
  buffers: number;
}

function cases(cast: BenchCast, searchTerms: { common: string; medium: string; rare: string }): Case[] {
  const { admin, staff, manager, busyReporter, typicalReporter } = cast;
  const now = Date.now();
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const list: Case[] = [];
  const add = (who: string, as: BenchUser, name: string, query: Record<string, string> = {}, deep?: number) => list.push({ who, as, name, query, deep });

  // Each role's default list (updatedAt, newest first) and each sort.
  for (const [who, as] of [['reporter', typicalReporter], ['reporter*', busyReporter], ['staff', staff], ['manager', manager], ['admin', admin]] as const) {
    add(who, as, 'default (sort=updatedAt)');
    add(who, as, 'sort=createdAt', { sort: 'createdAt' });
    add(who, as, 'sort=priority', { sort: 'priority' });
  }

  // Each filter, over everything (admin) and within a department (staff).
  const filters: [string, Record<string, string>][] = [
    ['status=OPEN', { status: 'OPEN' }],
    ['status=IN_PROGRESS', { status: 'IN_PROGRESS' }],
    ['status=OPEN,IN_PROGRESS', { status: 'OPEN,IN_PROGRESS' }],
    ['status=RESOLVED', { status: 'RESOLVED' }],
    ['status=CLOSED', { status: 'CLOSED' }],
    ['status=CANCELLED', { status: 'CANCELLED' }],
    ['status=RESOLVED,CLOSED', { status: 'RESOLVED,CLOSED' }],
    ['priority=CRITICAL', { priority: 'CRITICAL' }],
    ['priority=HIGH,CRITICAL', { priority: 'HIGH,CRITICAL' }],
    ['priority=LOW', { priority: 'LOW' }],
    ['departmentId (own / largest)', { departmentId: cast.department.id }],
    ['categoryId (largest)', { categoryId: cast.bigCategory }],
    ['assigneeId=<staff id>', { assigneeId: cast.otherStaff.id }],
    ['assigneeId=unassigned', { assigneeId: 'unassigned' }],
    ['reporterId=<busiest reporter>', { reporterId: busyReporter.id }],
    ...SEARCH_WORDS.map((words): [string, Record<string, string>] => [`q=${words}`, { q: words }]),
    [`q=${searchTerms.rare} (a host name)`, { q: searchTerms.rare }],
    ['q=xylophone (no match)', { q: 'xylophone' }],
    ['q=INC-000123 (an incident key)', { q: 'INC-000123' }],
    ['createdFrom=30 days ago', { createdFrom: iso(now - 30 * day) }],
    ['createdFrom..createdTo (a month, 2 years ago)', { createdFrom: iso(now - 730 * day), createdTo: iso(now - 700 * day) }],
    ['createdTo=1 year ago', { createdTo: iso(now - 365 * day) }],
    ['createdFrom..createdTo&sort=createdAt', { createdFrom: iso(now - 730 * day), createdTo: iso(now - 700 * day), sort: 'createdAt' }],
    ['createdTo=1 year ago&sort=createdAt', { createdTo: iso(now - 365 * day), sort: 'createdAt' }],
    ['breached=true', { breached: 'true' }],
    ['breached=false', { breached: 'false' }],
    ['status=OPEN&assigneeId=unassigned (triage)', { status: 'OPEN', assigneeId: 'unassigned' }],
    ['breached=true&status=OPEN,IN_PROGRESS', { breached: 'true', status: 'OPEN,IN_PROGRESS' }],
    ['status=CLOSED&sort=createdAt', { status: 'CLOSED', sort: 'createdAt' }],
    ['priority=HIGH&sort=priority', { priority: 'HIGH', sort: 'priority' }],
  ];
  for (const [name, query] of filters) add('admin', admin, name, query);
  for (const [name, query] of filters) if (!query.departmentId || query.departmentId === cast.department.id) add('staff', staff, name, query);
  add('admin', admin, 'departmentId (smallest)', { departmentId: cast.smallDepartment.id });
  add('admin', admin, 'categoryId (smallest)', { categoryId: cast.smallCategory });
  add('staff', staff, 'assigneeId=me', { assigneeId: 'me' });
  add('staff', staff, 'assigneeId=me&status=IN_PROGRESS (my work)', { assigneeId: 'me', status: 'IN_PROGRESS' });
  add('staff', staff, 'reporterId=me', { reporterId: 'me' });
  add('reporter*', busyReporter, 'status=OPEN,IN_PROGRESS', { status: 'OPEN,IN_PROGRESS' });
  add('reporter*', busyReporter, `q=${searchTerms.common}`, { q: searchTerms.common });

  // Page 1,000, reached by following nextCursor from page 1 (a busy reporter's list is shorter:
  // their last page). Deep pages of a filtered list are where a plan that walks a global index
  // and filters shows its cost.
  const deep: [string, BenchUser, string, Record<string, string>, number][] = [
    ['admin', admin, 'sort=updatedAt', {}, DEEP_PAGES],
    ['admin', admin, 'sort=createdAt', { sort: 'createdAt' }, DEEP_PAGES],
    ['admin', admin, 'sort=priority', { sort: 'priority' }, DEEP_PAGES],
    ['admin', admin, 'status=CLOSED', { status: 'CLOSED' }, DEEP_PAGES],
    ['admin', admin, 'status=CANCELLED', { status: 'CANCELLED' }, DEEP_PAGES],
    ['admin', admin, 'priority=CRITICAL', { priority: 'CRITICAL' }, DEEP_PAGES],
    ['admin', admin, 'assigneeId=unassigned', { assigneeId: 'unassigned' }, DEEP_PAGES],
    ['admin', admin, 'departmentId (smallest)', { departmentId: cast.smallDepartment.id }, DEEP_PAGES],
    ['admin', admin, 'breached=true', { breached: 'true' }, DEEP_PAGES],
    ['admin', admin, `q=${searchTerms.common}`, { q: searchTerms.common }, DEEP_PAGES],
    ['admin', admin, `q=${searchTerms.medium}`, { q: searchTerms.medium }, DEEP_PAGES],
    ['staff', staff, 'sort=updatedAt', {}, DEEP_PAGES],
    ['staff', staff, 'sort=priority', { sort: 'priority' }, DEEP_PAGES],
    ['manager', manager, 'sort=createdAt', { sort: 'createdAt' }, DEEP_PAGES],
    ['staff (smallest dept.)', cast.smallDepartmentStaff, 'sort=updatedAt', {}, DEEP_PAGES],
    ['staff (smallest dept.)', cast.smallDepartmentStaff, 'sort=createdAt', { sort: 'createdAt' }, DEEP_PAGES],
    ['reporter*', busyReporter, 'sort=updatedAt', {}, cast.busyReporterPages],
    ['reporter*', busyReporter, 'sort=createdAt', { sort: 'createdAt' }, cast.busyReporterPages],
    ['reporter*', busyReporter, 'sort=priority', { sort: 'priority' }, cast.busyReporterPages],
  ];
  for (const [who, as, name, query, pages] of deep) add(who, as, `page ${pages.toLocaleString('en')} (${name})`, query, pages);
  return options.only ? list.filter((entry) => `${entry.who} ${entry.name}`.includes(options.only!)) : list;
}

function analyse(plan: { Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }): Analysis {
  const indexes = new Set<string>();
  const shape: string[] = [];
  let seqScan = false;
  let sortedRows = 0;
  let examinedRows = 0;
  const visit = (node: PlanNode, depth: number) => {
    const rows = (count: number | undefined) => (count ?? 0) * node['Actual Loops'];
    if (node['Index Name']) indexes.add(node['Index Name']);
    if (node['Relation Name'] === 'incidents') {
      if (node['Node Type'] === 'Seq Scan') seqScan = true;
      examinedRows += rows(node['Actual Rows']) + rows(node['Rows Removed by Filter']) + rows(node['Rows Removed by Index Recheck']);
    }
    if (node['Node Type'] === 'Sort' || node['Node Type'] === 'Incremental Sort') {
      for (const child of node.Plans ?? []) sortedRows += child['Actual Rows'] * child['Actual Loops'];
    }
    if (node['Node Type'] !== 'Limit') shape.push(`${node['Node Type']}${node['Sort Method'] ? ` (${node['Sort Method']})` : ''}`);
    for (const child of node.Plans ?? []) visit(child, depth + 1);
  };
  visit(plan.Plan, 0);
  return {
    indexes: [...indexes],
    shape: shape.join(' > '),
    seqScan,
    sortedRows,
    examinedRows,
    executionMs: plan['Execution Time'],
    planningMs: plan['Planning Time'],
    buffers: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0),
  };
}

/** A word in most incidents, one in about 7 % of them, and a host name a few dozen mention. */
async function searchTermsOf(client: pg.Client): Promise<{ common: string; medium: string; rare: string }> {
  const { rows } = await client.query<{ host: string }>("select substring(description from 'Host (srv-[0-9]+)') as host from incidents where description like '%Host srv-%' order by number desc limit 1");
  return { common: 'error', medium: 'kerberos', rare: rows[0]?.host ?? 'srv-0042' };
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const url = benchDatabaseUrl();
  const db = await connectBench(url, benchLogger());
  const cast = await pickCast(db);
  await db.destroy();

  const keys = await createBenchKeys();
  const sign = await tokenSigner(keys);
  const running = await startService({ databaseUrl: url, keys, logLevel: 'warn', logFile: join(OUT, 'explain-service.log'), background: false });
  const captured: { sql: string; bindings: unknown[] }[] = [];
  running.service.db.on('query', (query: { sql: string; bindings?: unknown[] }) => captured.push({ sql: query.sql, bindings: query.bindings ?? [] }));
  // The plain lists run as named prepared statements on a pooled connection, past knex and its
  // event (QueryShapes, @desk/platform): those are caught where they reach pg.
  const pgQuery = Reflect.get(pg.Client.prototype, 'query') as (this: pg.Client, ...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as { name?: string; text?: string; values?: unknown[] } | undefined;
    if (config && typeof config === 'object' && config.name && config.text) captured.push({ sql: config.text, bindings: config.values ?? [] });
    return pgQuery.apply(this, args);
  } as typeof pg.Client.prototype.query;

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The planner costs incident-service's own sessions use.
  for (const [name, value] of Object.entries(INCIDENT_SESSION_SETTINGS)) await client.query('select set_config($1, $2, false)', [name, value]);
  await client.query(`set search_path to ${SCHEMA}`);
  const terms = await searchTermsOf(client);
  const tokens = new Map<string, string>();
  const tokenOf = async (user: BenchUser) => tokens.get(user.id) ?? tokens.set(user.id, await sign(user)).get(user.id)!;

  const get = async (user: BenchUser, query: Record<string, string>) => {
    const response = await fetch(`${running.baseUrl}/incidents?${new URLSearchParams(query).toString()}`, { headers: { authorization: `Bearer ${await tokenOf(user)}` } });
    const body = (await response.json()) as { items?: unknown[]; nextCursor?: string | null; detail?: string };
    if (!response.ok) throw new Error(`GET /incidents?${new URLSearchParams(query).toString()} → ${response.status}: ${body.detail ?? JSON.stringify(body)}`);
    return body as { items: unknown[]; nextCursor: string | null };
  };

  rmSync(join(OUT, 'plans'), { recursive: true, force: true });
  mkdirSync(join(OUT, 'plans'), { recursive: true });
  const results: { entry: Case; analysis: Analysis; httpMs: number; items: number; depth: string; verdict: string; notes: string[] }[] = [];
  // Only the lists the service prepares can end up with a generic plan.
  const list = cases(cast, terms).filter((entry) => !options.generic || runsPrepared(listIncidentsQuerySchema.parse(entry.query)));
  if (options.generic) await client.query('set plan_cache_mode = force_generic_plan');
  console.log(`explaining ${list.length} list queries (roles: reporter = a typical reporter, reporter* = the busiest one; staff and manager of ${cast.department.name})\n`);

  for (const [index, entry] of list.entries()) {
    const query: Record<string, string> = { ...entry.query, limit: String(PAGE_SIZE) };
    let depth = '1';
    if (entry.deep) {
      // Walk to the position after row (page - 1) × 25 with the largest pages the API allows.
      let before = (entry.deep - 1) * PAGE_SIZE;
      let cursor: string | null = null;
      let pages = 0;
      while (before > 0) {
        const page = await get(entry.as, { ...entry.query, limit: String(Math.min(100, before)), ...(cursor ? { cursor } : {}) });
        before -= page.items.length;
        pages += 1;
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      if (!cursor) throw new Error(`${entry.who} ${entry.name}: the list ends before page ${entry.deep}`);
      query.cursor = cursor;
      depth = `${entry.deep} (${pages} requests)`;
    }
    captured.length = 0;
    const requestStartedAt = performance.now();
    const page = await get(entry.as, query);
    const httpMs = performance.now() - requestStartedAt;
    const listQueries = captured.filter((statement) => /\bfrom "incidents"/.test(statement.sql));
    if (listQueries.length !== 1) throw new Error(`${entry.name}: expected one query on incidents, captured ${listQueries.length}`);
    const { sql, bindings } = listQueries[0]!;

    type Explained = { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }] };
    let explained: pg.QueryResult<Explained>;
    if (options.generic) {
      await client.query('deallocate all');
      await client.query(`prepare listed as ${sql}`);
      const values = bindings.map((value) => (value === null ? 'null' : client.escapeLiteral(value instanceof Date ? value.toISOString() : String(value as string | number | boolean))));
      explained = await client.query<Explained>(`explain (analyze, buffers, format json) execute listed(${values.join(', ')})`);
    } else {
      explained = await client.query<Explained>(`explain (analyze, buffers, format json) ${sql}`, bindings);
    }
    const plan = explained.rows[0]!['QUERY PLAN'][0];
    const analysis = analyse(plan);
    const file = `${String(index + 1).padStart(2, '0')}-${entry.who}-${entry.name}`.replace(/[^a-zA-Z0-9=.,-]+/g, '_').slice(0, 100);
    writeFileSync(join(OUT, 'plans', `${file}.json`), JSON.stringify({ case: `${entry.who} ${entry.name}`, sql, bindings, plan }, null, 2));

    const target = entry.query.q ? SEARCH_TARGET_MS : LIST_TARGET_MS;
    const notes: string[] = [];
    if (analysis.seqScan) notes.push('Seq Scan on incidents');
    if (analysis.sortedRows > SORT_LIMIT) notes.push(`sorts ${analysis.sortedRows.toLocaleString('en')} rows`);
    const failed = notes.length > 0;
    if (analysis.executionMs > target) notes.push(`slower than ${target} ms`);
    if (analysis.examinedRows > SORT_LIMIT) notes.push(`reads ${analysis.examinedRows.toLocaleString('en')} rows`);
    const verdict = failed ? 'FAIL' : notes.length > 0 ? 'WARN' : 'ok';
    results.push({ entry, analysis, httpMs, items: page.items.length, depth, verdict, notes });
    console.log(
      `${verdict.padEnd(4)} ${`${entry.who} ${entry.name}`.padEnd(62)} ${analysis.executionMs.toFixed(1).padStart(8)} ms  ${(analysis.indexes.join(', ') || '-').slice(0, 70)}${notes.length ? `  — ${notes.join('; ')}` : ''}`,
    );
  }
  await client.end();
  await running.close();

  const header = '| # | as | case | page | rows | index used | plan | seq scan | sorted rows | rows read | exec ms | http ms | verdict |';
  const rule = '|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = results.map(({ entry, analysis, httpMs, items, depth, verdict, notes }, index) =>
    `| ${index + 1} | ${entry.who} | ${entry.name} | ${depth} | ${items} | ${analysis.indexes.join(', ') || '—'} | ${analysis.shape} | ${analysis.seqScan ? 'YES' : 'no'} | ${analysis.sortedRows.toLocaleString('en')} | ${analysis.examinedRows.toLocaleString('en')} | ${analysis.executionMs.toFixed(1)} | ${httpMs.toFixed(1)} | ${verdict}${notes.length ? ` (${notes.join('; ')})` : ''} |`,
  );
  const failures = results.filter((result) => result.verdict === 'FAIL');
  const warnings = results.filter((result) => result.verdict === 'WARN');
  const summary = `${results.length} list queries explained: ${results.length - failures.length - warnings.length} ok, ${warnings.length} warn, ${failures.length} fail (fail = Seq Scan on incidents or a sort of more than ${SORT_LIMIT.toLocaleString('en')} rows; warn = over ${LIST_TARGET_MS} ms (q: ${SEARCH_TARGET_MS} ms) in EXPLAIN ANALYZE, or more than ${SORT_LIMIT.toLocaleString('en')} rows read).`;
  const markdown = [`_Run ${new Date().toISOString()}_`, '', summary, '', header, rule, ...lines, ''].join('\n');
  writeFileSync(join(OUT, options.generic ? 'explain-generic.md' : 'explain.md'), markdown);
  console.log(`\n${summary}\nTable: bench/.out/explain.md; plans: bench/.out/plans/ (${elapsed(startedAt)})`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
