/* eslint-disable no-console -- a command-line script: progress goes to the terminal */
/**
 * Loads a realistic incident-service database for the scale benchmark: 8 departments, their
 * staff and managers, 20,000 reporters, 5 categories per department and 1,000,000 incidents
 * over three years, in every status, with coherent lifecycle timestamps and SLA breaches.
 *
 *   node --conditions=source --import tsx bench/incidents/generate.ts [--reset] [--count N]
 *
 * Set-based SQL (insert … select … from generate_series), one transaction: the secondary
 * indexes the migrations define are dropped for the load and rebuilt from their own saved
 * definitions afterwards, which is several times faster than maintaining 17 indexes row by row.
 * Without --reset an already loaded database is left alone.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import pg from 'pg';
import { benchDatabaseUrl, benchLogger, connectBench, elapsed, ensureDatabase, SCHEMA } from './database.js';
import { buildRecentSearchIndex } from '../../incident-service/src/incidents/recent-search.js';
import { DEPARTMENTS, PLACES, PROBLEMS, SYLLABLES, WORDS } from './words.js';

const { values: options } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    count: { type: 'string', default: process.env.BENCH_INCIDENTS ?? '1000000' },
    batch: { type: 'string', default: '50000' },
  },
});
const TOTAL = Number(options.count);
const BATCH = Number(options.batch);
if (!Number.isInteger(TOTAL) || TOTAL < 1 || !Number.isInteger(BATCH) || BATCH < 1) throw new Error('--count and --batch must be positive integers');

const REPORTERS = 20_000;
const MANAGERS_PER_DEPARTMENT = 2;
const ADMINS = 3;
const YEARS = 3;
/** How a department's incidents split over its five categories. */
const CATEGORY_SHARES = [0.35, 0.25, 0.2, 0.12, 0.08];

/** A Postgres text[] literal of words we wrote ourselves, for use as a constant in SQL. */
const textArray = (words: readonly string[]) => `(${pg.escapeLiteral(`{${words.map((word) => `"${word}"`).join(',')}}`)}::text[])`;

