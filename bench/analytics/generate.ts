/* eslint-disable no-console -- a command-line tool: progress goes to the terminal */
/**
 * Loads the analytics read model with a million incident facts, as three years of a 12-department
 * organisation would leave them, straight into the `analytics` schema (set-based SQL, in batches).
 *
 *   node --conditions=source --import tsx bench/analytics/generate.ts [--facts 1000000] [--fresh]
 *
 * BENCH_ANALYTICS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/desk_bench_analytics).
 * Skips the load when the facts are there already, unless --fresh.
 */
import { parseArgs } from 'node:util';
import { connectDatabase } from '@desk/platform';
import type { Knex } from 'knex';
import { analyticsMigrations } from '../../analytics-service/src/migrations.js';
import { benchLogger, elapsed, ensureDatabase } from '../incidents/database.js';

export const DEPARTMENTS = 12;
export const CATEGORIES_PER_DEPARTMENT = 5;
export const STAFF_PER_DEPARTMENT = 40;
const BATCH = 100_000;

const FORBIDDEN = new Set(['postgres', 'test', 'root', 'template0', 'template1']);

export function analyticsBenchUrl(): string {
  const url = process.env.BENCH_ANALYTICS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_analytics';
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (FORBIDDEN.has(name) || name.startsWith('desk_test_')) throw new Error(`Refusing to load benchmark data into "${name}": point BENCH_ANALYTICS_DATABASE_URL at a database of its own.`);
  return url;
}

export async function connectAnalyticsBench(url: string): Promise<Knex> {
  await ensureDatabase(url);
  return connectDatabase({ url, schema: 'analytics', migrations: analyticsMigrations, logger: benchLogger() });
}

/** Ids the benchmark and the data agree on: derived from names, so a rerun finds them. */

/** A name's own UUID (version 4 and variant bits set, so validators accept it): the same on every run. */
async function defineIdFunction(db: Knex): Promise<void> {
  await db.raw(`create or replace function pg_temp.bench_id(name text) returns uuid language sql immutable as
    $$ select overlay(overlay(md5(name) placing '4' from 13) placing '8' from 17)::uuid $$`);
}

async function loadNames(db: Knex): Promise<void> {
  await db.raw(`insert into departments (id, name, updated_at)
    select pg_temp.bench_id('department-' || d), 'Department ' || d, now() from generate_series(0, ${DEPARTMENTS - 1}) d
    on conflict (id) do nothing`);
  await db.raw(`insert into users (id, full_name, role, department_id, is_active, updated_at)
    select pg_temp.bench_id('staff-' || d || '-' || k), 'Staff ' || d || '-' || k, case when k = 0 then 'manager' else 'staff' end,
           pg_temp.bench_id('department-' || d), true, now()
    from generate_series(0, ${DEPARTMENTS - 1}) d, generate_series(0, ${STAFF_PER_DEPARTMENT - 1}) k
    on conflict (id) do nothing`);
}

/**
 * One batch of facts. Each incident: created uniformly over three years; priority 10 % critical,
 * 25 % high, 45 % medium, 20 % low, with the SLA targets of the default policies; acknowledged
 * after 1 minute to 2 days and resolved 10 minutes to 3.5 days later (log-uniform), as far as
 * that lies in the past; closed three days after resolution; 2 % cancelled within the hour, 0.5 %
 * never picked up; 5 % of the resolved re-opened once; breaches where a target was missed.
 */
