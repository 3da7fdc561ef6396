import { randomUUID } from 'node:crypto';
import { buildEvent, type EventData, type EventEnvelope, type EventType, type IncidentSnapshot, type UserRole, type UserSnapshot } from '@desk/contracts';
import { InProcessEventBus, type EventBus } from '@desk/messaging';
import { createLogger, loadConfig } from '@desk/platform';
import { IdentityStandIn, LogCapture, SmtpSink, createTestDatabase, waitFor, type TestDatabase } from '@desk/testing';
import request from 'supertest';
import { notificationConfigSchema, type NotificationConfig } from '../config.js';
import { replica } from '../replica.js';
import { createNotificationService, type NotificationService } from '../service.js';

export interface TestUser {
  user: UserSnapshot;
  token: string;
}

type IncidentEventType = Extract<EventType, `incident.${string}`>;

export interface NotificationHarness {
  service: NotificationService;
  config: NotificationConfig;
  http: ReturnType<typeof request>;
  smtp: SmtpSink;
  bus: EventBus;
  logs: LogCapture;
  admin: TestUser;
  department: string;
  /** A user, announced by a `user.registered` event and waited for in the replica. */
  createUser(role: UserRole, departmentId?: string | null, overrides?: Partial<UserSnapshot>): Promise<TestUser>;
  /** Publishes an identity event about a user (deactivation, say) and waits until it is applied. */
  changeUser(user: UserSnapshot, changes: Partial<UserSnapshot>): Promise<UserSnapshot>;
  tokenFor(subject: { id: string; role: UserRole | 'service'; departmentId?: string | null; scopes?: string[] }, options?: { ttlSeconds?: number }): Promise<string>;
  /** An incident snapshot as incident-service would publish it. */
  incident(reporter: UserSnapshot, overrides?: Partial<IncidentSnapshot>): IncidentSnapshot;
  /** Publishes an incident event as incident-service's outbox would (`time`: when it happened); resolves once the bus took it. */
  publish<T extends IncidentEventType>(type: T, data: EventData<T>, options?: { id?: string; time?: Date }): Promise<EventEnvelope<T>>;
  /** Waits until the consumer has handled the event (it is in the inbox). */
  handled(eventId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * notification-service on a database of its own, an in-process bus and a real SMTP server in
 * this process. identity- and incident-service are played by the harness: it signs tokens with
 * a key of its own and publishes their events.
 */
export async function startNotifications(env: Record<string, string> = {}, options: { bus?: EventBus } = {}): Promise<NotificationHarness> {
  const database: TestDatabase = await createTestDatabase('notification');
  const smtp = await new SmtpSink().start();
  const config = loadConfig(notificationConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Service Desk <desk@desk.test>',
    PUBLIC_APP_URL: 'https://desk.example.com',
    MAIL_RETRY_DELAY: '100ms',
    MAIL_RETRY_MAX_DELAY: '1s',
    MAIL_POLL_INTERVAL: '200ms',
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ service: 'notification-service', level: config.LOG_LEVEL, destination: logs });

  const identity = await IdentityStandIn.create({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });

  const bus = options.bus ?? new InProcessEventBus({ logger, policy: { maxAttempts: 3, retryDelayMs: () => 20 } });
  const service = await createNotificationService({ config, logger, bus, verificationKeys: identity.jwks, syncReplicas: false });
  await service.start();
  const http = request(service.app);

  const tokenFor: NotificationHarness['tokenFor'] = (subject, options) => identity.tokenFor(subject, options);

  const publishUser = async (user: UserSnapshot, kind: 'registered' | 'changed') => {
    await bus.publish(identity.userEvent(user, kind));
    await waitFor(`user ${user.id} in the replica`, () => replica.holdsUser(service.db, user));
  };

  const createUser: NotificationHarness['createUser'] = async (role, departmentId = null, overrides = {}) => {
    const user = identity.newUser(role, departmentId, overrides);
    await publishUser(user, 'registered');
    return { user, token: await tokenFor({ id: user.id, role, departmentId }) };
  };

  // Keys unique within the harness (incident-service takes them from a sequence).
  let number = 100_000 + Math.floor(Math.random() * 800_000);
  const harness: NotificationHarness = {
    service,
    config,
    http,
    smtp,
    bus,
    logs,
    admin: await createUser('admin'),
    department: randomUUID(),
    createUser,
    tokenFor,
    async changeUser(user, changes) {
      const changed = identity.changed(user, changes);
      await publishUser(changed, 'changed');
      return changed;
    },
    incident(reporter, overrides = {}) {
      number += 1;
      const now = new Date().toISOString();
      return {
        id: randomUUID(),
        key: `INC-${String(number).padStart(6, '0')}`,
        title: 'Printer on floor 3 jams',
        status: 'OPEN',
        priority: 'MEDIUM',
        reporterId: reporter.id,
        departmentId: harness.department,
        categoryId: randomUUID(),
        assigneeId: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
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
        ...overrides,
      };
    },
    async publish(type, data, { id, time } = {}) {
      const incidentId = (data as { incident: IncidentSnapshot }).incident.id;
      const event = buildEvent(type, { source: '/incident-service', subject: incidentId, data, ...(id ? { id } : {}), ...(time ? { time } : {}) });
      await bus.publish(event);
      return event;
    },
    async handled(eventId) {
      await waitFor(`event ${eventId} handled`, async () => (await service.db('inbox').where({ event_id: eventId }).first()) !== undefined);
    },
    async close() {
      await service.stop();
      if (!options.bus) await bus.close();
      await smtp.stop();
      await database.drop();
    },
  };
  return harness;
}
