/* eslint-disable no-console -- a command-line report: figures go to the terminal and RESULTS.md */
/**
 * Automatic assignment under load: 50 connections file incidents into one category of the
 * benchmark data for 15 s, once per routing mode (none, round robin, least loaded). Reports each
 * mode's throughput and latency (the cost of deciding under the department's lock) and checks
 * the outcome: every incident of a routing mode assigned, round robin's counts within one of each
 * other, least loaded leaving no one with more open work than another by more than one. Appends a
 * dated section to bench/RESULTS.md; exit code 1 when a check fails.
 *
 *   node --conditions=source --import tsx bench/routing/auto-assign.ts [--duration 15] [--connections 50]
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchDatabaseUrl, benchLogger, connectBench, ensureDatabase } from '../incidents/database.js';
import { createBenchKeys, startService, tokenSigner, type BenchUser } from '../incidents/service.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '15' }, connections: { type: 'string', default: '50' } } });
const duration = Number(values.duration);
const connections = Number(values.connections);
const RESULTS = join(__dirname, '..', 'RESULTS.md');

interface ModeFigures {
  mode: string;
  created: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  unassigned: number;
  spread: string;
  pass: boolean;
}

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const logger = benchLogger();
  const keys = await createBenchKeys();
  const running = await startService({ databaseUrl: url, keys, logLevel: 'warn', logFile: join(__dirname, '..', '.out', 'routing-service.log'), background: true });
  const db = await connectBench(url, logger);
  const sign = await tokenSigner(keys);
  try {
    // The smallest department with at least four staff, and its first category.
    const { rows: [department] } = await db.raw<{ rows: { id: string; name: string }[] }>(
      `select d.id, d.name from departments d
        where (select count(*) from users u where u.department_id = d.id and u.role = 'staff' and u.is_active) >= 4
        order by (select count(*) from users u where u.department_id = d.id and u.role = 'staff') limit 1`,
    );
    if (!department) throw new Error('no department with four staff: run bench/incidents/generate.ts first');
    const category = await db('categories').where({ department_id: department.id }).orderBy('name').first<{ id: string; name: string }>();
    if (!category) throw new Error('the department has no category: run bench/incidents/generate.ts first');
    const staff = (await db('users').where({ department_id: department.id, role: 'staff', is_active: true }).select<{ id: string }[]>('id')).map((row) => row.id);
    await db('staff_availability').whereIn('user_id', staff).delete();
    const reporters = await db('users').where({ role: 'reporter', is_active: true }).orderBy('id').limit(500).select<{ id: string }[]>('id');
    const tokens = await Promise.all(reporters.map((row) => sign({ id: row.id, role: 'reporter', departmentId: null } satisfies BenchUser)));
    console.log(`routing benchmark: ${department.name} (${staff.length} staff), category ${category.name}; ${connections} connections, ${duration} s per mode`);

    const figures: ModeFigures[] = [];
    for (const mode of ['none', 'round_robin', 'least_loaded'] as const) {
      await db('categories').where({ id: category.id }).update({ assignment: mode, last_assignee_id: null, max_open_per_person: null, default_assignee_id: null });
      const openBefore = await openCounts(db, staff);
      const startedAt = new Date();
      let counter = 0;
      const result = await autocannon({
        url: running.baseUrl,
        connections,
        duration,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/incidents',
            setupRequest: (request) => {
              counter += 1;
              return {
                ...request,
                headers: { authorization: `Bearer ${tokens[counter % tokens.length]!}`, 'content-type': 'application/json' },
                body: JSON.stringify({ title: `Routing bench ${mode} ${counter}`, description: 'Filed by the routing benchmark.', categoryId: category.id, priority: 'MEDIUM' }),
              };
            },
          },
        ],
      });
      // Requests still in flight when the run ends are answered after it: wait for them, and count
      // this mode's incidents by their title (a straggler of the run before is not this mode's).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const { rows } = await db.raw<{ rows: { assignee_id: string | null; count: string }[] }>(
        'select assignee_id, count(*) from incidents where category_id = ? and created_at >= ? and title like ? group by 1',
        [category.id, startedAt, `Routing bench ${mode} %`],
      );
      const created = rows.reduce((sum, row) => sum + Number(row.count), 0);
      const unassigned = Number(rows.find((row) => row.assignee_id === null)?.count ?? 0);
      let spread = '—';
      let pass = result.non2xx === 0 && result.errors === 0;
      if (mode === 'round_robin') {
        const counts = staff.map((id) => Number(rows.find((row) => row.assignee_id === id)?.count ?? 0));
        spread = `each ${Math.min(...counts)}–${Math.max(...counts)}`;
        pass &&= unassigned === 0 && Math.max(...counts) - Math.min(...counts) <= 1;
      }
      if (mode === 'least_loaded') {
        const after = await openCounts(db, staff);
        const values = staff.map((id) => after.get(id) ?? 0);
        const before = staff.map((id) => openBefore.get(id) ?? 0);
        spread = `open work ${Math.min(...before)}–${Math.max(...before)} before, ${Math.min(...values)}–${Math.max(...values)} after`;
        // Everyone below the most loaded is filled up first: the spread ends within one once enough incidents came.
        pass &&= unassigned === 0 && (Math.max(...values) - Math.min(...values) <= 1 || created < staff.length * (Math.max(...before) - Math.min(...before)));
      }
      figures.push({
        mode,
        created,
        perSecond: result.requests.average,
        p50: result.latency.p50,
        p95: result.latency.p97_5,
        p99: result.latency.p99,
        errors: result.non2xx + result.errors,
        unassigned,
        spread,
        pass,
      });
      console.log(`  ${mode.padEnd(13)} ${created} filed, ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms; unassigned ${unassigned}; ${spread}; ${pass ? 'ok' : 'FAIL'}`);
    }
    await db('categories').where({ id: category.id }).update({ assignment: 'none', last_assignee_id: null });
    // The incidents filed here go again, with their timelines: the list and search benchmarks
    // start from the generated data (thousands of newest incidents with text of their own would
    // be what a search ordered by recency reads first), and the next run from the same open work.
    const removed = await removeFiled(db);
    console.log(`  removed the ${removed} incidents the benchmark filed`);

    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const machine = `${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
    const section = [
      '',
      `## Routing: automatic assignment under ${connections} concurrent creates — ${when} UTC`,
      '',
      `Machine: ${machine}. Department ${department.name} (${staff.length} staff), one category, ${duration} s per mode, \`bench/routing/auto-assign.ts\`.`,
      '',
      '| mode | filed | req/s | p50 | p97.5 | p99 | errors | unassigned | fairness | ok? |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...figures.map((f) => `| ${f.mode} | ${f.created} | ${f.perSecond.toFixed(0)} | ${f.p50} ms | ${f.p95} ms | ${f.p99} ms | ${f.errors} | ${f.unassigned} | ${f.spread} | ${f.pass ? 'yes' : 'NO'} |`),
      '',
    ];
    appendFileSync(RESULTS, `${section.join('\n')}\n`);
    console.log('appended to bench/RESULTS.md');
    if (figures.some((f) => !f.pass)) process.exitCode = 1;
  } finally {
    await db.destroy();
    await running.close();
  }
}

/** Deletes the incidents this benchmark filed (by their title), with what refers to them. */
async function removeFiled(db: Awaited<ReturnType<typeof connectBench>>): Promise<number> {
  return db.transaction(async (trx) => {
    const ids = trx('incidents').select('id').where('title', 'like', 'Routing bench %');
    await trx('audit_log').whereIn('incident_id', ids).delete();
    await trx('comments').whereIn('incident_id', ids).delete();
    await trx('escalation_firings').whereIn('incident_id', ids).delete();
    const removed: number = await trx('incidents').where('title', 'like', 'Routing bench %').delete();
    return removed;
  });
}

async function openCounts(db: Awaited<ReturnType<typeof connectBench>>, staff: string[]): Promise<Map<string, number>> {
  const { rows } = await db.raw<{ rows: { assignee_id: string; count: string }[] }>(
    "select assignee_id, count(*) from incidents where assignee_id = any(?::uuid[]) and status in ('OPEN', 'IN_PROGRESS') group by 1",
    [staff] as unknown as readonly string[],
  );
  return new Map(rows.map((row) => [row.assignee_id, Number(row.count)]));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
