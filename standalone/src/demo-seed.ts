import type { IncidentPriority } from '@desk/contracts';
import type { IncidentService } from '@desk/incident-service';
import { DEMO_PASSWORD } from './config.js';
import { seedHistory, type HistoryDepartment, type HistoryFigures } from './demo/history.js';
import { DEPARTMENTS } from './demo/organisation.js';

interface Endpoints {
  identityUrl: string;
  incidentUrl: string;
  /** The incident-service running in this process: its history is replayed through its use cases. */
  incidents?: IncidentService;
}

export interface DemoOptions {
  /** Weeks of back-dated history before today's incidents (default 8; 0 for none). Needs `incidents`. */
  historyWeeks?: number;
  /** The history's random seed: the same seed makes the same history. */
  historySeed?: number;
}

export interface DemoResult {
  logins: string[];
  history: HistoryFigures | null;
}

const HOUR = 3_600_000;

type SlaTargets = { responseMinutes: number; resolutionMinutes: number };

interface SignedIn {
  id: string;
  email: string;
  token: string;
}

/** Where each demo incident ends up: every status, with the history that leads there. */
const JOURNEYS = [
  [],
  ['IN_PROGRESS'],
  ['IN_PROGRESS', 'RESOLVED'],
  ['IN_PROGRESS', 'RESOLVED', 'CLOSED'],
  ['CANCELLED'],
  ['IN_PROGRESS', 'RESOLVED', 'IN_PROGRESS'],
  ['IN_PROGRESS', 'OPEN'],
  ['IN_PROGRESS', 'RESOLVED', 'CLOSED'],
] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'MEDIUM', 'HIGH', 'LOW', 'MEDIUM'] as const;

