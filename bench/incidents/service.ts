import { createWriteStream, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { signAccessToken, type SigningKey } from '@desk/auth';
import { EVENT_TYPES, contextOf, type UserRole } from '@desk/contracts';
import { incidentConfigSchema, createIncidentService, type IncidentService } from '@desk/incident-service';
import { InProcessEventBus, type EventHandlers } from '@desk/messaging';
import { closeServer, createLogger, listen, loadConfig, type Logger } from '@desk/platform';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Knex } from 'knex';

/**
 * identity-service is not part of the benchmark: like the service's own test harness, the bench
 * signs tokens with a key of its own and hands the service the matching public key.
 */
export interface BenchKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

const KID = 'bench-key';
const ISSUER = 'http://localhost:8080';
const AUDIENCE = 'incident-platform';

export async function createBenchKeys(): Promise<BenchKeys> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid: KID, alg: 'EdDSA' } };
}

export interface BenchUser {
  id: string;
  role: UserRole;
  departmentId: string | null;
}

/** Signs access tokens as identity-service would, for users that exist in the service's replica. */
export async function tokenSigner(keys: BenchKeys): Promise<(user: BenchUser) => Promise<string>> {
  const signingKey: SigningKey = { kid: KID, privateKey: (await importJWK(keys.privateJwk, 'EdDSA')) as SigningKey['privateKey'] };
  return async (user) =>
    (await signAccessToken(user, signingKey, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 4 * 3600 })).token;
}

export interface RunningService {
  service: IncidentService;
  server: Server;
  baseUrl: string;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  databaseUrl: string;
  keys: BenchKeys;
  /** The service's log level; its lines go to `logFile`, as production logs go to a collector. */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFile: string;
  /** Run the outbox relay and SLA jobs, as a deployed instance does. */
  background: boolean;
  /** More of the service's configuration (ATTACHMENT_DIR, say). */
  env?: Record<string, string>;
}

/**
 * incident-service as main.ts builds it, with an in-process bus and no replica catch-up (there
 * is no identity-service), listening on a free port.
 */
export async function startService(options: StartOptions): Promise<RunningService> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const destination = createWriteStream(options.logFile, { flags: 'a' });
  const logger = createLogger({ service: 'incident-service', level: options.logLevel, destination });
  const config = loadConfig(incidentConfigSchema, {
    NODE_ENV: 'production',
    LOG_LEVEL: options.logLevel,
    DATABASE_URL: options.databaseUrl,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ...options.env,
  });
  const bus = new InProcessEventBus({ logger });
  // notification- and analytics-service consume every incident event in production; without a
  // consumer the bus refuses them as unroutable and the outbox relay retries them for ever.
  const consumed: EventHandlers = {};
  for (const type of EVENT_TYPES.filter((candidate) => contextOf(candidate) === 'incident')) {
    (consumed as Record<string, () => Promise<void>>)[type] = async () => undefined;
  }
  await bus.subscribe('bench-downstream', consumed);
  const service = await createIncidentService({
    config,
    logger,
    bus,
    verificationKeys: createLocalJWKSet({ keys: [options.keys.publicJwk] }),
    syncReplicas: false,
  });
  if (options.background) await service.start();
  // Searches ask the recent-search index generate.ts built from the first request (start() only
  // begins looking for it, and without background work nothing looks).
  await service.recentSearch.refresh();
  const server = await listen(service.app, { port: 0, host: '127.0.0.1', logger });
  const { port } = server.address() as AddressInfo;
  return {
    service,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    logger,
    async close() {
      await closeServer(server, { deadlineMs: 5_000, logger });
      await service.stop();
      await bus.close();
      await new Promise<void>((resolve) => destination.end(resolve));
    },
  };
}

/** The people the benchmark acts as, picked from the loaded data. */
export interface BenchCast {
  admin: BenchUser;
  /** The largest department, where lists are longest. */
  department: { id: string; name: string };
  smallDepartment: { id: string; name: string };
  staff: BenchUser;
  otherStaff: BenchUser;
  smallDepartmentStaff: BenchUser;
  manager: BenchUser;
  /** The reporter with the most incidents, and one with a typical number. */
  busyReporter: BenchUser;
  /** The busy reporter's last page of 25. */
  busyReporterPages: number;
  typicalReporter: BenchUser;
  bigCategory: string;
  smallCategory: string;
}

export async function pickCast(db: Knex): Promise<BenchCast> {
  const one = async <Row>(sql: string, bindings: readonly unknown[] = []): Promise<Row> => {
    const { rows } = await db.raw<{ rows: Row[] }>(sql, bindings as Knex.RawBinding[]);
    if (!rows[0]) throw new Error(`the benchmark data lacks what this query looks for; run generate.ts first:\n${sql}`);
    return rows[0];
  };
  const user = (row: { id: string; role: UserRole; department_id: string | null }): BenchUser => ({ id: row.id, role: row.role, departmentId: row.department_id });
  const departments = await db.raw<{ rows: { id: string; name: string }[] }>(
    'select d.id, d.name from departments d order by (select count(*) from categories c where c.department_id = d.id) desc, d.name',
  );
  // Departments' sizes from the planner's statistics would do, but the exact count is cheap with the department index.
  const sizes = await db.raw<{ rows: { department_id: string; count: string }[] }>('select department_id, count(*) from incidents group by 1 order by 2 desc');
  const department = departments.rows.find((row) => row.id === sizes.rows[0]!.department_id)!;
  const smallDepartment = departments.rows.find((row) => row.id === sizes.rows.at(-1)!.department_id)!;
  const staffRows = await db.raw<{ rows: { id: string; role: UserRole; department_id: string }[] }>(
    "select id, role, department_id from users where department_id = ? and role = 'staff' and is_active order by full_name limit 2",
    [department.id],
  );
  const smallDepartmentStaff = await one<{ id: string; role: UserRole; department_id: string }>(
    "select id, role, department_id from users where department_id = ? and role = 'staff' and is_active order by full_name limit 1",
    [smallDepartment.id],
  );
  const manager = await one<{ id: string; role: UserRole; department_id: string }>(
    "select id, role, department_id from users where department_id = ? and role = 'manager' and is_active order by full_name limit 1",
    [department.id],
  );
  const admin = await one<{ id: string; role: UserRole; department_id: null }>("select id, role, department_id from users where role = 'admin' and is_active order by full_name limit 1");
  const reporters = await db.raw<{ rows: { id: string; role: UserRole; department_id: null; count: string }[] }>(
    `select u.id, u.role, u.department_id, count(*) as count from incidents i join users u on u.id = i.reporter_id
     where u.role = 'reporter' group by u.id order by count(*) desc`,
  );
  const categories = await db.raw<{ rows: { id: string; count: string }[] }>('select category_id as id, count(*) from incidents group by 1 order by 2 desc');
  return {
    admin: user(admin),
    department,
    smallDepartment,
    staff: user(staffRows.rows[0]!),
    otherStaff: user(staffRows.rows[1]!),
    smallDepartmentStaff: user(smallDepartmentStaff),
    manager: user(manager),
    busyReporter: user(reporters.rows[0]!),
    busyReporterPages: Math.ceil(Number(reporters.rows[0]!.count) / 25),
    typicalReporter: user(reporters.rows[Math.floor(reporters.rows.length / 2)]!),
    bigCategory: categories.rows[0]!.id,
    smallCategory: categories.rows.at(-1)!.id,
  };
}
