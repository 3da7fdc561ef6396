import type { EventEnvelope, NotifiableEventType, NotificationChannel, UserRole } from '@desk/contracts';

/** Whom a rule speaks to, relative to the incident. */
export type Audience =
  | 'reporter'
  | 'assignee'
  | 'previousAssignee'
  | 'departmentPeople'
  | 'departmentManagers'
  /** Who watches the incident. */
  | 'watchers'
  /** Who a comment mentions. */
  | 'mentioned'
  /** Who was just added as a watcher by someone else. */
  | 'addedWatcher'
  /** Who a major incident affects: its reporter and watchers, and those of its child incidents. */
  | 'affected';

export interface Rule {
  audience: Audience;
  channels: readonly NotificationChannel[];
}

export type NotifiableEvent = { [T in NotifiableEventType]: EventEnvelope<T> }[NotifiableEventType];

const BOTH = ['email', 'inApp'] as const;

/**
 * Who is told about an event, and how, before anyone is excluded. The one table of the
 * product's notification rules:
 *
 * | event | told |
 * |---|---|
 * | incident.created | reporter: email (the receipt); the department's staff and managers: in-app |
 * | incident.assigned | new assignee: email and in-app; reporter: in-app; a replaced assignee: in-app |
 * | incident.status_changed | reporter: email and in-app; assignee: in-app |
 * | incident.commented (public) | reporter and assignee: email and in-app |
 * | incident.commented (internal) | assignee: email and in-app; the department's staff and managers: in-app; never the reporter |
 * | incident.priority_changed | assignee: email and in-app |
 * | incident.sla_breached | assignee and the department's managers: email and in-app |
 * | incident.escalated | as the rule says: the assignee, the department's managers, or both: email and in-app |
 * | incident.attachment_added (public) | reporter and assignee: in-app |
 * | incident.attachment_added (internal) | assignee: in-app; never the reporter |
 * | watchers | as the reporter for status changes and comments (email and in-app) and files (in-app); for internal notes and files only staff, managers and admins among them |
 * | incident.commented, mentions | each person mentioned: email and in-app (an internal note mentions only people who may read it) |
 * | incident.watcher_added | the person added, when someone else added them: email and in-app |
 * | incident.major_declared | everyone it affects: email and in-app; the department's managers: in-app |
 * | incident.major_update_posted | everyone it affects: email and in-app |
 */
export function rulesFor(event: NotifiableEvent): Rule[] {
  switch (event.type) {
    case 'incident.created':
      return [
        { audience: 'reporter', channels: ['email'] },
        { audience: 'departmentPeople', channels: ['inApp'] },
      ];
    case 'incident.assigned': {
      const { assigneeId, previousAssigneeId } = event.data;
      const rules: Rule[] = [];
      if (assigneeId) rules.push({ audience: 'assignee', channels: BOTH }, { audience: 'reporter', channels: ['inApp'] });
      if (previousAssigneeId && previousAssigneeId !== assigneeId) rules.push({ audience: 'previousAssignee', channels: ['inApp'] });
      return rules;
    }
    case 'incident.status_changed':
      return [
        { audience: 'reporter', channels: BOTH },
        { audience: 'assignee', channels: ['inApp'] },
        { audience: 'watchers', channels: BOTH },
      ];
    case 'incident.commented':
      return event.data.isInternal
        ? [
            { audience: 'assignee', channels: BOTH },
            { audience: 'mentioned', channels: BOTH },
            { audience: 'watchers', channels: BOTH },
            { audience: 'departmentPeople', channels: ['inApp'] },
          ]
        : [
            { audience: 'reporter', channels: BOTH },
            { audience: 'assignee', channels: BOTH },
            { audience: 'mentioned', channels: BOTH },
            { audience: 'watchers', channels: BOTH },
          ];
    case 'incident.watcher_added':
      return [{ audience: 'addedWatcher', channels: BOTH }];
    case 'incident.major_declared':
      return [
        { audience: 'affected', channels: BOTH },
        { audience: 'departmentManagers', channels: ['inApp'] },
      ];
    case 'incident.major_update_posted':
      return [{ audience: 'affected', channels: BOTH }];
    case 'incident.priority_changed':
      return [{ audience: 'assignee', channels: BOTH }];
    case 'incident.sla_breached':
      return [
        { audience: 'assignee', channels: BOTH },
        { audience: 'departmentManagers', channels: BOTH },
      ];
    case 'incident.attachment_added':
      // A file is seen on the incident; a mail about each would be noise (the comment that
      // usually comes with it is mailed).
      return event.data.attachment.isInternal
        ? [
            { audience: 'assignee', channels: ['inApp'] },
            { audience: 'watchers', channels: ['inApp'] },
          ]
        : [
            { audience: 'reporter', channels: ['inApp'] },
            { audience: 'assignee', channels: ['inApp'] },
            { audience: 'watchers', channels: ['inApp'] },
          ];
    case 'incident.escalated':
      return [
        ...(event.data.notify.includes('assignee') ? [{ audience: 'assignee' as const, channels: BOTH }] : []),
        ...(event.data.notify.includes('manager') ? [{ audience: 'departmentManagers' as const, channels: BOTH }] : []),
      ];
  }
}

