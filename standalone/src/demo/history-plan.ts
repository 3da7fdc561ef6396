import type { IncidentPriority, IncidentStatus } from '@desk/contracts';
import { seededRandom } from '@desk/platform';
import { VARIANTS, type DemoDepartment } from './organisation.js';

/** The people of one department as the plan names them (user ids). */
export interface PlanDepartment {
  content: DemoDepartment;
  manager: string;
  staff: readonly string[];
  /** Who reports its incidents, most often first. */
  reporters: readonly string[];
}

export interface PlanInput {
  departments: readonly PlanDepartment[];
  /** SLA targets per priority, as incident-service holds them. */
  policies: Record<IncidentPriority, { responseMinutes: number; resolutionMinutes: number }>;
  autoCloseDays: number;
  /** The history fills the days before this instant's day, and nothing happens from `until` on. */
  now: Date;
  until: Date;
  weeks: number;
  seed: number;
}

/** One change of the history; `incident` numbers the incident within the plan. */
export type Step = { at: number; order: number } & (
  | { kind: 'create'; incident: number; department: number; reporter: string; title: string; description: string; category: number; priority: IncidentPriority }
  | { kind: 'assign'; incident: number; actor: string; assignee: string }
  | { kind: 'status'; incident: number; actor: string; status: IncidentStatus; reason?: string }
  | { kind: 'comment'; incident: number; actor: string; content: string; internal: boolean }
  /** A round of the SLA jobs: breaches come due, resolved incidents close on their own. */
  | { kind: 'sla' }
);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PRIORITY_WEIGHTS: [IncidentPriority, number][] = [
  ['LOW', 0.25],
  ['MEDIUM', 0.45],
  ['HIGH', 0.22],
  ['CRITICAL', 0.08],
];
/** Incidents a department gets on an ordinary weekday (before the day's own variation). */
const DAILY_VOLUME = [4, 3, 2];


/**
 * Eight weeks (by default) of a desk's life, planned before anything is written: per department
 * a few incidents each working day, fewer at weekends; priorities weighted towards MEDIUM; work
 * started within the response target mostly and resolved within the resolution target mostly,
 * with some of each late; questions, answers and internal notes; some cancelled, some put back
 * to waiting, some re-opened; resolved ones closed by their reporter or, after AUTO_CLOSE_DAYS,
 * by the platform. Every change is a step at its instant; SLA rounds are planned for the
 * instants a target comes due while its clock still runs. Nothing is planned from `until` on:
 * what would happen later is still ahead, so recent incidents are open, in progress or resolved.
 */
