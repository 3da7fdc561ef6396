import { type EscalationRule, INCIDENT_PRIORITIES, type IncidentPriority, type SlaTarget } from '@desk/contracts';
import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import { incidentCalendar } from '../calendars/calendars.repository.js';
import { findCategory } from '../catalog/categories.repository.js';
import { rowStamp, type Clock } from '../clock.js';
import { INCIDENT_COLUMNS, toIncidentSnapshot, updateIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { decideAssignee, lockDepartmentRouting } from '../routing/routing.js';
import { findSlaPolicy } from '../sla/sla-policies.repository.js';
import { retarget, type SlaTargets } from '../sla/sla.js';
import { addWorkingMinutes, type WorkingCalendar } from '../sla/working-time.js';
import { appendTimeline } from '../timeline/timeline.repository.js';

type Db = Knex | Knex.Transaction;

export interface EscalationRuleRow {
  id: string;
  name: string;
  priority: IncidentPriority;
  target: SlaTarget;
  threshold_percent: number;
  notify_assignee: boolean;
  notify_manager: boolean;
  raise_priority: boolean;
  reassign: 'none' | 'manager' | 'routing';
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toEscalationRule(row: EscalationRuleRow): EscalationRule {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    target: row.target,
    thresholdPercent: row.threshold_percent,
    notify: { assignee: row.notify_assignee, manager: row.notify_manager },
    raisePriority: row.raise_priority,
    reassign: row.reassign,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function activeRules(db: Db, priority: IncidentPriority): Promise<EscalationRuleRow[]> {
  return db('escalation_rules').select<EscalationRuleRow[]>('*').where({ priority, is_active: true }).orderBy('threshold_percent').orderBy('id');
}

/** Whether a target's clock still runs (as sla.ts counts it): only then can a rule before the breach fire. */
function runs(row: IncidentRow, target: SlaTarget): boolean {
  if (target === 'response') return row.responded_at === null && row.response_breached_at === null && row.status === 'OPEN';
  return row.resolved_at === null && row.resolution_breached_at === null && row.waiting_since === null && (row.status === 'OPEN' || row.status === 'IN_PROGRESS');
}

/**
 * The instant at which `rule`'s share of the target's working time has passed, on the incident's
 * clock (checkpoint and minutes used there); null when the target no longer runs or the rule fires
 * at the breach (the breach job fires those).
 */
export function thresholdAt(row: IncidentRow, rule: Pick<EscalationRuleRow, 'target' | 'threshold_percent'>, calendar: WorkingCalendar, targets: SlaTargets): Date | null {
  if (rule.threshold_percent >= 100 || !runs(row, rule.target)) return null;
  const total = rule.target === 'response' ? targets.responseMinutes : targets.resolutionMinutes;
  const used = rule.target === 'response' ? row.response_elapsed_minutes : row.resolution_elapsed_minutes;
  const at = (total * rule.threshold_percent) / 100;
  const from = row.sla_checkpoint_at ?? row.created_at;
  return at > used ? addWorkingMinutes(calendar, from, at - used) : from;
}

/** When the escalation job should next look at the incident: the earliest threshold of a rule that has not fired. */
export function nextCheck(row: IncidentRow, rules: readonly EscalationRuleRow[], fired: ReadonlySet<string>, calendar: WorkingCalendar, targets: SlaTargets): Date | null {
  let next: Date | null = null;
  for (const rule of rules) {
    if (fired.has(rule.id)) continue;
    const at = thresholdAt(row, rule, calendar, targets);
    if (at && (!next || at < next)) next = at;
  }
  return next;
}

/** Sets when the job looks at the incident next, without changing the incident (no new version). */
export async function scheduleEscalations(trx: Knex.Transaction, row: IncidentRow): Promise<void> {
  const rules = await activeRules(trx, row.priority);
  const fired = rules.length === 0 ? new Set<string>() : await firedRules(trx, row.id);
  const next = rules.length === 0 ? null : nextCheck(row, rules, fired, await incidentCalendar(trx, row), await findSlaPolicy(trx, row.priority));
  if ((next?.getTime() ?? null) !== (row.escalation_check_at?.getTime() ?? null)) {
    await trx('incidents').where({ id: row.id }).update({ escalation_check_at: next });
  }
}

async function firedRules(db: Db, incidentId: string): Promise<Set<string>> {
  const rows = await db('escalation_firings').select<{ rule_id: string }[]>('rule_id').where({ incident_id: incidentId });
  return new Set(rows.map((row) => row.rule_id));
}

function raised(priority: IncidentPriority): IncidentPriority | null {
  const index = INCIDENT_PRIORITIES.indexOf(priority);
  return index < INCIDENT_PRIORITIES.length - 1 ? INCIDENT_PRIORITIES[index + 1]! : null;
}

/**
 * Fires `rule` on the incident (locked by the caller's transaction), once: the firing row is the
 * proof, inserted first, so a second attempt by another replica or after a restart does nothing.
 * Returns the incident as it is afterwards.
 */
export async function fire(trx: Knex.Transaction, outbox: Outbox, clock: Clock, row: IncidentRow, rule: EscalationRuleRow): Promise<IncidentRow> {
  const claimed = await trx('escalation_firings').insert({ incident_id: row.id, rule_id: rule.id, fired_at: clock.now() }).onConflict(['incident_id', 'rule_id']).ignore().returning('rule_id');
  if (claimed.length === 0) return row;
  const stamp = rowStamp(clock);
  const now = clock.now();
  const atBreach = rule.threshold_percent >= 100;
  let current = row;
  let raisedPriority: IncidentPriority | null = null;
  let reassignedTo: string | null = null;
  const byRule = { rule: 'escalation', ruleId: rule.id, ruleName: rule.name };

  if (atBreach && rule.raise_priority) {
    raisedPriority = raised(current.priority);
    if (raisedPriority) {
      const calendar = await incidentCalendar(trx, current);
      const updated = await updateIncident(trx, current.id, { priority: raisedPriority, ...retarget(current, calendar, await findSlaPolicy(trx, raisedPriority)) }, stamp);
      await appendTimeline(trx, { incidentId: current.id, action: 'priority_changed', actorId: null, oldValue: current.priority, newValue: { priority: raisedPriority, ...byRule }, at: stamp });
      await outbox.add(trx, 'incident.priority_changed', { subject: current.id, time: now, data: { incident: toIncidentSnapshot(updated), actorId: null, from: current.priority, to: raisedPriority } });
      current = updated;
    }
  }
  if (atBreach && rule.reassign !== 'none') {
    let assignee: string | null = null;
    if (rule.reassign === 'manager') {
      const manager = await trx('users')
        .select('id')
        .where({ department_id: current.department_id, role: 'manager', is_active: true })
        .whereNot('id', current.assignee_id ?? '00000000-0000-0000-0000-000000000000')
        .orderBy('id')
        .first<{ id: string } | undefined>();
      assignee = manager?.id ?? null;
    } else {
      await lockDepartmentRouting(trx, current.department_id);
      const category = await findCategory(trx, current.category_id);
      if (category) assignee = (await decideAssignee(trx, { ...category, assignment: category.assignment === 'none' ? 'least_loaded' : category.assignment }, current.assignee_id ? [current.assignee_id] : [])).assigneeId;
    }
    if (assignee && assignee !== current.assignee_id) {
      const updated = await updateIncident(trx, current.id, { assignee_id: assignee }, stamp);
      await appendTimeline(trx, { incidentId: current.id, action: 'assigned', actorId: null, oldValue: current.assignee_id, newValue: { assigneeId: assignee, ...byRule }, at: stamp });
      await outbox.add(trx, 'incident.assigned', {
        subject: current.id,
        time: now,
        data: { incident: toIncidentSnapshot(updated), actorId: null, previousAssigneeId: current.assignee_id, assigneeId: assignee },
      });
      reassignedTo = assignee;
      current = updated;
    }
  }

  const notify = [...(rule.notify_assignee ? (['assignee'] as const) : []), ...(rule.notify_manager ? (['manager'] as const) : [])];
  const due = rule.target === 'response' ? row.response_due_at : row.resolution_due_at;
  await appendTimeline(trx, {
    incidentId: current.id,
    action: 'escalated',
    actorId: null,
    newValue: { ruleId: rule.id, ruleName: rule.name, target: rule.target, thresholdPercent: rule.threshold_percent, notify, raisedPriority, reassignedTo },
    at: stamp,
  });
  await outbox.add(trx, 'incident.escalated', {
    subject: current.id,
    time: now,
    data: {
      incident: toIncidentSnapshot(current),
      rule: { id: rule.id, name: rule.name, target: rule.target, thresholdPercent: rule.threshold_percent },
      notify: [...notify],
      dueAt: due?.toISOString() ?? null,
      raisedPriority,
      reassignedTo,
    },
  });
  return current;
}

/** The rules that fire at the breach of `target`, fired on an incident the breach job just marked. */
export async function fireAtBreach(trx: Knex.Transaction, outbox: Outbox, clock: Clock, row: IncidentRow, target: SlaTarget): Promise<void> {
  let current = row;
  for (const rule of await activeRules(trx, row.priority)) {
    if (rule.threshold_percent >= 100 && rule.target === target) current = await fire(trx, outbox, clock, current, rule);
  }
}

export const ESCALATION_BATCH = 200;

/**
 * One batch of the escalation job: incidents whose next check is due are claimed (SKIP LOCKED:
 * replicas share the work), every rule whose threshold has passed fires, and the next check is
 * set from the rules left.
 */
export async function fireDueEscalations(db: Knex, outbox: Outbox, clock: Clock): Promise<{ claimed: number; fired: number }> {
  return db.transaction(async (trx) => {
    const now = clock.now();
    const rows = await trx('incidents')
      .select<IncidentRow[]>(INCIDENT_COLUMNS)
      .where('escalation_check_at', '<=', clock.fixed ? now : trx.fn.now())
      .orderBy('escalation_check_at')
      .limit(ESCALATION_BATCH)
      .forUpdate()
      .skipLocked();
    let fired = 0;
    // Rules and targets per priority, read once per batch rather than once per incident.
    const rulesOf = new Map<IncidentPriority, Promise<EscalationRuleRow[]>>();
    const targetsOf = new Map<IncidentPriority, Promise<SlaTargets>>();
    const cached = <T>(map: Map<IncidentPriority, Promise<T>>, priority: IncidentPriority, load: () => Promise<T>): Promise<T> => {
      if (!map.has(priority)) map.set(priority, load());
      return map.get(priority)!;
    };
    for (const row of rows) {
      const rules = await cached(rulesOf, row.priority, () => activeRules(trx, row.priority));
      const done = await firedRules(trx, row.id);
      const calendar = await incidentCalendar(trx, row);
      const targets = await cached(targetsOf, row.priority, () => findSlaPolicy(trx, row.priority));
      let current = row;
      for (const rule of rules) {
        if (done.has(rule.id)) continue;
        const at = thresholdAt(row, rule, calendar, targets);
        if (at && at <= now) {
          current = await fire(trx, outbox, clock, current, rule);
          done.add(rule.id);
          fired += 1;
        }
      }
      const next = nextCheck(
        current,
        await cached(rulesOf, current.priority, () => activeRules(trx, current.priority)),
        done,
        await incidentCalendar(trx, current),
        await cached(targetsOf, current.priority, () => findSlaPolicy(trx, current.priority)),
      );
      await trx('incidents').where({ id: row.id }).update({ escalation_check_at: next && next > now ? next : null });
    }
    return { claimed: rows.length, fired };
  });
}