async function call<T>(url: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(15_000),
  }).catch((error: unknown) => {
    throw new Error(`${init.method ?? (init.body === undefined ? 'GET' : 'POST')} ${url} failed: ${(error as Error).message}`, { cause: error });
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function signIn(identityUrl: string, email: string, password: string): Promise<SignedIn> {
  const result = await call<{ accessToken: string; user: { id: string } }>(`${identityUrl}/auth/login`, { body: { email, password } });
  return { id: result.user.id, email, token: result.accessToken };
}

/** Waits until incident-service has the user in its replica (fed by identity's events). */
async function waitForReplica(incidentUrl: string, who: SignedIn): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await fetch(`${incidentUrl}/incidents?limit=1`, { headers: { Authorization: `Bearer ${who.token}` } });
    if (response.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`incident-service never learned about ${who.email}`);
}

/**
 * A demo organisation made through the services' own code, so every incident has the timeline,
 * events and SLA data real use would give it: three departments with categories; per department
 * a manager, two staff and two reporters; eight weeks of history (demo/history.ts: several hundred
 * incidents replayed through incident-service's use cases at the instants they happened, with
 * response and resolution times, SLA breaches, re-openings, cancellations, comments and internal
 * notes); and today, through the API, eight incidents per department in every status.
 *
 * The people's accounts are created first and the history ends an hour before: nobody is
 * notified or mailed about it (notification-service tells no one about what happened before
 * their account existed), while replicas and analytics take every event of it.
 */
export async function seedDemo(
  { identityUrl, incidentUrl, incidents }: Endpoints,
  admin: { email: string; password: string },
  progress: (message: string) => void,
  options: DemoOptions = {},
): Promise<DemoResult> {
  const started = new Date();
  const root = await signIn(identityUrl, admin.email, admin.password);
  const logins: string[] = [];
  const made: (HistoryDepartment & { people: { manager: SignedIn; staff: SignedIn[]; reporters: SignedIn[] } })[] = [];
  const tokens = new Map<string, string>();
  for (const [index, department] of DEPARTMENTS.entries()) {
    progress(`Seeding the demo organisation: ${department.name} (${index + 1}/${DEPARTMENTS.length})`);
    const { id: departmentId } = await call<{ id: string }>(`${identityUrl}/departments`, { token: root.token, body: { name: department.name, description: department.description } });
    const person = async (role: string, name: string, suffix = '') => {
      const email = `${role}${suffix}.${department.slug}@example.com`;
      await call(`${identityUrl}/users`, {
        token: root.token,
        body: { email, password: DEMO_PASSWORD, fullName: name, role, departmentId: role === 'reporter' ? null : departmentId },
      });
      logins.push(`${email.padEnd(32)} ${role}${role === 'reporter' ? '' : ` of ${department.name}`}`);
      return signIn(identityUrl, email, DEMO_PASSWORD);
    };
    const manager = await person('manager', department.people.manager);
    const staff = [await person('staff', department.people.staff[0], '1'), await person('staff', department.people.staff[1], '2')];
    const reporters = [await person('reporter', department.people.reporters[0], '1'), await person('reporter', department.people.reporters[1], '2')];
    for (const who of [manager, ...staff, ...reporters]) await waitForReplica(incidentUrl, who);

    const categories: string[] = [];
    for (const name of department.categories) {
      categories.push((await call<{ id: string }>(`${incidentUrl}/categories`, { token: root.token, body: { name, departmentId } })).id);
    }
    for (const who of [manager, ...staff, ...reporters]) tokens.set(who.id, who.token);
    made.push({ content: department, manager: manager.id, staff: staff.map((who) => who.id), reporters: reporters.map((who) => who.id), categories, people: { manager, staff, reporters } });
  }
  // Reporters file with other departments too, less often than with their own.
  for (const department of made) department.reporters = [...department.reporters, ...made.flatMap((other) => (other === department ? [] : other.reporters))];

  const weeks = options.historyWeeks ?? 8;
  let history: HistoryFigures | null = null;
  if (incidents && weeks > 0) {
    progress(`Seeding the demo organisation: ${weeks} weeks of history`);
    const { items } = await call<{ items: (SlaTargets & { priority: IncidentPriority })[] }>(`${incidentUrl}/sla-policies`, { token: root.token });
    const policyOf = (priority: IncidentPriority): SlaTargets => items.find((policy) => policy.priority === priority) ?? fail(`no SLA policy for ${priority}`);
    history = await seedHistory({
      incidents,
      departments: made,
      tokens,
      policies: { LOW: policyOf('LOW'), MEDIUM: policyOf('MEDIUM'), HIGH: policyOf('HIGH'), CRITICAL: policyOf('CRITICAL') },
      now: started,
      until: new Date(started.getTime() - HOUR),
      weeks,
      seed: options.historySeed ?? 20,
      progress,
    });
    progress(`  history: ${history.incidents} incidents, ${history.changes} changes, ${history.breaches} SLA breaches marked, ${history.autoClosed} closed automatically, in ${history.seconds.toFixed(1)} s (${history.cpuSeconds.toFixed(1)} s of CPU)`);
  }

  progress('Seeding the demo organisation: today');
  for (const { content: department, categories, people } of made) {
    const { manager, staff } = people;
    const reporters = people.reporters;
    for (const [number, [title, description]] of department.problems.entries()) {
      const reporter = reporters[number % 2]!;
      const worker = staff[number % 2]!;
      const incident = await call<{ id: string; version: number }>(`${incidentUrl}/incidents`, {
        token: reporter.token,
        body: { title, description, categoryId: categories[number % categories.length], priority: PRIORITIES[number] },
      });
      const journey = JOURNEYS[number % JOURNEYS.length]!;
      if (journey.length > 0 && journey[0] !== 'CANCELLED') {
        await call(`${incidentUrl}/incidents/${incident.id}/assign`, { method: 'PATCH', token: manager.token, body: { assigneeId: worker.id } });
      }
      for (const [step, status] of journey.entries()) {
        // Closing, cancelling and re-opening a resolved incident are the reporter's moves.
        const reopening = status === 'IN_PROGRESS' && journey[step - 1] === 'RESOLVED';
        const actor = status === 'CLOSED' || status === 'CANCELLED' || reopening ? reporter : worker;
        if (status === 'RESOLVED') {
          await call(`${incidentUrl}/incidents/${incident.id}/comments`, { token: worker.token, body: { content: 'Checked the logs; looks like the same cause as last week.', isInternal: true } });
          await call(`${incidentUrl}/incidents/${incident.id}/comments`, { token: worker.token, body: { content: 'This should be fixed now; please let us know if it comes back.' } });
        }
        const reason = status === 'RESOLVED' ? 'Fixed and verified' : status === 'CANCELLED' ? 'Not needed any more' : status === 'OPEN' ? 'Waiting for a part' : undefined;
        await call(`${incidentUrl}/incidents/${incident.id}`, { method: 'PATCH', token: actor.token, body: { status, ...(reason ? { reason } : {}) } });
      }
      if (journey.length === 0) {
        await call(`${incidentUrl}/incidents/${incident.id}/comments`, { token: reporter.token, body: { content: 'It happened again just now.' } });
      }
    }
  }
  progress('Seeding the demo organisation: calendars, routing and escalations');
  await seedDeskOperations(incidentUrl, root.token, made);
  return { logins, history };
}

/**
 * How the demo desk runs: Facilities and HR keep office hours in Berlin (IT stays around the
 * clock), every department's first category assigns in turn, and two escalation rules warn
 * before resolution targets pass and tell the manager when a critical response is missed. One of
 * today's incidents in progress waits on its reporter. Set after the history and today's
 * incidents, so the SLA job recounts the open ones on their new calendar, as it would in use.
 */
async function seedDeskOperations(
  incidentUrl: string,
  adminToken: string,
  made: readonly { content: { name: string }; categories: readonly string[]; people: { staff: SignedIn[] } }[],
): Promise<void> {
  const office = [{ start: '08:00', end: '18:00' }];
  const year = new Date().getUTCFullYear();
  const holidays = [year, year + 1].flatMap((y) => [
    { date: `${y}-01-01`, name: "New Year's Day" },
    { date: `${y}-05-01`, name: 'Labour Day' },
    { date: `${y}-10-03`, name: 'Day of German Unity' },
    { date: `${y}-12-24`, name: 'Christmas Eve' },
    { date: `${y}-12-25`, name: 'Christmas Day' },
    { date: `${y}-12-26`, name: 'Boxing Day' },
    { date: `${y}-12-31`, name: "New Year's Eve" },
  ]);
  const calendar = await call<{ id: string }>(`${incidentUrl}/calendars`, {
    token: adminToken,
    body: { name: 'Berlin office hours', timeZone: 'Europe/Berlin', week: { monday: office, tuesday: office, wednesday: office, thursday: office, friday: office }, holidays },
  });
  for (const department of made) {
    const departmentId = await departmentOf(incidentUrl, adminToken, department.categories[0]!);
    if (department.content.name !== 'IT') {
      await call(`${incidentUrl}/calendars/assignments/${departmentId}`, { method: 'PUT', token: adminToken, body: { calendarId: calendar.id } });
    }
    await call(`${incidentUrl}/categories/${department.categories[0]!}`, { method: 'PATCH', token: adminToken, body: { assignment: 'round_robin' } });
  }
  for (const priority of ['HIGH', 'CRITICAL'] as const) {
    await call(`${incidentUrl}/escalation-rules`, { token: adminToken, body: { name: `${priority === 'HIGH' ? 'High' : 'Critical'}: warn at 75 %`, priority, target: 'resolution', thresholdPercent: 75 } });
  }
  await call(`${incidentUrl}/escalation-rules`, { token: adminToken, body: { name: 'Critical response missed', priority: 'CRITICAL', target: 'response', thresholdPercent: 100, reassign: 'manager' } });

  const [first] = made;
  const worker = first!.people.staff[0]!;
  const { items } = await call<{ items: { id: string; waiting: unknown }[] }>(`${incidentUrl}/incidents?status=IN_PROGRESS&assigneeId=me&limit=1`, { token: worker.token });
  if (items[0] && !items[0].waiting) {
    await call(`${incidentUrl}/incidents/${items[0].id}/waiting`, { token: worker.token, body: { message: 'Could you tell us the exact time it last happened, and send a screenshot of the message you see?' } });
  }
}

async function departmentOf(incidentUrl: string, token: string, categoryId: string): Promise<string> {
  return (await call<{ departmentId: string }>(`${incidentUrl}/categories/${categoryId}`, { token })).departmentId;
}

function fail(message: string): never {
  throw new Error(message);
}
