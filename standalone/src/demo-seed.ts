import { DEMO_PASSWORD } from './config.js';

interface Endpoints {
  identityUrl: string;
  incidentUrl: string;
}

interface SignedIn {
  id: string;
  email: string;
  token: string;
}

const DEPARTMENTS = [
  {
    name: 'IT',
    slug: 'it',
    /** People with names of their own: avatars and lists tell them apart. */
    people: { manager: 'Maria Santos', staff: ['Daniel Okafor', 'Priya Nair'], reporters: ['Lukas Weber', 'Emma Johansson'] },
    description: 'Laptops, accounts, network and software',
    categories: ['Network', 'Hardware', 'Accounts and access', 'Software'],
    problems: [
      ['VPN drops every hour', 'Since Monday the VPN disconnects about every hour and I lose my session.'],
      ['Laptop will not boot', 'Black screen after the logo; the charger light is on.'],
      ['Cannot open the shared drive', 'Access denied on \\\\files\\finance since this morning.'],
      ['Outlook keeps asking for my password', 'The prompt comes back every few minutes.'],
      ['Wi-Fi weak in meeting room 4', 'Calls freeze; the signal shows one bar.'],
      ['New starter needs an account', 'Maria Costa starts on the 3rd, sales team.'],
      ['Printer on floor 3 jams', 'Every second page jams since the toner change.'],
      ['Monitor flickers', 'The left monitor flickers when the window moves.'],
    ],
  },
  {
    name: 'Facilities',
    slug: 'facilities',
    /** People with names of their own: avatars and lists tell them apart. */
    people: { manager: 'Tom Becker', staff: ['Aisha Rahman', 'Marco Rossi'], reporters: ['Sofia Alvarez', 'James Carter'] },
    description: 'Buildings, rooms, heating, cleaning and access badges',
    categories: ['Heating and air', 'Cleaning', 'Doors and badges', 'Furniture'],
    problems: [
      ['Office too cold on floor 2', 'The thermostat shows 17 °C although it is set to 21 °C.'],
      ['Badge reader at the side door broken', 'It beeps red for every badge.'],
      ['Coffee machine leaking', 'Water on the kitchen floor on floor 1.'],
      ['Desk chair broken', 'The height lever does not hold any more.'],
      ['Light flickering in the stairwell', 'Between floors 2 and 3.'],
      ['Meeting room 2 not cleaned', 'Yesterday\'s catering is still there.'],
      ['Window does not close', 'Room 3.14, the handle turns without locking.'],
      ['Lift out of service', 'The left lift stops at floor 2 with the doors open.'],
    ],
  },
  {
    name: 'HR',
    slug: 'hr',
    /** People with names of their own: avatars and lists tell them apart. */
    people: { manager: 'Hannah Schmidt', staff: ['Kenji Tanaka', 'Olivia Brown'], reporters: ['Noah Dubois', 'Chloé Martin'] },
    description: 'Payroll, leave, contracts and onboarding',
    categories: ['Payroll', 'Leave', 'Onboarding', 'Documents'],
    problems: [
      ['Payslip missing for last month', 'The portal shows nothing for October.'],
      ['Leave balance looks wrong', 'It says 3 days; I had 12 before my leave in August.'],
      ['Need an employment certificate', 'For a flat application, by Friday if possible.'],
      ['Onboarding checklist not assigned', 'New starter in the support team has no checklist.'],
      ['Bank details change', 'I changed banks; how do I update payroll?'],
      ['Overtime not paid', 'Overtime from the September release weekend is missing.'],
      ['Parental leave question', 'How early do I have to announce parental leave?'],
      ['Contract copy needed', 'I cannot find the signed copy of my contract.'],
    ],
  },
] as const;

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
 * A demo organisation made through the services' own APIs, so every incident has the
 * timeline, events and SLA data real use would give it: three departments with categories; per
 * department a manager, two staff and two reporters; eight incidents per department in every
 * status, with assignments, comments and internal notes.
 */
export async function seedDemo(
  { identityUrl, incidentUrl }: Endpoints,
  admin: { email: string; password: string },
  progress: (message: string) => void,
): Promise<string[]> {
  const root = await signIn(identityUrl, admin.email, admin.password);
  const logins: string[] = [];
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
  return logins;
}