/** Index into an array of `length`, skewed towards its start: `exponent` 1 is uniform. */
const skewedIndex = (length: number | string, exponent: number) => `(1 + floor(power(random(), ${exponent}) * ${length}))::int`;

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  const logger = benchLogger();
  await ensureDatabase(url);
  const startedAt = performance.now();

  if (options.reset) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${SCHEMA} cascade`);
    await client.end();
    console.log(`dropped schema ${SCHEMA}`);
  }
  const db = await connectBench(url, logger);
  try {
    const { count } = (await db('incidents').count<{ count: string }[]>('* as count'))[0]!;
    if (Number(count) >= TOTAL) {
      console.log(`already loaded: ${Number(count).toLocaleString('en')} incidents (pass --reset to load again)`);
      return;
    }
    if (Number(count) > 0) {
      throw new Error(`the schema holds ${count} incidents, fewer than ${TOTAL}: not a complete load; run again with --reset`);
    }
    console.log(`loading ${TOTAL.toLocaleString('en')} incidents into ${new URL(url).pathname.slice(1)} (schema ${SCHEMA})`);
    await db.transaction((trx) => load(trx, startedAt));
    console.log(`committed after ${elapsed(startedAt)}`);

    const vacuumStartedAt = performance.now();
    // As autovacuum would after a bulk load: statistics for the planner, and a visibility map
    // so index-only and bitmap scans do not visit every heap page.
    for (const table of ['incidents', 'users', 'departments', 'categories']) await db.raw(`vacuum (analyze) ${SCHEMA}.${table}`);
    console.log(`vacuum analyze: ${elapsed(vacuumStartedAt)}`);
    await summarise(db);
    console.log(`generation finished in ${elapsed(startedAt)}`);
  } finally {
    await db.destroy();
  }
}

async function load(trx: Knex.Transaction, startedAt: number): Promise<void> {
  await trx.raw("set local maintenance_work_mem = '1GB'");
  await trx.raw("set local work_mem = '256MB'");
  await trx.raw('set local max_parallel_maintenance_workers = 2');

  const now = new Date();
  const yearsAgo = new Date(now);
  yearsAgo.setUTCFullYear(now.getUTCFullYear() - YEARS);

  // Departments, categories, people: small, inserted row by row with ids chosen here.
  const departments = DEPARTMENTS.map((department, index) => ({ ...department, n: index + 1, id: randomUUID() }));
  await trx('departments').insert(departments.map(({ id, name }) => ({ id, name, description: `${name} (benchmark data)`, updated_at: yearsAgo })));
  const categories = departments.flatMap((department) =>
    department.categories.map((name, index) => ({ id: randomUUID(), name, department_id: department.id, dept_n: department.n, n: index + 1 })),
  );
  await trx('categories').insert(categories.map(({ id, name, department_id }) => ({ id, name, description: `${name} requests`, department_id, created_at: yearsAgo, updated_at: yearsAgo })));

  await trx.raw(
    `insert into users (id, full_name, role, department_id, is_active, updated_at)
     select gen_random_uuid(), 'Reporter ' || lpad(g::text, 5, '0'), 'reporter', null, true, ? from generate_series(1, ?) g`,
    [yearsAgo, REPORTERS],
  );
  await trx.raw(
    `insert into users (id, full_name, role, department_id, is_active, updated_at)
     select gen_random_uuid(), 'Admin ' || g, 'admin', null, true, ? from generate_series(1, ?) g`,
    [yearsAgo, ADMINS],
  );
  for (const department of departments) {
    await trx.raw(
      `insert into users (id, full_name, role, department_id, is_active, updated_at)
       select gen_random_uuid(), ? || case when g <= ? then ' manager ' else ' staff ' end || g,
              case when g <= ? then 'manager' else 'staff' end, ?, true, ?
       from generate_series(1, ?) g`,
      [department.name, MANAGERS_PER_DEPARTMENT, MANAGERS_PER_DEPARTMENT, department.id, yearsAgo, MANAGERS_PER_DEPARTMENT + department.staff],
    );
  }

  // Lookup tables the set-based insert joins against: random numbers become rows.
  let cumulative = 0;
  await trx.raw('create temporary table bench_departments (n int primary key, id uuid, w_from float8, w_to float8, staff_count int, subjects text[]) on commit drop');
  for (const department of departments) {
    const to = department.n === departments.length ? 1.000001 : cumulative + department.share;
    await trx.raw(`insert into bench_departments values (?, ?, ?, ?, ?, ${textArray(department.subjects)})`, [
      department.n,
      department.id,
      cumulative,
      to,
      department.staff + MANAGERS_PER_DEPARTMENT,
    ]);
    cumulative = to;
  }
  await trx.raw('create temporary table bench_categories (dept_n int, n int, id uuid, w_from float8, w_to float8, primary key (dept_n, n)) on commit drop');
  for (const category of categories) {
    const from = CATEGORY_SHARES.slice(0, category.n - 1).reduce((sum, share) => sum + share, 0);
    const to = category.n === CATEGORY_SHARES.length ? 1.000001 : from + CATEGORY_SHARES[category.n - 1]!;
    await trx.raw('insert into bench_categories values (?, ?, ?, ?, ?)', [category.dept_n, category.n, category.id, from, to]);
  }
  await trx.raw(
    `create temporary table bench_reporters on commit drop as
     select row_number() over (order by full_name)::int as n, id from users where role = 'reporter'`,
  );
  await trx.raw('alter table bench_reporters add primary key (n)');
  await trx.raw(
    `create temporary table bench_staff on commit drop as
     select d.n as dept_n, row_number() over (partition by d.n order by u.full_name)::int as n, u.id
     from users u join bench_departments d on d.id = u.department_id where u.role in ('staff', 'manager')`,
  );
  await trx.raw('alter table bench_staff add primary key (dept_n, n)');
  await trx.raw('analyze bench_departments, bench_categories, bench_reporters, bench_staff');
  console.log(`departments ${departments.length}, categories ${categories.length}, users ${REPORTERS + ADMINS + departments.reduce((sum, d) => sum + d.staff + MANAGERS_PER_DEPARTMENT, 0)} (${elapsed(startedAt)})`);

  // The migrations' secondary indexes, saved and dropped for the load, rebuilt after it.
  const { rows: indexes } = await trx.raw<{ rows: { name: string; definition: string }[] }>(
    `select i.relname as name, pg_get_indexdef(i.oid) as definition
     from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace s on s.oid = t.relnamespace
     where s.nspname = ? and t.relname = 'incidents' and not exists (select 1 from pg_constraint c where c.conindid = i.oid)
     order by i.relname`,
    [SCHEMA],
  );
  for (const index of indexes) await trx.raw(`drop index ${SCHEMA}.${pg.escapeIdentifier(index.name)}`);

  const insertStartedAt = performance.now();
  for (let from = 1; from <= TOTAL; from += BATCH) {
    const to = Math.min(TOTAL, from + BATCH - 1);
    await trx.raw(incidentBatchSql(), { from, to, total: TOTAL, start: yearsAgo, span: (now.getTime() - yearsAgo.getTime()) / 1000, now, reporters: REPORTERS });
    const rate = Math.round(to / ((performance.now() - insertStartedAt) / 1000));
    console.log(`incidents ${to.toLocaleString('en').padStart(9)} / ${TOTAL.toLocaleString('en')}  ${elapsed(startedAt).padStart(12)}  (${rate.toLocaleString('en')} rows/s)`);
  }

  for (const index of indexes) {
    const indexStartedAt = performance.now();
    await trx.raw(index.definition);
    console.log(`index ${index.name.padEnd(40)} ${elapsed(indexStartedAt).padStart(8)}   total ${elapsed(startedAt)}`);
  }
  // The full-text index of recent incidents, which incident-service would otherwise build as it
  // starts, while the benchmark measures it.
  if (!indexes.some((index) => index.name.startsWith('incidents_search_since_'))) {
    const indexStartedAt = performance.now();
    const recent = await buildRecentSearchIndex(trx, now, { concurrently: false });
    console.log(`index ${recent.name.padEnd(40)} ${elapsed(indexStartedAt).padStart(8)}   total ${elapsed(startedAt)}`);
  }
}

/**
 * One batch of incidents, rows `from`..`to` of `total`. Each row draws its random numbers once
 * (a materialised CTE), is placed in a department, category and priority, then lives a life:
 * picked up after a delay drawn around the response target, resolved after one drawn around the
 * resolution target, closed by the reporter within 3 days or automatically after 7, a few
 * cancelled, a few left untouched for ever. Its status is the stage that life reached by now;
 * a timestamp still in the future is left empty. SLA breaches are marked as the service marks
 * them: by the SLA job within 30 s of the due time, or at the late response or resolution.
 */
function incidentBatchSql(): string {
  const words = textArray(WORDS);
  // The long tail: 4 in 10 description words are drawn from 13,824 made-up words (three
  // syllables) with a log-uniform, Zipf-like distribution, as real text has names, jargon and
  // typos that the planner's statistics (the most common elements) never see.
  const syllables = textArray(SYLLABLES);
  const n = SYLLABLES.length;
  const problems = textArray(PROBLEMS);
  const places = textArray(PLACES);
  // one incident in twenty waits (or is worked on) twenty times as long as usual
  const slow = 'case when s.r_slow < 0.05 then 20 else 1 end';
  return `
