import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Incident, UserRole, UserSnapshot } from '@desk/contracts';
import { InProcessEventBus } from '@desk/messaging';
import { createLogger, loadConfig } from '@desk/platform';
import { EventRecorder, IdentityStandIn, LogCapture, createTestDatabase, waitFor, type TestDatabase } from '@desk/testing';
import request from 'supertest';
import { incidentConfigSchema, type IncidentConfig } from '../config.js';
import { replica } from '../replica.js';
import { createIncidentService, type IncidentService } from '../service.js';

export interface TestUser {
  user: UserSnapshot;
  token: string;
}

export interface IncidentHarness {
  service: IncidentService;
  config: IncidentConfig;
  http: ReturnType<typeof request>;
  events: EventRecorder;
  logs: LogCapture;
  admin: TestUser;
  /** A department, made the way identity-service makes one: by its event, into the replica. */
  createDepartment(name?: string): Promise<string>;
  /** A user, announced by a `user.registered` event and waited for in the replica. */
  createUser(role: UserRole, departmentId?: string | null): Promise<TestUser>;
  /** Publishes an identity event about a user (role change, deactivation) and waits until it is applied. */
  changeUser(user: UserSnapshot, changes: Partial<UserSnapshot>): Promise<TestUser>;
  createCategory(departmentId: string, name?: string): Promise<string>;
  /**
   * A second instance of the service on the same database (a replica): it answers HTTP with a
   * pool of its own; the first instance relays the outbox both write. Closed with the harness.
   */
  startReplica(): Promise<ReturnType<typeof request>>;
  /** A token like identity-service signs them. */
  tokenFor(subject: { id: string; role: UserRole | 'service'; departmentId?: string | null; scopes?: string[] }): Promise<string>;
  /** An incident filed through the API by `reporter`; returns its JSON. */
  fileIncident(reporter: TestUser, categoryId: string, overrides?: Record<string, unknown>): Promise<Incident>;
  close(): Promise<void>;
}

/**
 * incident-service on a database of its own with an in-process bus. identity-service is
 * played by this harness: it signs tokens with a key of its own and publishes identity events
 * that the service's replica consumer applies, as in production.
 */
export async function startIncidents(env: Record<string, string> = {}): Promise<IncidentHarness> {
  const database: TestDatabase = await createTestDatabase('incident');
  const attachmentDir = mkdtempSync(path.join(tmpdir(), 'desk-attachments-'));
  const config = loadConfig(incidentConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    DATABASE_URL: database.url,
    // Tests run the SLA jobs themselves, when they want them.
    SLA_CHECK_INTERVAL: '1h',
    ATTACHMENT_DIR: attachmentDir,
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ service: 'incident-service', level: config.LOG_LEVEL, destination: logs });

  const identity = await IdentityStandIn.create({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });

  const bus = new InProcessEventBus({ logger, policy: { maxAttempts: 3, retryDelayMs: () => 20 } });
  const events = new EventRecorder('incident');
  await bus.subscribe('test-recorder', events.handlers());
  const service = await createIncidentService({ config, logger, bus, verificationKeys: identity.jwks, syncReplicas: false });
  await service.start();
  const http = request(service.app);
  const replicas: { service: Awaited<ReturnType<typeof createIncidentService>>; bus: InProcessEventBus }[] = [];

  const tokenFor: IncidentHarness['tokenFor'] = (subject) => identity.tokenFor(subject);

  const publishUser = async (user: UserSnapshot, kind: 'registered' | 'changed') => {
    await bus.publish(identity.userEvent(user, kind));
    await waitFor(`user ${user.id} in the replica`, () => replica.holdsUser(service.db, user));
  };

  const createUser: IncidentHarness['createUser'] = async (role, departmentId = null) => {
    const user = identity.newUser(role, departmentId);
    await publishUser(user, 'registered');
    return { user, token: await tokenFor({ id: user.id, role, departmentId }) };
  };

  const admin = await createUser('admin');

  return {
    service,
    config,
    http,
    events,
    logs,
    admin,
    tokenFor,
    createUser,
    async changeUser(user, changes) {
      const changed = identity.changed(user, changes);
      await publishUser(changed, 'changed');
      return { user: changed, token: await tokenFor({ id: changed.id, role: changed.role, departmentId: changed.departmentId }) };
    },
    async createDepartment(name = `Department ${randomUUID().slice(0, 8)}`) {
      const event = identity.departmentEvent(name);
      await bus.publish(event);
      const id = event.data.department.id;
      await waitFor(`department ${id} in the replica`, async () => (await service.db('departments').where({ id }).first()) !== undefined);
      return id;
    },
    async createCategory(departmentId, name = `Category ${randomUUID().slice(0, 8)}`) {
      const response = await http.post('/categories').set('Authorization', `Bearer ${admin.token}`).send({ name, departmentId }).expect(201);
      return (response.body as { id: string }).id;
    },
    async fileIncident(reporter, categoryId, overrides = {}) {
      const response = await http
        .post('/incidents')
        .set('Authorization', `Bearer ${reporter.token}`)
        .send({ title: 'Printer on floor 3 jams', description: 'Every second page jams since Monday.', categoryId, ...overrides })
        .expect(201);
      return response.body as Incident;
    },
    async startReplica() {
      const replicaBus = new InProcessEventBus({ logger, policy: { maxAttempts: 3, retryDelayMs: () => 20 } });
      const second = await createIncidentService({ config, logger, bus: replicaBus, verificationKeys: identity.jwks, syncReplicas: false });
      replicas.push({ service: second, bus: replicaBus });
      return request(second.app);
    },
    async close() {
      for (const replica of replicas) {
        await replica.service.stop();
        await replica.bus.close();
      }
      await service.stop();
      await bus.close();
      await database.drop();
      rmSync(attachmentDir, { recursive: true, force: true });
    },
  };
}