export function planHistory(input: PlanInput): Step[] {
  const random = seededRandom(input.seed);
  const between = (low: number, high: number) => low + (high - low) * random();
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const fill = (text: string, chosen: Map<string, string>) =>
    text.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (!chosen.has(name)) chosen.set(name, pick(VARIANTS[name] ?? [name]));
      return chosen.get(name)!;
    });
  const priorityOf = () => {
    let roll = random();
    for (const [priority, weight] of PRIORITY_WEIGHTS) {
      if ((roll -= weight) < 0) return priority;
    }
    return 'MEDIUM';
  };

  const steps: Step[] = [];
  let order = 0;
  const until = input.until.getTime();
  const today = Date.UTC(input.now.getUTCFullYear(), input.now.getUTCMonth(), input.now.getUTCDate());
  let incident = 0;
  for (let daysAgo = input.weeks * 7; daysAgo >= 1; daysAgo -= 1) {
    const day = today - daysAgo * DAY;
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    for (const [index, department] of input.departments.entries()) {
      const volume = weekend ? (index < 2 && chance(0.5) ? 1 : 0) : Math.max(1, DAILY_VOLUME[index % DAILY_VOLUME.length]! + Math.floor(between(-1, 3)) + (weekday === 1 ? 1 : 0));
      const created = Array.from({ length: volume }, () => day + (weekend ? between(9, 17) : between(7.5, 18)) * HOUR).sort((a, b) => a - b);
      for (const createdAt of created) {
        if (createdAt >= until) continue;
        const planned = planIncident(incident, index, department, createdAt);
        for (const step of planned) if (step.at < until) steps.push({ ...step, order: order++ });
        incident += 1;
      }
    }
  }
  steps.push({ kind: 'sla', at: until - 1, order });
  return steps.sort((a, b) => a.at - b.at || a.order - b.order);

  type Planned = Step extends infer S ? (S extends Step ? Omit<S, 'order'> : never) : never;

  function planIncident(number: number, departmentIndex: number, department: PlanDepartment, created: number): Planned[] {
    const { content } = department;
    const chosen = new Map<string, string>();
    const [titleText, descriptionText, category] = pick(content.history.problems);
    const reporter = chance(0.75) ? pick(department.reporters.slice(0, 2)) : pick(department.reporters);
    const priority = priorityOf();
    const policy = input.policies[priority];
    const responseDue = created + policy.responseMinutes * MINUTE;
    const resolutionDue = created + policy.resolutionMinutes * MINUTE;
    const plan: Planned[] = [
      { kind: 'create', at: created, incident: number, department: departmentIndex, reporter, title: fill(titleText, chosen), description: fill(descriptionText, chosen), category, priority },
    ];
    const staff = pick(department.staff);
    const other = department.staff.find((person) => person !== staff) ?? department.manager;
    const say = (at: number, actor: string, content: string, internal = false) => plan.push({ kind: 'comment', incident: number, actor, content: fill(content, chosen), internal, at });
    const status = (at: number, actor: string, to: IncidentStatus, reason?: string) => plan.push({ kind: 'status', incident: number, actor, status: to, at, ...(reason ? { reason } : {}) });
    /** Running intervals of each target's clock, for the SLA rounds planned at the end. */
    const responseRuns: [number, number][] = [];
    const resolutionRuns: [number, number][] = [];

    if (chance(0.05)) {
      // Cancelled while still open: it solved itself, or it was reported twice.
      const at = created + between(20 * MINUTE, 6 * HOUR);
      if (chance(0.6)) {
        say(at - 2 * MINUTE, reporter, 'Never mind, it works again since a restart.');
        status(at, reporter, 'CANCELLED', 'Solved itself');
      } else {
        status(at, department.manager, 'CANCELLED', 'Reported twice; handled in the other incident');
      }
      responseRuns.push([created, at]);
      resolutionRuns.push([created, at]);
      return withSlaRounds(plan, responseDue, responseRuns, resolutionDue, resolutionRuns);
    }

    const responseMinutes = policy.responseMinutes * (chance(0.06) ? between(1.15, 2.5) : between(0.1, 0.9));
    const respondedAt = created + Math.max(3 * MINUTE, responseMinutes * MINUTE);
    if (chance(0.55)) {
      plan.push({ kind: 'assign', incident: number, actor: department.manager, assignee: staff, at: created + (respondedAt - created) * between(0.2, 0.7) });
    }
    status(respondedAt, staff, 'IN_PROGRESS');
    responseRuns.push([created, respondedAt]);

    const resolutionMinutes = policy.resolutionMinutes * (chance(0.05) ? between(1.1, 2) : between(0.25, 0.9));
    let resolvedAt = Math.max(created + resolutionMinutes * MINUTE, respondedAt + 20 * MINUTE);
    let cursor = respondedAt;
    if (chance(0.35)) {
      const [question, answer] = pick(content.history.questions);
      const asked = cursor + between(5 * MINUTE, Math.min(2 * HOUR, (resolvedAt - cursor) / 3));
      const answered = asked + between(10 * MINUTE, 4 * HOUR);
      say(asked, staff, question);
      say(answered, reporter, answer);
      cursor = answered;
    }
    if (chance(0.05)) {
      // Put back to open while waiting for a part or a supplier, then taken up again.
      const waiting = cursor + between(10 * MINUTE, 2 * HOUR);
      const back = waiting + between(4 * HOUR, 2 * DAY);
      status(waiting, staff, 'OPEN', 'Waiting for a part from the supplier');
      status(back, staff, 'IN_PROGRESS');
      cursor = back;
    }
    if (chance(0.3)) {
      const at = cursor + between(5 * MINUTE, 90 * MINUTE);
      say(at, chance(0.7) ? staff : pick([other, department.manager]), pick(content.history.notes), true);
      cursor = at;
    }
    resolvedAt = Math.max(resolvedAt, cursor + 15 * MINUTE);
    say(resolvedAt - MINUTE, staff, pick(content.history.fixes));
    status(resolvedAt, staff, 'RESOLVED', 'Fixed and verified');
    resolutionRuns.push([created, resolvedAt]);

    if (chance(0.05)) {
      // Re-opened by the reporter: it came back. The resolution clock runs on.
      const reopened = resolvedAt + between(2 * HOUR, 2 * DAY);
      say(reopened - MINUTE, reporter, 'Sorry, it is back again since this morning.');
      status(reopened, reporter, 'IN_PROGRESS', 'It happened again');
      resolvedAt = reopened + between(2 * HOUR, DAY);
      say(resolvedAt - MINUTE, staff, 'Found the real cause this time and fixed it; thanks for your patience.');
      status(resolvedAt, staff, 'RESOLVED', 'Root cause fixed');
      resolutionRuns.push([reopened, resolvedAt]);
    }
    if (chance(0.55)) {
      status(resolvedAt + between(HOUR, 3 * DAY), reporter, 'CLOSED', 'Works for me, thanks');
    } else {
      // Nobody closes it: the platform does, AUTO_CLOSE_DAYS later.
      plan.push({ kind: 'sla', at: resolvedAt + input.autoCloseDays * DAY + between(1_000, 60_000) });
    }
    return withSlaRounds(plan, responseDue, responseRuns, resolutionDue, resolutionRuns);

    function withSlaRounds(planned: Planned[], responseDueAt: number, responseOpen: [number, number][], resolutionDueAt: number, resolutionOpen: [number, number][]): Planned[] {
      for (const [due, runs] of [
        [responseDueAt, responseOpen],
        [resolutionDueAt, resolutionOpen],
      ] as const) {
        // The first running interval that ends after the due time: the SLA job notices then.
        const late = runs.find(([, end]) => end > due);
        if (late) planned.push({ kind: 'sla', at: Math.max(due, late[0]) + between(1_000, 30_000) });
      }
      return planned;
    }
  }
}