insert into incidents (number, title, description, status, priority, reporter_id, department_id, category_id, assignee_id, version,
  created_at, updated_at, responded_at, resolved_at, closed_at, response_due_at, resolution_due_at, response_breached_at, resolution_breached_at)
select nextval('incident_number_seq'), title, description, status, priority, reporter_id, department_id, category_id, assignee_id, version,
  created_at, updated_at, responded_at, resolved_at, closed_at, response_due_at, resolution_due_at, response_breached_at, resolution_breached_at
from (
  with seeded as materialized (
    select g,
      -- incidents grow linearly over the years: the density of created_at rises towards now
      :start::timestamptz + :span * sqrt((g - 1 + random()) / :total) * interval '1 second' as created_at,
      random() as r_dept, random() as r_cat, random() as r_pri, random() as r_rep, random() as r_staff, random() as r_assign,
      random() as r_resp, random() as r_work, random() as r_close, random() as r_fate, random() as r_slow, random() as r_jitter, random() as r_text
    from generate_series(:from::int, :to::int) as g
  ),
  lived as materialized (
    select s.*, d.id as department_id, d.subjects, c.id as category_id, r.id as reporter_id, st.id as staff_id, p.priority,
      s.created_at + p.response_minutes * interval '1 minute' as response_due_at,
      s.created_at + p.resolution_minutes * interval '1 minute' as resolution_due_at,
      case when s.r_fate < 0.05 then s.created_at + p.response_minutes * interval '1 minute' * (-ln(1 - s.r_resp)) * 0.3 end as cancelled_real,
      case when s.r_fate >= 0.052 -- 5 % are cancelled before anyone responds, 0.2 % are never picked up
           then s.created_at + p.response_minutes * interval '1 minute' * (-ln(1 - s.r_resp)) * 0.45 * (${slow}) end as responded_real,
      case when s.r_fate >= 0.055 -- another 0.3 % are picked up and never resolved
           then p.resolution_minutes * interval '1 minute' * (-ln(1 - s.r_work)) * 0.35 * (${slow}) end as work
    from seeded s
    join bench_departments d on s.r_dept >= d.w_from and s.r_dept < d.w_to
    join bench_categories c on c.dept_n = d.n and s.r_cat >= c.w_from and s.r_cat < c.w_to
    join bench_reporters r on r.n = least(:reporters::int, 1 + floor(power(s.r_rep, 2) * :reporters::int)::int)
    join bench_staff st on st.dept_n = d.n and st.n = least(d.staff_count, 1 + floor(s.r_staff * d.staff_count)::int)
    cross join lateral (
      select (case when s.r_pri < 0.05 then 'CRITICAL' when s.r_pri < 0.25 then 'HIGH' when s.r_pri < 0.7 then 'MEDIUM' else 'LOW' end)::incident_priority as priority
    ) chosen
    join sla_policies p on p.priority = chosen.priority
  ),
  timed as (
    select l.*, l.responded_real + l.work as resolved_real,
      l.responded_real + l.work + case when l.r_close < 0.6 then l.r_close / 0.6 * interval '3 days'
                                        else interval '7 days' + (l.r_close - 0.6) / 0.4 * interval '30 seconds' end as closed_real,
      coalesce(l.responded_real, l.cancelled_real) as response_stop,
      coalesce(l.responded_real + l.work, l.cancelled_real) as resolution_stop
    from lived l
  ),
  staged as (
    select t.*,
      (case
        when t.cancelled_real is not null then case when t.cancelled_real <= :now then 'CANCELLED' else 'OPEN' end
        when t.responded_real is null or t.responded_real > :now then 'OPEN'
        when t.resolved_real is null or t.resolved_real > :now then 'IN_PROGRESS'
        when t.closed_real > :now then 'RESOLVED'
        else 'CLOSED'
      end)::incident_status as status,
      case when t.responded_real <= :now then t.responded_real end as responded_at,
      case when t.resolved_real <= :now then t.resolved_real end as resolved_at,
      case when t.cancelled_real <= :now then t.cancelled_real when t.closed_real <= :now then t.closed_real end as closed_at,
      case when t.response_due_at < :now and (t.response_stop is null or t.response_stop > t.response_due_at)
           then least(t.response_due_at + t.r_jitter * interval '30 seconds', t.response_stop) end as response_breach,
      case when t.resolution_due_at < :now and (t.resolution_stop is null or t.resolution_stop > t.resolution_due_at)
           then least(t.resolution_due_at + t.r_jitter * interval '30 seconds', t.resolution_stop) end as resolution_breach
    from timed t
  ),
  final as (
    select st.*,
      -- staff who start work are assigned; a quarter of waiting incidents were assigned by a manager
      case when st.responded_at is not null then st.staff_id
           when st.status = 'OPEN' and st.r_assign < 0.25 then st.staff_id end as assignee_id,
      case when st.responded_at is null and st.status = 'OPEN' and st.r_assign < 0.25
           then least(:now, st.created_at + st.r_assign * 4 * interval '1 hour') end as assigned_at,
      case when st.response_breach <= :now then st.response_breach end as response_breached_at,
      case when st.resolution_breach <= :now then st.resolution_breach end as resolution_breached_at
    from staged st
  )
  select f.g, f.priority, f.status, f.reporter_id, f.department_id, f.category_id, f.assignee_id,
    f.created_at, f.responded_at, f.resolved_at, f.closed_at, f.response_due_at, f.resolution_due_at,
    f.response_breached_at, f.resolution_breached_at,
    greatest(f.created_at, f.assigned_at, f.responded_at, f.resolved_at, f.closed_at) as updated_at,
    1 + (f.assigned_at is not null)::int + (f.responded_at is not null)::int + (f.resolved_at is not null)::int + (f.closed_at is not null)::int as version,
    f.subject, f.problem, f.place,
    initcap(f.subject) || ' ' || f.problem || case when f.r_text < 0.6 then ' in ' || f.place else '' end as title,
    'The ' || f.subject || ' ' || f.problem || ' (' || f.place || '). ' ||
      (select string_agg(case when x.r < 0.6 then ${words}[${skewedIndex(WORDS.length, 1.6)}]
                              else ${syllables}[1 + x.i % ${n}] || ${syllables}[1 + (x.i / ${n}) % ${n}] || ${syllables}[1 + (x.i / ${n * n}) % ${n}] end, ' ')
       from (select random() as r, floor(exp(random() * ln(${n ** 3})))::int as i from generate_series(1, 12 + floor(f.r_text * 50)::int)) x) ||
      case when f.r_text < 0.3 then '. Asset AST-' || lpad(floor(random() * 100000)::int::text, 5, '0') else '' end ||
      case when f.r_text > 0.8 then '. Host srv-' || lpad(floor(random() * 5000)::int::text, 4, '0') else '' end || '.' as description
  from (
    select f0.*, f0.subjects[${skewedIndex('array_length(f0.subjects, 1)', 1.5)}] as subject,
      ${problems}[${skewedIndex(PROBLEMS.length, 1.5)}] as problem, ${places}[${skewedIndex(PLACES.length, 1.3)}] as place
    from final f0
  ) f
  order by f.g
) numbered`;
}

async function summarise(db: Knex): Promise<void> {
  const statuses = await db('incidents').select('status').count<{ status: string; count: string }[]>('* as count').groupBy('status').orderBy('status');
  const total = statuses.reduce((sum, row) => sum + Number(row.count), 0);
  console.log(`\n${total.toLocaleString('en')} incidents:`);
  for (const row of statuses) console.log(`  ${row.status.padEnd(12)} ${Number(row.count).toLocaleString('en').padStart(9)}  ${((100 * Number(row.count)) / total).toFixed(2)} %`);
  const facts = await db.raw<{ rows: Record<string, string>[] }>(
    `select count(*) filter (where sla_breached) as breached, count(*) filter (where assignee_id is null) as unassigned,
            min(created_at)::date::text as first_created, max(created_at)::text as last_created,
            pg_size_pretty(pg_total_relation_size('incidents')) as total_size, pg_size_pretty(pg_relation_size('incidents')) as heap_size
     from incidents`,
  );
  const row = facts.rows[0]!;
  console.log(`  breached ${Number(row.breached).toLocaleString('en')}, unassigned ${Number(row.unassigned).toLocaleString('en')}`);
  console.log(`  created ${row.first_created} … ${row.last_created}; table ${row.heap_size}, with indexes ${row.total_size}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
