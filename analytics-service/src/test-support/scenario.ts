import { randomUUID } from 'node:crypto';
import type { EventEnvelope, IncidentSnapshot } from '@desk/contracts';
import { snapshot, type AnalyticsHarness } from './harness.js';

// A scripted week and a half of a small desk, with every time known, and the figures it must
// produce, worked out by hand. Monday 2 March 2026 is day 0.

const BASE = Date.parse('2026-03-02T00:00:00Z');
export const at = (day: number, hours = 0, minutes = 0) => new Date(BASE + ((day * 24 + hours) * 60 + minutes) * 60_000).toISOString();
const fromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export interface Scenario {
  departmentA: string;
  departmentB: string;
  categories: { c1: string; c2: string; c3: string };
  staff: string;
  reporter: string;
  /** Every event, in the order incident-service would have published them. */
  events: EventEnvelope[];
  incidents: Record<'i1' | 'i2' | 'i3' | 'i4' | 'i5' | 'i6' | 'i7', string>;
}

/**
 * i1 HIGH: acknowledged after 30 min, resolved after 2 h, closed — both targets met.
 * i2 MEDIUM: response missed (recorded at 1 h), acknowledged at 1 h 30, resolution missed (8 h), resolved at 10 h.
 * i3 LOW (category 2): acknowledged at 10 min, resolved at 1 h, re-opened at 2 h, resolved again at 5 h.
 * i4 CRITICAL: response missed at 15 min (recorded), cancelled at 20 min without a response.
 * i5 HIGH in department B: open, its targets still ahead.
 * i6 MEDIUM (category 2): acknowledged at 5 min by the staff member, resolution target ahead; a comment later.
 * i7 LOW: open and long past both targets, which nobody recorded (the figures must see it anyway).
 */
export function buildScenario(h: AnalyticsHarness, ids: { departmentA: string; departmentB: string; staff: string; reporter: string }): Scenario {
  const categories = { c1: randomUUID(), c2: randomUUID(), c3: randomUUID() };
  const events: EventEnvelope[] = [];
  const base = (fields: Partial<IncidentSnapshot> & Pick<IncidentSnapshot, 'createdAt'>) =>
    snapshot({ departmentId: ids.departmentA, categoryId: categories.c1, reporterId: ids.reporter, ...fields });
  // Each change: a new version of the incident, as the event carrying it.
  const change = (incident: IncidentSnapshot, fields: Partial<IncidentSnapshot>, bump = true): IncidentSnapshot => ({
    ...incident,
    ...fields,
    version: incident.version + (bump ? 1 : 0),
    slaBreached: Boolean((fields.responseBreachedAt ?? incident.responseBreachedAt) || (fields.resolutionBreachedAt ?? incident.resolutionBreachedAt)),
  });
  const created = (incident: IncidentSnapshot) => {
    events.push(h.event('incident.created', { incident, actorId: ids.reporter }));
    return incident;
  };
  const status = (incident: IncidentSnapshot, to: IncidentSnapshot['status'], time: string, fields: Partial<IncidentSnapshot> = {}) => {
    const next = change(incident, { status: to, updatedAt: time, ...fields });
    events.push(h.event('incident.status_changed', { incident: next, actorId: ids.staff, from: incident.status, to, reason: null }));
    return next;
  };
  const breached = (incident: IncidentSnapshot, target: 'response' | 'resolution', time: string) => {
    const dueAt = target === 'response' ? incident.responseDueAt! : incident.resolutionDueAt!;
    const next = change(incident, { updatedAt: time, ...(target === 'response' ? { responseBreachedAt: time } : { resolutionBreachedAt: time }) });
    events.push(h.event('incident.sla_breached', { incident: next, target, dueAt, breachedAt: time }));
    return next;
  };

  let i1 = created(base({ priority: 'HIGH', createdAt: at(0), responseDueAt: at(0, 1), resolutionDueAt: at(0, 4) }));
  i1 = status(i1, 'IN_PROGRESS', at(0, 0, 30), { respondedAt: at(0, 0, 30), assigneeId: ids.staff });
  i1 = status(i1, 'RESOLVED', at(0, 2), { resolvedAt: at(0, 2) });
  i1 = status(i1, 'CLOSED', at(0, 3), { closedAt: at(0, 3) });

  let i2 = created(base({ priority: 'MEDIUM', createdAt: at(1), responseDueAt: at(1, 1), resolutionDueAt: at(1, 8) }));
  i2 = breached(i2, 'response', at(1, 1));
  i2 = status(i2, 'IN_PROGRESS', at(1, 1, 30), { respondedAt: at(1, 1, 30), assigneeId: ids.staff });
  i2 = breached(i2, 'resolution', at(1, 8));
  i2 = status(i2, 'RESOLVED', at(1, 10), { resolvedAt: at(1, 10) });

  let i3 = created(base({ priority: 'LOW', categoryId: categories.c2, createdAt: at(1, 1), responseDueAt: at(1, 5), resolutionDueAt: at(2, 1) }));
  i3 = status(i3, 'IN_PROGRESS', at(1, 1, 10), { respondedAt: at(1, 1, 10), assigneeId: ids.staff });
  i3 = status(i3, 'RESOLVED', at(1, 2), { resolvedAt: at(1, 2) });
  i3 = status(i3, 'IN_PROGRESS', at(1, 3), { resolvedAt: null, reopenCount: 1, reopenedAt: at(1, 3) });
  i3 = status(i3, 'RESOLVED', at(1, 6), { resolvedAt: at(1, 6) });

  let i4 = created(base({ priority: 'CRITICAL', createdAt: at(3), responseDueAt: at(3, 0, 15), resolutionDueAt: at(3, 4) }));
  i4 = breached(i4, 'response', at(3, 0, 15));
  i4 = status(i4, 'CANCELLED', at(3, 0, 20), { closedAt: at(3, 0, 20) });

  const i5 = created(
    base({ priority: 'HIGH', departmentId: ids.departmentB, categoryId: categories.c3, createdAt: at(8), responseDueAt: fromNow(1), resolutionDueAt: fromNow(2) }),
  );

  let i6 = created(base({ priority: 'MEDIUM', categoryId: categories.c2, createdAt: at(9), responseDueAt: at(9, 1), resolutionDueAt: fromNow(1) }));
  i6 = status(i6, 'IN_PROGRESS', at(9, 0, 5), { respondedAt: at(9, 0, 5), assigneeId: ids.staff });
  // A comment moves updatedAt but not the version.
  const commented = change(i6, { updatedAt: at(9, 2) }, false);
  events.push(
    h.event('incident.commented', { incident: commented, actorId: ids.staff, commentId: randomUUID(), isInternal: false, content: 'On it', createdAt: at(9, 2) }),
  );

  const i7 = created(base({ priority: 'LOW', createdAt: at(2), responseDueAt: at(2, 1), resolutionDueAt: at(2, 8) }));

  return {
    ...ids,
    categories,
    events,
    incidents: { i1: i1.id, i2: i2.id, i3: i3.id, i4: i4.id, i5: i5.id, i6: i6.id, i7: i7.id },
  };
}
