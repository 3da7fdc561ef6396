import { randomBytes, randomUUID } from 'node:crypto';
import { signAccessToken } from '@desk/auth';
import type { User, UserRole } from '@desk/contracts';
import { InProcessEventBus } from '@desk/messaging';
import { createLogger, loadConfig } from '@desk/platform';
import { EventRecorder, LogCapture, createTestDatabase, type TestDatabase } from '@desk/testing';
import request from 'supertest';
import { identityConfigSchema, type IdentityConfig } from '../config.js';
import { hashPassword } from '../passwords.js';
import { createIdentityService, type IdentityService } from '../service.js';
import { publishUserRegistered } from '../users/user-events.js';
import { insertUser, toUser } from '../users/users.repository.js';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-1';

export interface IdentityHarness {
  service: IdentityService;
  config: IdentityConfig;
  http: ReturnType<typeof request>;
  events: EventRecorder;
  logs: LogCapture;
  admin: User;
  /** An access token for `user`, signed like the service signs them (skips the login flow). */
  tokenFor(user: Pick<User, 'id' | 'role' | 'departmentId'>): Promise<string>;
  /** Inserts an account directly (with its `user.registered` event) and returns it with a token. */
  createUser(options?: { role?: UserRole; departmentId?: string | null; password?: string; email?: string; fullName?: string }): Promise<{
    user: User;
    token: string;
    password: string;
  }>;
  /** Creates a department through the admin API. */
  createDepartment(name?: string): Promise<{ id: string; name: string }>;
  close(): Promise<void>;
}

/**
 * identity-service on a database of its own, with an in-process bus and a recorder bound to
 * every identity event type, for component tests over real HTTP (supertest) and real Postgres.
 */
export async function startIdentity(env: Record<string, string> = {}): Promise<IdentityHarness> {
  const database: TestDatabase = await createTestDatabase('identity');
  const config = loadConfig(identityConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    DATABASE_URL: database.url,
    SIGNING_KEY_SECRET: randomBytes(32).toString('base64url'),
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ service: 'identity-service', level: config.LOG_LEVEL, destination: logs });
  const bus = new InProcessEventBus({ logger });
  const events = new EventRecorder('identity');
  await bus.subscribe('test-recorder', events.handlers());
  const service = await createIdentityService({ config, logger, bus });
  service.start();

  const adminRow = await service.db('users').where({ email: ADMIN_EMAIL }).first();
  const admin = toUser(adminRow);

  const tokenFor: IdentityHarness['tokenFor'] = async (user) =>
    (
      await signAccessToken(
        { id: user.id, role: user.role, departmentId: user.departmentId },
        await service.keys.signingKey(),
        { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 300 },
      )
    ).token;

  const http = request(service.app);
  const adminToken = await tokenFor(admin);

  return {
    service,
    config,
    http,
    events,
    logs,
    admin,
    tokenFor,
    async createUser({ role = 'reporter', departmentId = null, password = `pw-${randomUUID()}`, email, fullName } = {}) {
      const passwordHash = await hashPassword(password);
      const row = await service.db.transaction(async (trx) => {
        const inserted = await insertUser(trx, {
          email: email ?? `${role}-${randomUUID().slice(0, 8)}@example.com`,
          fullName: fullName ?? `Test ${role}`,
          passwordHash,
          role,
          departmentId,
        });
        await publishUserRegistered(service.outbox, trx, inserted!);
        return inserted!;
      });
      const user = toUser(row);
      return { user, token: await tokenFor(user), password };
    },
    async createDepartment(name = `Department ${randomUUID().slice(0, 8)}`) {
      const response = await request(service.app)
        .post('/departments')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ name })
        .expect(201);
      return response.body as { id: string; name: string };
    },
    async close() {
      await service.stop();
      await bus.close();
      await database.drop();
    },
  };
}