async function loadBatch(db: Knex, from: number, to: number): Promise<void> {
  await db.raw(`
    with drawn as (
      select g, gen_random_uuid() as id,
             now() - random() * interval '1095 days' as created_at,
             (g % ${DEPARTMENTS * CATEGORIES_PER_DEPARTMENT}) as category,
             random() as r_priority, random() as r_status, random() as r_ack, random() as r_res, random() as r_reopen, random() as r_staff
      from generate_series(${from}, ${to - 1}) g
    ), shaped as (
      select *, category % ${DEPARTMENTS} as department,
             case when r_priority < 0.10 then 'CRITICAL' when r_priority < 0.35 then 'HIGH' when r_priority < 0.80 then 'MEDIUM' else 'LOW' end as priority,
             make_interval(secs => 60 * power(2880, r_ack)) as ack,
             make_interval(secs => 600 * power(500, r_res)) as res
      from drawn
    ), timed as (
      select *,
             created_at + case priority when 'CRITICAL' then interval '15 minutes' when 'HIGH' then interval '1 hour' when 'MEDIUM' then interval '4 hours' else interval '8 hours' end as response_due_at,
             created_at + case priority when 'CRITICAL' then interval '4 hours' when 'HIGH' then interval '8 hours' when 'MEDIUM' then interval '24 hours' else interval '72 hours' end as resolution_due_at,
             case when r_status < 0.02 or r_status > 0.995 or created_at + ack > now() then null else created_at + ack end as responded_at
      from shaped
    ), lived as (
      select *,
             case when responded_at is not null and responded_at + res < now() then responded_at + res end as resolved_at
      from timed
    ), finished as (
      select *,
             case when r_status < 0.02 then 'CANCELLED'
                  when responded_at is null then 'OPEN'
                  when resolved_at is null then 'IN_PROGRESS'
                  when resolved_at + interval '3 days' < now() then 'CLOSED'
                  else 'RESOLVED' end as status
      from lived
    )
    insert into facts (id, key, title, status, priority, reporter_id, department_id, category_id, assignee_id, version, created_at, updated_at,
                       responded_at, resolved_at, closed_at, cancelled_at, reopen_count, reopened_at, response_due_at, resolution_due_at,
                       response_breached_at, resolution_breached_at)
    select id, 'INC-' || lpad(g::text, 7, '0'), 'Incident ' || g, status, priority,
           pg_temp.bench_id('reporter-' || (g % 20000)), pg_temp.bench_id('department-' || department), pg_temp.bench_id('category-' || category),
           case when responded_at is not null then pg_temp.bench_id('staff-' || department || '-' || (1 + floor(r_staff * ${STAFF_PER_DEPARTMENT - 1}))::int) end,
           1 + (responded_at is not null)::int + (resolved_at is not null)::int * (1 + (r_reopen < 0.05)::int * 2) + (status = 'CLOSED')::int,
           created_at, coalesce(resolved_at + case when status = 'CLOSED' then interval '3 days' else interval '0' end, responded_at, created_at),
           responded_at, resolved_at,
           case when status = 'CLOSED' then resolved_at + interval '3 days' end,
           case when status = 'CANCELLED' then created_at + interval '30 minutes' end,
           case when resolved_at is not null and r_reopen < 0.05 then 1 else 0 end,
           case when resolved_at is not null and r_reopen < 0.05 then resolved_at - res / 2 end,
           response_due_at, resolution_due_at,
           case when coalesce(responded_at, case when status = 'OPEN' then now() end) > response_due_at then response_due_at
                when status = 'CANCELLED' and created_at + interval '30 minutes' > response_due_at then response_due_at end,
           case when coalesce(resolved_at, case when status in ('OPEN', 'IN_PROGRESS') then now() end) > resolution_due_at then resolution_due_at end
    from finished`);
}

export async function generate(db: Knex, facts: number, fresh: boolean): Promise<void> {
  const held = Number((await db('facts').count<{ count: string }[]>({ count: '*' }))[0]!.count);
  if (held >= facts && !fresh) {
    console.log(`${held.toLocaleString('en')} facts already loaded; --fresh loads them again.`);
    return;
  }
  const started = performance.now();
  await db.raw('truncate facts, departments, users');
  await defineIdFunction(db);
  await loadNames(db);
  for (let from = 0; from < facts; from += BATCH) {
    await loadBatch(db, from, Math.min(facts, from + BATCH));
    console.log(`  ${Math.min(facts, from + BATCH).toLocaleString('en')} / ${facts.toLocaleString('en')} facts (${elapsed(started)})`);
  }
  await db.raw('update model_state set generation = generation + 1');
  await db.raw('vacuum analyze facts');
  console.log(`Loaded ${facts.toLocaleString('en')} facts in ${elapsed(started)}.`);
}

if (require.main === module) {
  const { values } = parseArgs({ options: { facts: { type: 'string', default: '1000000' }, fresh: { type: 'boolean', default: false } } });
  void (async () => {
    const db = await connectAnalyticsBench(analyticsBenchUrl());
    try {
      await generate(db, Number(values.facts), values.fresh);
    } finally {
      await db.destroy();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
