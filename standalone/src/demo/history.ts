import type { Caller } from '@desk/auth';
import type { IncidentPriority } from '@desk/contracts';
import { replayHistory, type ChangesAt, type IncidentService } from '@desk/incident-service';
import { planHistory, type PlanDepartment, type Step } from './history-plan.js';

/** Changes committed together (history.transaction): one commit per chunk, not per change. */
const CHUNK = 250;

export interface HistoryDepartment extends PlanDepartment {
  /** Category ids, in the order of the content's categories. */
  categories: readonly string[];
}

export interface HistoryOptions {
  incidents: IncidentService;
  departments: readonly HistoryDepartment[];
  /** Every person the plan names, by user id, as a signed-in access token. */
  tokens: ReadonlyMap<string, string>;
  policies: Record<IncidentPriority, { responseMinutes: number; resolutionMinutes: number }>;
  now: Date;
  /** Nothing happens from here on (before the demo's accounts exist: notification-handlers.ts). */
  until: Date;
  weeks: number;
  seed: number;
  progress: (message: string) => void;
}

export interface HistoryFigures {
  incidents: number;
  changes: number;
  slaRounds: number;
  breaches: number;
  autoClosed: number;
  seconds: number;
  /** CPU time this process spent meanwhile (all services share it), in seconds. */
  cpuSeconds: number;
}

/**
 * Writes the planned history (history-plan.ts) through incident-service's own use cases, each
 * change at its instant (replayHistory): timeline, SLA due times and breaches, and the events
 * that feed notification-service's and analytics-service's replicas are the ones real use makes.
 */
export async function seedHistory(options: HistoryOptions): Promise<HistoryFigures> {
  const started = Date.now();
  const cpu = process.cpuUsage();
  const steps = planHistory({
    departments: options.departments,
    policies: options.policies,
    autoCloseDays: options.incidents.deps.config.AUTO_CLOSE_DAYS,
    now: options.now,
    until: options.until,
    weeks: options.weeks,
    seed: options.seed,
  });
  const figures = { incidents: 0, changes: 0, slaRounds: 0, breaches: 0, autoClosed: 0 };
  await replayHistory(options.incidents, async (history) => {
    const callers = new Map<string, Caller>();
    for (const [id, token] of options.tokens) callers.set(id, await history.callerOf(token));
    const callerOf = (id: string) => callers.get(id) ?? fail(`no signed-in caller for user ${id}`);
    const incidentIds: string[] = [];
    const idOf = (number: number) => incidentIds[number] ?? fail(`incident ${number} of the plan was not created`);
    const firstDay = steps[0]?.at ?? 0;
    let reportedWeek = -1;
    for (let start = 0; start < steps.length; start += CHUNK) {
      await history.transaction(async (changesAt) => {
        for (const step of steps.slice(start, start + CHUNK)) {
          const week = Math.floor((step.at - firstDay) / (7 * 86_400_000));
          if (week > reportedWeek && week < options.weeks) {
            reportedWeek = week;
            options.progress(`  history: week ${week + 1} of ${options.weeks} (${figures.incidents} incidents so far, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
          }
          try {
            await apply(changesAt(new Date(step.at)), step);
          } catch (error) {
            throw new Error(`The demo history could not ${step.kind} at ${new Date(step.at).toISOString()}: ${(error as Error).message}`, { cause: error });
          }
        }
      });
    }

    async function apply(at: ChangesAt, step: Step): Promise<void> {
      switch (step.kind) {
        case 'create': {
          const department = options.departments[step.department]!;
          const incident = await at.createIncident(callerOf(step.reporter), {
            title: step.title,
            description: step.description,
            categoryId: department.categories[step.category]!,
            priority: step.priority,
          });
          incidentIds[step.incident] = incident.id;
          figures.incidents += 1;
          break;
        }
        case 'assign':
          await at.assignIncident(callerOf(step.actor), idOf(step.incident), step.assignee);
          break;
        case 'status':
          await at.updateIncident(callerOf(step.actor), idOf(step.incident), { status: step.status, ...(step.reason ? { reason: step.reason } : {}) });
          break;
        case 'comment':
          await at.addComment(callerOf(step.actor), idOf(step.incident), { content: step.content, isInternal: step.internal });
          break;
        case 'sla': {
          const round = await at.runSlaJobs();
          figures.slaRounds += 1;
          figures.breaches += round.breaches;
          figures.autoClosed += round.autoClosed;
          return;
        }
      }
      figures.changes += 1;
    }
  });
  const used = process.cpuUsage(cpu);
  return { ...figures, seconds: (Date.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function fail(message: string): never {
  throw new Error(message);
}
