/**
 * The bare baseline for http.ts: `node:http` and `pg`, no framework, no token check, no
 * logging, no metrics, no tracing. It answers `GET /incidents?limit=N` with exactly the database
 * work and the body of incident-service's admin list: the same prepared keyset query (the same
 * columns, the same index), the page's people's names in the same statement, the same
 * JSON texts written as they are with the names spliced in, and the same `nextCursor`. What the
 * service spends beyond this server's CPU per request is the price of everything else it does
 * (Express, authentication, validation, logs, metrics, traces), which the benchmark measures.
 * Driven over IPC like the others: `{ start: { databaseUrl } }` → `{ baseUrl, pid }`; `'stop'` → exit.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { jsonWithPeopleNames } from '../../incident-service/src/incidents/people-names.js';

let server: http.Server | undefined;
let pool: pg.Pool | undefined;

const LIST = {
  name: 'baseline-admin-list',
  // The statement incident-service prepares for an admin's first page (list-incidents.use-case.ts):
  // the page, then its people's names from the users replica, in one statement.
  text: 'select "page"."id", "page"."priority", "page"."json", "page"."cursor_time", (select full_name from users where users.id = page.reporter_id) as reporter_name, (select full_name from users where users.id = page.assignee_id) as assignee_name from (select "incidents"."id", "incidents"."priority", "incidents"."reporter_id", "incidents"."assignee_id", "incidents"."api_json" as "json", "incidents"."updated_at", incidents.updated_at::text as cursor_time from "incidents" order by "updated_at" desc, "id" desc limit $1) as "page" order by "page"."updated_at" desc, "page"."id" desc',
};

interface Row {
  id: string;
  priority: string;
  json: string;
  cursor_time: string;
  reporter_name: string | null;
  assignee_name: string | null;
}

async function list(limit: number): Promise<string> {
  const { rows } = await pool!.query<Row>({ ...LIST, values: [limit + 1] });
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify({ t: last.cursor_time, id: last.id })).toString('base64url') : null;
  return `{"items":[${shown.map((row) => jsonWithPeopleNames(row.json, row.reporter_name, row.assignee_name)).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

async function start(databaseUrl: string): Promise<string> {
  // The service's pool: its size, and its schema first on the search path.
  pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: `-c search_path=incident -c random_page_cost=1.1` });
  server = http.createServer((request, response) => {
    const parsed = new URL(request.url ?? '/', 'http://baseline');
    if (request.method !== 'GET' || parsed.pathname !== '/incidents') {
      response.writeHead(404).end();
      return;
    }
    const limit = Math.min(100, Math.max(1, Number(parsed.searchParams.get('limit') ?? 25) || 25));
    list(limit).then(
      (body) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

process.on('message', (message: { start?: { databaseUrl: string } } | 'stop') => {
  if (message === 'stop') {
    server?.closeAllConnections();
    void Promise.all([new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))), pool?.end()]).then(() => {
      process.send?.('stopped');
      process.exit(0);
    });
    return;
  }
  if (message.start) {
    start(message.start.databaseUrl).then(
      (baseUrl) => process.send?.({ baseUrl, pid: process.pid }),
      (error: unknown) => {
        process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        process.exitCode = 1;
        process.disconnect?.();
      },
    );
  }
});