/** Who made the change: the platform itself (SLA breaches, escalations, auto-close) has no actor. */
export function actorOf(event: NotifiableEvent): string | null {
  return event.type === 'incident.sla_breached' || event.type === 'incident.escalated' ? null : event.data.actorId;
}

export interface Person {
  id: string;
  role: UserRole;
  departmentId: string | null;
  isActive: boolean;
}

export interface AudienceMembers {
  reporter?: Person | undefined;
  assignee?: Person | undefined;
  previousAssignee?: Person | undefined;
  departmentPeople?: readonly Person[];
  departmentManagers?: readonly Person[];
  watchers?: readonly Person[];
  mentioned?: readonly Person[];
  addedWatcher?: Person | undefined;
  affected?: readonly Person[];
}

export interface Recipient {
  userId: string;
  /** The closest relation to the incident, for the wording: a reporter who is also a manager reads as the reporter. */
  audience: Audience;
  channels: Set<NotificationChannel>;
}

const AUDIENCE_ORDER: Audience[] = ['reporter', 'assignee', 'mentioned', 'addedWatcher', 'previousAssignee', 'affected', 'watchers', 'departmentManagers', 'departmentPeople'];

const GROUPS: ReadonlySet<Audience> = new Set(['departmentPeople', 'departmentManagers', 'watchers', 'mentioned', 'affected']);

/**
 * The people told, each once with the union of their channels. Never the person who made the
 * change (except the reporter's receipt for the incident they filed: a receipt is its point),
 * never a deactivated account, and for an internal note never the reporter, whatever else they
 * are, nor anyone who is not an admin, or staff or a manager of the incident's department or
 * watching it.
 */
export function recipientsFor(event: NotifiableEvent, members: AudienceMembers): Recipient[] {
  const actorId = actorOf(event);
  const incident = event.data.incident;
  const internal = (event.type === 'incident.commented' && event.data.isInternal) || (event.type === 'incident.attachment_added' && event.data.attachment.isInternal);
  const byUser = new Map<string, Recipient>();
  for (const rule of rulesFor(event)) {
    const people = GROUPS.has(rule.audience)
      ? (members[rule.audience as 'departmentPeople'] ?? [])
      : [members[rule.audience as 'reporter']];
    for (const person of people) {
      if (!person || !person.isActive) continue;
      const receipt = event.type === 'incident.created' && rule.audience === 'reporter';
      if (person.id === actorId && !receipt) continue;
      if (internal) {
        if (person.id === incident.reporterId) continue;
        // The department's staff and managers, admins, and staff and managers who watch it.
        const colleague = person.role === 'staff' || person.role === 'manager';
        const insider = person.role === 'admin' || (colleague && (person.departmentId === incident.departmentId || (incident.watcherIds?.includes(person.id) ?? false)));
        if (!insider) continue;
      }
      const existing = byUser.get(person.id);
      if (existing) {
        for (const channel of rule.channels) existing.channels.add(channel);
        if (AUDIENCE_ORDER.indexOf(rule.audience) < AUDIENCE_ORDER.indexOf(existing.audience)) existing.audience = rule.audience;
      } else {
        byUser.set(person.id, { userId: person.id, audience: rule.audience, channels: new Set(rule.channels) });
      }
    }
  }
  return [...byUser.values()];
}
