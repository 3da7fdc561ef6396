import type { TestContext } from 'node:test';
import { waitFor } from '@desk/testing';
import { ADMIN, ApiClient, type RunningPlatform } from './platform.js';

/**
 * What a fault case produced and what came of it, counted in the services' own databases and
 * the SMTP server: the fault suite's figures. "Lost" and "duplicated" are counted per effect:
 *
 * - every event incident-service wrote about the case's incidents must be in notification-service's
 *   inbox exactly once (the inbox's key makes twice impossible; missing is lost);
 * - analytics-service's fact of each incident must be at the incident's current version;
 * - every mail notification-service meant to send (a delivery row) must reach the SMTP server, once
 *   (a Message-ID seen twice is a duplicate);
 * - nothing may be parked by the platform's consumers.
 */
export interface Tally {
  incidents: number;
  /** Events incident-service wrote (its outbox). */
  produced: number;
  /** Of those, handled by notification-service (its inbox). */
  handled: number;
  /** Incidents whose analytics fact is at their current version. */
  factsCurrent: number;
  /** Mails notification-service meant to send, and how many the SMTP server got. */
  deliveries: number;
  mails: number;
  parked: number;
  duplicates: number;
  lost: number;
}

const PLATFORM_CONSUMERS = ['incident-service', 'notification-service', 'analytics-service'];

export async function tally(platform: RunningPlatform, incidentIds: readonly string[]): Promise<Tally> {
  const ids = [...incidentIds];
  const events = await platform.incidents.db('outbox').whereIn('subject', ids).select<{ event_id: string }[]>('event_id');
  const eventIds = events.map((event) => event.event_id);
  const handled = eventIds.length === 0 ? 0 : Number((await platform.notifications.db('inbox').where({ consumer: 'notification-service' }).whereIn('event_id', eventIds).count<{ count: string }[]>('* as count'))[0]!.count);
  const versions = new Map((await platform.incidents.db('incidents').whereIn('id', ids).select<{ id: string; version: number }[]>('id', 'version')).map((row) => [row.id, row.version]));
  const facts = await platform.analytics.db('facts').whereIn('id', ids).select<{ id: string; version: number }[]>('id', 'version');
  const factsCurrent = facts.filter((fact) => versions.get(fact.id) === fact.version).length;
  const deliveries = await platform.notifications.db('deliveries').whereIn('incident_id', ids).select<{ message_id: string; status: string }[]>('message_id', 'status');
  const wanted = new Set(deliveries.map((delivery) => delivery.message_id));
  const received = new Map<string, number>();
  for (const mail of platform.smtp.mails) if (wanted.has(mail.messageId)) received.set(mail.messageId, (received.get(mail.messageId) ?? 0) + 1);
  const duplicates = [...received.values()].reduce((sum, count) => sum + count - 1, 0);
  let parked = 0;
  for (const db of [platform.incidents.db, platform.notifications.db, platform.analytics.db]) {
    parked += Number((await db('parked_events').whereIn('subject', ids).whereIn('consumer', PLATFORM_CONSUMERS).count<{ count: string }[]>('* as count'))[0]!.count);
  }
  const lost = eventIds.length - handled + (ids.length - factsCurrent) + (wanted.size - received.size);
  return { incidents: ids.length, produced: eventIds.length, handled, factsCurrent, deliveries: wanted.size, mails: [...received.values()].reduce((a, b) => a + b, 0), parked, duplicates, lost };
}

/** Waits until every effect of the case's events is there (or the time is up), then counts. */
export async function settle(platform: RunningPlatform, incidentIds: readonly string[], timeoutMs = 60_000): Promise<Tally> {
  try {
    await waitFor(
      'every effect of the case',
      async () => {
        const now = await tally(platform, incidentIds);
        return now.lost === 0 && now.produced > 0;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } catch {
    // counted below: the assertions name what is missing
  }
  // A moment more, so that a late duplicate would be counted too.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return tally(platform, incidentIds);
}

/**
 * Prints the case's figures in the test output, as the closing note quotes them; when something
 * was lost, doubled or parked, also the services' last warnings, to tell why.
 */
export function report(t: TestContext, name: string, figures: Tally, extra: Record<string, string | number> = {}, platform?: RunningPlatform): void {
  const parts = Object.entries({ ...figures, ...extra }).map(([key, value]) => `${key} ${value}`);
  t.diagnostic(`${name}: ${parts.join(', ')}`);
  if (platform && figures.lost + figures.duplicates + figures.parked > 0) {
    for (const line of platform.logs.lines.slice(-40)) t.diagnostic(JSON.stringify(line).slice(0, 600));
  }
}

/** Files an incident as the client and returns it. */
export async function fileIncident(client: ApiClient, categoryId: string, title: string): Promise<{ id: string; key: string; version: number }> {
  const response = await client.call<{ id: string; key: string; version: number }>('POST', '/incidents', { title, description: 'Filed by the fault suite.', categoryId });
  if (response.status !== 201) throw new Error(`filing "${title}" answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** What each fault case starts from: the admin, a department with a category, and a reporter known to incident-service. */
export interface Desk {
  admin: ApiClient;
  reporter: ApiClient;
  categoryId: string;
}

export async function setUpDesk(platform: RunningPlatform, reporter: { email: string; password: string; fullName: string }): Promise<Desk> {
  const admin = new ApiClient(platform.gatewayUrl);
  await admin.signIn(ADMIN.email, ADMIN.password);
  const department = await admin.call<{ id: string }>('POST', '/departments', { name: 'Operations' });
  const categoryId = await waitFor('the department replicated', async () => {
    const response = await admin.call<{ id: string }>('POST', '/categories', { name: 'Servers', departmentId: department.body.id });
    return response.status === 201 ? response.body.id : undefined;
  });
  const client = new ApiClient(platform.gatewayUrl);
  const registered = await client.call('POST', '/auth/register', reporter);
  if (registered.status !== 202) throw new Error(`registering ${reporter.email} answered ${registered.status}`);
  await client.signIn(reporter.email, reporter.password);
  await waitFor('the reporter known to incident-service', async () => (await client.call('GET', '/incidents?limit=1')).status === 200);
  return { admin, reporter: client, categoryId };
}
