import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEvent, type EventData, type EventEnvelope, type EventType, type IncidentSnapshot, type UserRole, type UserSnapshot } from '@desk/contracts';
import { InProcessEventBus, type EventBus } from '@desk/messaging';
import { createLogger, loadConfig } from '@desk/platform';
import { IdentityStandIn, LogCapture, createTestDatabase, waitFor, type TestDatabase } from '@desk/testing';
import request from 'supertest';
import { analyticsConfigSchema, type AnalyticsConfig } from '../config.js';
import { createAnalyticsService, type AnalyticsService } from '../service.js';

export interface TestUser {
  user: UserSnapshot;
  token: string;
}

type IncidentEventType = Extract<EventType, `incident.${string}`>;

export interface AnalyticsHarness {
  service: AnalyticsService;
  config: AnalyticsConfig;
  http: ReturnType<typeof request>;
  bus: EventBus;
  logs: LogCapture;
  admin: TestUser;
  /** A department, announced by a `department.created` event and waited for. */
  createDepartment(name: string): Promise<string>;
  /** A user, announced by a `user.registered` event and waited for in the replica. */
  createUser(role: UserRole, departmentId?: string | null, overrides?: Partial<UserSnapshot>): Promise<TestUser>;
  /** Publishes `user.deactivated` or `user.updated` and waits until it is applied. */
  changeUser(user: UserSnapshot, changes: Partial<UserSnapshot>): Promise<UserSnapshot>;
  tokenFor(subject: { id: string; role: UserRole | 'service'; departmentId?: string | null; scopes?: string[] }): Promise<string>;
  /** Builds an incident event as incident-service's outbox would (not published yet). */
  event<T extends IncidentEventType>(type: T, data: EventData<T>): EventEnvelope<T>;
  /** Publishes events; resolves once the bus took them (not once they were handled). */
  publish(...events: EventEnvelope[]): Promise<void>;
  /** Waits until the consumer has handled the events (they are in the inbox). */
  handled(...events: EventEnvelope[]): Promise<void>;
  /**
   * incident-service's `/internal/incidents`, played by the harness: the newest snapshot of every
   * incident it published an event about (what incident-service holds).
   */
  readonly listed: Map<string, IncidentSnapshot>;
  close(): Promise<void>;
}

/** An incident snapshot with everything not given empty. */
export function snapshot(fields: Pick<IncidentSnapshot, 'departmentId' | 'categoryId' | 'reporterId' | 'createdAt'> & Partial<IncidentSnapshot>): IncidentSnapshot {
  return {
    id: randomUUID(),
    key: `INC-${String(100_000 + Math.floor(Math.random() * 899_999))}`,
    title: 'Printer on floor 3 jams',
    status: 'OPEN',
    priority: 'MEDIUM',
    assigneeId: null,
    version: 1,
    updatedAt: fields.createdAt,
    respondedAt: null,
    resolvedAt: null,
    closedAt: null,
    responseDueAt: null,
    resolutionDueAt: null,
    responseBreachedAt: null,
    resolutionBreachedAt: null,
    slaBreached: false,
    reopenCount: 0,
    reopenedAt: null,
    ...fields,
  };
}

/** Plays incident-service's internal listing: pages of `{ items, nextCursor }`. */
async function startListing(listed: Map<string, IncidentSnapshot>): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/internal/incidents') {
      res.writeHead(404).end();
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const all = [...listed.values()].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const items = all.slice(offset, offset + limit);
    const nextCursor = offset + limit < all.length ? String(offset + limit) : null;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ items, nextCursor }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * analytics-service on a database of its own with an in-process bus. identity- and
 * incident-service are played by the harness: it signs tokens with a key of its own, publishes
 * their events, and answers incident-service's internal listing for rebuilds.
 */
export async function startAnalytics(env: Record<string, string> = {}): Promise<AnalyticsHarness> {
  const database: TestDatabase = await createTestDatabase('analytics');
  const listed = new Map<string, IncidentSnapshot>();
  const listing = await startListing(listed);
  const config = loadConfig(analyticsConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    DATABASE_URL: database.url,
    INCIDENT_URL: `http://127.0.0.1:${(listing.address() as AddressInfo).port}`,
    FACTS_REFRESH_INTERVAL: '200ms',
    // Every query reads what committed just before it: tests look right after the events are handled.
    FACTS_MAX_STALENESS: '0',
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ service: 'analytics-service', level: config.LOG_LEVEL, destination: logs });

  const identity = await IdentityStandIn.create({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });

  const bus = new InProcessEventBus({ logger, policy: { maxAttempts: 3, retryDelayMs: () => 20 } });
  const service = await createAnalyticsService({ config, logger, bus, verificationKeys: identity.jwks, syncReplicas: false });
  await service.start();
  const http = request(service.app);

  const tokenFor: AnalyticsHarness['tokenFor'] = (subject) => identity.tokenFor(subject);

  const inInbox = async (eventId: string) => (await service.db('inbox').where({ event_id: eventId }).first()) !== undefined;
  const publishUser = async (user: UserSnapshot, kind: 'registered' | 'changed') => {
    const event = identity.userEvent(user, kind);
    await bus.publish(event);
    await waitFor(`user ${user.id} in the replica`, () => inInbox(event.id));
  };

  const createUser: AnalyticsHarness['createUser'] = async (role, departmentId = null, overrides = {}) => {
    const user = identity.newUser(role, departmentId, overrides);
    await publishUser(user, 'registered');
    return { user, token: await tokenFor({ id: user.id, role, departmentId }) };
  };

  const harness: AnalyticsHarness = {
    service,
    config,
    http,
    bus,
    logs,
    admin: await createUser('admin'),
    listed,
    createUser,
    tokenFor,
    async createDepartment(name) {
      const event = identity.departmentEvent(name);
      await bus.publish(event);
      await waitFor(`department ${name} in the replica`, () => inInbox(event.id));
      return event.data.department.id;
    },
    async changeUser(user, changes) {
      const changed = identity.changed(user, changes);
      await publishUser(changed, 'changed');
      return changed;
    },
    event(type, data) {
      const incident = (data as { incident: IncidentSnapshot }).incident;
      const held = listed.get(incident.id);
      if (!held || held.version < incident.version || (held.version === incident.version && held.updatedAt < incident.updatedAt)) listed.set(incident.id, incident);
      return buildEvent(type, { source: '/incident-service', subject: incident.id, data });
    },
    async publish(...events) {
      for (const event of events) await bus.publish(event);
    },
    async handled(...events) {
      const ids = events.map((event) => event.id);
      await waitFor(`${ids.length} event(s) handled`, async () => {
        const rows = await service.db('inbox').whereIn('event_id', ids).count<{ count: string }[]>({ count: '*' });
        return Number(rows[0]!.count) === new Set(ids).size;
      });
    },
    async close() {
      await service.stop();
      await bus.close();
      await new Promise((resolve) => listing.close(resolve));
      await database.drop();
    },
  };
  return harness;
}
