import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signSatisfactionLink } from '@desk/auth';
import { waitFor } from '@desk/testing';
import { Secret, TOTP } from 'otpauth';
import { ADMIN, ApiClient, type RunningPlatform } from './platform.js';

/**
 * The people, departments and objects the authorization matrix (docs/AUTHORIZATION.md) is run
 * against, and how each operation is asked for one caller and one target. Columns:
 * - reporter: R1, whose things are "own"; "other's" are R2's (same department).
 * - staff, manager: of department A; "own" things are A's, "other" things are B's.
 * - admin, service accounts: targets as for the "own" columns.
 */
export const COLUMNS = [
  'anonymous',
  'reporter (own)',
  "reporter (other's)",
  'staff (own dept)',
  'staff (other dept)',
  'manager (own dept)',
  'manager (other dept)',
  'admin',
  'service (with scope)',
  'service (without scope)',
] as const;
export type Column = (typeof COLUMNS)[number];
export type Target = 'own' | 'other';

export const SCOPES = ['incidents:read', 'incidents:write', 'users:read', 'analytics:read'] as const;
export type Scope = (typeof SCOPES)[number];

export const PASSWORD = 'matrix tangerine orbit 4711';

export interface Person {
  id: string;
  email: string;
  token: string;
}

export interface Fixture {
  platform: RunningPlatform;
  admin: ApiClient;
  departments: Record<Target, string>;
  categories: Record<Target, string>;
  people: { reporter: Person; reporter2: Person; staff: Person; staff2: Person; staffOther: Person; manager: Person; managerOther: Person; admin: Person };
  /** A service account's token: all scopes, or all but one. */
  serviceToken(without?: Scope): Promise<string>;
  /** A standing incident per target: reported by R1 in A ("own"), R2 in A ("other" for reporters), B ("other" for staff). */
  incidents: { reporterOwn: Incident; reporterOther: Incident; departmentOther: Incident };
  /** A public comment on each standing incident. */
  comments: Map<string, string>;
  /** A public image attachment (with its thumbnail made) on each standing incident, uploaded by its reporter. */
  attachments: Map<string, string>;
  /** Uploads a file to an incident as `uploader`; returns the attachment's id. */
  attach(uploader: Person, incidentId: string, file?: { name: string; content: Uint8Array; type: string }): Promise<string>;
  /** A fresh incident (for operations that change it). */
  newIncident(reporter: Person, department: Target): Promise<Incident>;
  /** A fresh member of staff of a department. */
  newUser(department: Target): Promise<Person>;
  /** A fresh person in the role a column stands for (for operations that end the caller's sessions). */
  newCaller(column: Column): Promise<Person | undefined>;
}

export interface Incident {
  id: string;
  version: number;
}

/** A 1×1 PNG: the smallest image with a thumbnail. */
const PIXEL = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

export interface MatrixRequest {
  method: string;
  path: string;
  body?: unknown;
  /** A multipart/form-data body with one file. */
  upload?: { name: string; content: string; fields?: Record<string, string> };
  form?: Record<string, string>;
  /** Read only the status and headers (an event stream never ends). */
  headOnly?: boolean;
  /** Ask as this person instead of the column's standing one (for what ends their sessions). */
  callerToken?: string;
}

async function call<T>(gateway: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

export async function buildFixture(platform: RunningPlatform): Promise<Fixture> {
  const gateway = platform.gatewayUrl;
  const admin = new ApiClient(gateway);
  await admin.signIn(ADMIN.email, ADMIN.password);
  const adminMe = await admin.call<{ id: string }>('GET', '/auth/me');

  const departments = {} as Record<Target, string>;
  const categories = {} as Record<Target, string>;
  for (const target of ['own', 'other'] as const) {
    const department = await admin.call<{ id: string }>('POST', '/departments', { name: `Matrix ${target} ${randomUUID().slice(0, 6)}` });
    assert.equal(department.status, 201);
    departments[target] = department.body.id;
    categories[target] = await waitFor(`category of ${target}`, async () => {
      const category = await admin.call<{ id: string }>('POST', '/categories', { name: `Matrix ${target} ${randomUUID().slice(0, 6)}`, departmentId: department.body.id });
      return category.status === 201 ? category.body.id : undefined;
    });
  }

  const person = async (role: 'reporter' | 'staff' | 'manager', department: Target | null): Promise<Person> => {
    const email = `matrix-${randomUUID().slice(0, 8)}@example.com`;
    const created = await admin.call<{ id: string }>('POST', '/users', { email, password: PASSWORD, fullName: `Matrix ${role}`, role, departmentId: department ? departments[department] : null });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const signIn = await call<{ accessToken: string }>(gateway, undefined, 'POST', '/auth/login', { email, password: PASSWORD });
    assert.equal(signIn.status, 200);
    // Known to every service's replica before it is used.
    await waitFor(`${email} known everywhere`, async () => (await call(gateway, signIn.body.accessToken, 'GET', '/incidents?limit=1')).status === 200 && (await call(gateway, signIn.body.accessToken, 'GET', '/notifications?limit=1')).status === 200);
    return { id: created.body.id, email, token: signIn.body.accessToken };
  };

  const people = {
    reporter: await person('reporter', null),
    reporter2: await person('reporter', null),
    staff: await person('staff', 'own'),
    staff2: await person('staff', 'own'),
    staffOther: await person('staff', 'other'),
    manager: await person('manager', 'own'),
    managerOther: await person('manager', 'other'),
    admin: { id: adminMe.body.id, email: ADMIN.email, token: admin.token },
  };

  const newIncident = async (reporter: Person, department: Target): Promise<Incident> => {
    const created = await call<Incident>(gateway, reporter.token, 'POST', '/incidents', { title: 'Matrix incident', description: 'Made to be looked at.', categoryId: categories[department] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const incidents = {
    reporterOwn: await newIncident(people.reporter, 'own'),
    reporterOther: await newIncident(people.reporter2, 'own'),
    departmentOther: await newIncident(people.reporter2, 'other'),
  };
  const comments = new Map<string, string>();
  for (const incident of Object.values(incidents)) {
    const comment = await admin.call<{ id: string }>('POST', `/incidents/${incident.id}/comments`, { content: 'A public comment.' });
    assert.equal(comment.status, 201);
    comments.set(incident.id, comment.body.id);
  }

  const attach = async (uploader: Person, incidentId: string, file = { name: 'matrix.png', content: PIXEL, type: 'image/png' }): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([file.content], { type: file.type }), file.name);
    const response = await fetch(`${gateway}/incidents/${incidentId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${uploader.token}` }, body: form });
    const body = (await response.json()) as { id: string };
    assert.equal(response.status, 201, JSON.stringify(body));
    return body.id;
  };
  const attachments = new Map<string, string>();
  for (const [incident, reporter] of [
    [incidents.reporterOwn, people.reporter],
    [incidents.reporterOther, people.reporter2],
    [incidents.departmentOther, people.reporter2],
  ] as const) {
    const id = await attach(reporter, incident.id);
    attachments.set(incident.id, id);
    await waitFor(`the thumbnail of attachment ${id}`, async () => (await admin.call<{ thumbnailUrl: string | null }>('GET', `/attachments/${id}`)).body.thumbnailUrl !== null);
  }

  const serviceTokens = new Map<string, string>();
  const serviceToken = async (without?: Scope): Promise<string> => {
    const key = without ?? 'all';
    const known = serviceTokens.get(key);
    if (known) return known;
    const scopes = SCOPES.filter((scope) => scope !== without);
    const account = await admin.call<{ clientId: string; clientSecret: string }>('POST', '/service-accounts', { name: `Matrix ${key} ${randomUUID().slice(0, 6)}`, scopes });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    const grant = await fetch(`${gateway}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: account.body.clientId, client_secret: account.body.clientSecret }),
    });
    assert.equal(grant.status, 200);
    const token = ((await grant.json()) as { access_token: string }).access_token;
    serviceTokens.set(key, token);
    return token;
  };

  const newUser = (department: Target) => person('staff', department);
  const newCaller = async (column: Column): Promise<Person | undefined> => {
    if (column.startsWith('reporter')) return person('reporter', null);
    if (column.startsWith('staff')) return person('staff', 'own');
    if (column.startsWith('manager')) return person('manager', 'own');
    if (column === 'admin') {
      const email = `matrix-admin-${randomUUID().slice(0, 8)}@example.com`;
      assert.equal((await admin.call('POST', '/users', { email, password: PASSWORD, fullName: 'Matrix admin', role: 'admin' })).status, 201);
      const signIn = await call<{ accessToken: string; user: { id: string } }>(gateway, undefined, 'POST', '/auth/login', { email, password: PASSWORD });
      return { id: signIn.body.user.id, email, token: signIn.body.accessToken };
    }
    return undefined;
  };

  return { platform, admin, departments, categories, people, serviceToken, incidents, comments, attachments, attach, newIncident, newUser, newCaller };
}

/** The caller of a column, and which things are its "own" or "other". */
export function callerOf(fixture: Fixture, column: Column): Person | undefined {
  switch (column) {
    case 'anonymous':
      return undefined;
    case 'reporter (own)':
    case "reporter (other's)":
      return fixture.people.reporter;
    case 'staff (own dept)':
    case 'staff (other dept)':
      return fixture.people.staff;
    case 'manager (own dept)':
    case 'manager (other dept)':
      return fixture.people.manager;
    default:
      return fixture.people.admin;
  }
}

export function targetOf(column: Column): Target {
  return column.includes('other') ? 'other' : 'own';
}

export function isReporterColumn(column: Column): boolean {
  return column.startsWith('reporter');
}

/** The standing incident a column looks at. */
function incidentFor(fixture: Fixture, column: Column): Incident {
  if (targetOf(column) === 'own') return fixture.incidents.reporterOwn;
  return isReporterColumn(column) ? fixture.incidents.reporterOther : fixture.incidents.departmentOther;
}

/** A fresh incident IN_PROGRESS (an admin started it), in the place the column's target is. */
async function startedIncident(fixture: Fixture, column: Column): Promise<Incident> {
  const incident = await freshIncident(fixture, column);
  const started = await fixture.admin.call<Incident>('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS' });
  assert.equal(started.status, 200);
  return started.body;
}

/** A calendar the admin just made (for the operations that change or delete one). */
async function freshCalendar(fixture: Fixture): Promise<string> {
  const created = await fixture.admin.call<{ id: string }>('POST', '/calendars', {
    name: `Matrix calendar ${unique()}`,
    timeZone: 'Europe/Berlin',
    week: { monday: [{ start: '09:00', end: '17:00' }] },
  });
  assert.equal(created.status, 201);
  return created.body.id;
}

/** An escalation rule the admin just made, inactive (for the operations that change or delete one). */
async function freshRule(fixture: Fixture): Promise<string> {
  const created = await fixture.admin.call<{ id: string }>('POST', '/escalation-rules', { name: `Matrix rule ${unique()}`, priority: 'LOW', target: 'resolution', thresholdPercent: 90, isActive: false });
  assert.equal(created.status, 201);
  return created.body.id;
}

/** A fresh incident a column may change, in the place the column's target is. */
function freshIncident(fixture: Fixture, column: Column): Promise<Incident> {
  if (targetOf(column) === 'own') return fixture.newIncident(fixture.people.reporter, 'own');
  return isReporterColumn(column) ? fixture.newIncident(fixture.people.reporter2, 'own') : fixture.newIncident(fixture.people.reporter2, 'other');
}

/** A fresh incident, resolved by the department's staff, in the place the column's target is. */
async function resolvedIncident(fixture: Fixture, column: Column): Promise<Incident> {
  const incident = await freshIncident(fixture, column);
  for (const status of ['IN_PROGRESS', 'RESOLVED']) {
    const changed = await fixture.admin.call('PATCH', `/incidents/${incident.id}`, { status });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
  }
  return incident;
}

/** A fresh incident the admin declared a major incident, in the place the column's target is. */
async function majorIncident(fixture: Fixture, column: Column): Promise<Incident> {
  const incident = await freshIncident(fixture, column);
  const declared = await fixture.admin.call('POST', `/incidents/${incident.id}/major`, { summary: 'A major incident of the matrix.' });
  assert.equal(declared.status, 201);
  return incident;
}

/** The user a column looks at: itself (reporters), a colleague, or someone of the other department. */
function userFor(fixture: Fixture, column: Column): Person {
  if (isReporterColumn(column)) return targetOf(column) === 'own' ? fixture.people.reporter : fixture.people.reporter2;
  return targetOf(column) === 'own' ? fixture.people.staff2 : fixture.people.staffOther;
}

type Factory = (fixture: Fixture, column: Column) => Promise<MatrixRequest> | MatrixRequest;

/** The authenticator app's code for a 30-second step around now (-1, 0, 1: each works once, in order). */
export function totpCodeAt(secret: string, stepOffset: -1 | 0 | 1): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepOffset * 30_000 });
}

/** Turns two-step sign-in on for a person (with a code of the previous step); returns its secret. */
async function enrol(fixture: Fixture, person: Person): Promise<string> {
  const setup = await call<{ secret: string }>(fixture.platform.gatewayUrl, person.token, 'POST', '/auth/mfa/setup', { currentPassword: PASSWORD });
  assert.equal(setup.status, 200, JSON.stringify(setup.body));
  const enabled = await call(fixture.platform.gatewayUrl, person.token, 'POST', '/auth/mfa/enable', { code: totpCodeAt(setup.body.secret, -1) });
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
  return setup.body.secret;
}

/** A fresh person of the column's role with two-step sign-in on, asking with a current code (none for other callers). */
async function enrolledCaller(fixture: Fixture, column: Column): Promise<{ callerToken?: string; code: string }> {
  const caller = await fixture.newCaller(column);
  if (!caller) return { code: '123456' };
  return { callerToken: caller.token, code: totpCodeAt(await enrol(fixture, caller), 0) };
}

const unique = () => randomUUID().slice(0, 8);

/** A saved view: the caller's own for "own" columns and service accounts, someone else's for "other" ones. */
async function savedViewFor(fixture: Fixture, column: Column): Promise<string> {
  const owner = column.startsWith('service') ? await fixture.serviceToken() : targetOf(column) === 'own' ? callerOf(fixture, column)?.token : undefined;
  const view = await call<{ id: string }>(fixture.platform.gatewayUrl, owner ?? fixture.people.reporter2.token, 'POST', '/incidents/views', { name: `Matrix view ${unique()}`, query: 'status=OPEN' });
  assert.equal(view.status, 201, JSON.stringify(view.body));
  return view.body.id;
}

/**
 * A fresh webhook endpoint, registered by the admin. Its host is under `.invalid` (RFC 2606),
 * which never resolves: deliveries fail at once and reach nobody.
 */
async function newWebhook(fixture: Fixture, events = ['incident.review_written']): Promise<string> {
  const created = await fixture.admin.call<{ id: string }>('POST', '/webhooks', { url: `https://matrix-hooks-${unique()}.invalid/desk`, events });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

/** A fresh endpoint with one delivery recorded (for an incident filed for it); it then listens to a rare event type only. */
async function webhookDelivery(fixture: Fixture): Promise<{ webhookId: string; deliveryId: string }> {
  const webhookId = await newWebhook(fixture, ['incident.created']);
  await fixture.newIncident(fixture.people.reporter, 'own');
  const deliveryId = await waitFor('a webhook delivery recorded', async () => {
    const page = await fixture.admin.call<{ items: { id: string }[] }>('GET', `/webhooks/${webhookId}/deliveries`);
    return page.body.items[0]?.id;
  });
  const quieter = await fixture.admin.call('PATCH', `/webhooks/${webhookId}`, { events: ['incident.review_written'] });
  assert.equal(quieter.status, 200);
  return { webhookId, deliveryId };
}

/**
 * How each operation is asked: a valid request, so that what comes back says who may, not
 * what is malformed. Operations that change something get something fresh to change.
 */
export const REQUESTS: Record<string, Factory> = {
  // Public: asked without a token.
  'GET /health': () => ({ method: 'GET', path: '/health' }),
  'GET /.well-known/jwks.json': () => ({ method: 'GET', path: '/.well-known/jwks.json' }),
  'GET /.well-known/oauth-authorization-server': () => ({ method: 'GET', path: '/.well-known/oauth-authorization-server' }),
  'POST /auth/register': () => ({ method: 'POST', path: '/auth/register', body: { email: `matrix-new-${unique()}@example.com`, password: PASSWORD, fullName: 'New Person' } }),
  'POST /auth/login': (fixture) => ({ method: 'POST', path: '/auth/login', body: { email: fixture.people.staff2.email, password: PASSWORD } }),
  'POST /auth/refresh': async (fixture) => {
    const signIn = await call<{ refreshToken: string }>(fixture.platform.gatewayUrl, undefined, 'POST', '/auth/login', { email: fixture.people.staff2.email, password: PASSWORD });
    return { method: 'POST', path: '/auth/refresh', body: { refreshToken: signIn.body.refreshToken } };
  },
  'POST /auth/logout': async (fixture) => {
    const signIn = await call<{ refreshToken: string }>(fixture.platform.gatewayUrl, undefined, 'POST', '/auth/login', { email: fixture.people.staff2.email, password: PASSWORD });
    return { method: 'POST', path: '/auth/logout', body: { refreshToken: signIn.body.refreshToken } };
  },
  'POST /auth/token': async (fixture) => {
    const account = await fixture.admin.call<{ clientId: string; clientSecret: string }>('POST', '/service-accounts', { name: `Matrix token ${unique()}`, scopes: ['incidents:read'] });
    return { method: 'POST', path: '/auth/token', form: { grant_type: 'client_credentials', client_id: account.body.clientId, client_secret: account.body.clientSecret } };
  },

  'GET /auth/me': () => ({ method: 'GET', path: '/auth/me' }),
  // Renaming oneself: a fresh person of the column's role, so the matrix's people keep their names.
  'PATCH /auth/me': async (fixture, column) => {
    const caller = await fixture.newCaller(column);
    return { method: 'PATCH', path: '/auth/me', body: { fullName: `Renamed ${unique()}` }, ...(caller ? { callerToken: caller.token } : {}) };
  },
  // Anyone may try a link; one nobody was sent is refused the same for every caller.
  'POST /auth/verify': () => ({ method: 'POST', path: '/auth/verify', body: { token: 'a'.repeat(43) } }),
  'POST /auth/password/forgot': () => ({ method: 'POST', path: '/auth/password/forgot', body: { email: `matrix-forgot-${unique()}@example.com` } }),
  'POST /auth/password/reset': () => ({ method: 'POST', path: '/auth/password/reset', body: { token: 'a'.repeat(43), newPassword: 'another tangerine orbit 99' } }),
  // Changing one's password ends one's sessions: a fresh person of the column's role asks.
  'POST /auth/password': async (fixture, column) => {
    const caller = await fixture.newCaller(column);
    return { method: 'POST', path: '/auth/password', body: { currentPassword: PASSWORD, newPassword: 'another tangerine orbit 99' }, ...(caller ? { callerToken: caller.token } : {}) };
  },

  // Two-step sign-in. The second step of a sign-in is public: a challenge nobody was given is refused alike for everyone.
  'POST /auth/login/mfa': () => ({ method: 'POST', path: '/auth/login/mfa', body: { challengeToken: 'a'.repeat(43), code: '123456' } }),
  'POST /auth/login/mfa/setup': () => ({ method: 'POST', path: '/auth/login/mfa/setup', body: { challengeToken: 'a'.repeat(43) } }),
  'GET /auth/mfa': () => ({ method: 'GET', path: '/auth/mfa' }),
  'POST /auth/mfa/setup': async (fixture, column) => {
    const caller = await fixture.newCaller(column);
    return { method: 'POST', path: '/auth/mfa/setup', body: { currentPassword: PASSWORD }, ...(caller ? { callerToken: caller.token } : {}) };
  },
  'POST /auth/mfa/enable': async (fixture, column) => {
    const caller = await fixture.newCaller(column);
    if (!caller) return { method: 'POST', path: '/auth/mfa/enable', body: { code: '123456' } };
    const setup = await call<{ secret: string }>(fixture.platform.gatewayUrl, caller.token, 'POST', '/auth/mfa/setup', { currentPassword: PASSWORD });
    return { method: 'POST', path: '/auth/mfa/enable', body: { code: totpCodeAt(setup.body.secret, 0) }, callerToken: caller.token };
  },
  'POST /auth/mfa/recovery-codes': async (fixture, column) => {
    const { callerToken, code } = await enrolledCaller(fixture, column);
    return { method: 'POST', path: '/auth/mfa/recovery-codes', body: { currentPassword: PASSWORD, code }, ...(callerToken ? { callerToken } : {}) };
  },
  'POST /auth/mfa/disable': async (fixture, column) => {
    const { callerToken, code } = await enrolledCaller(fixture, column);
    return { method: 'POST', path: '/auth/mfa/disable', body: { currentPassword: PASSWORD, code }, ...(callerToken ? { callerToken } : {}) };
  },

  // Incidents.
  'GET /incidents/views': () => ({ method: 'GET', path: '/incidents/views' }),
  'POST /incidents/views': () => ({ method: 'POST', path: '/incidents/views', body: { name: `Matrix view ${unique()}`, query: 'priority=HIGH' } }),
  'PATCH /incidents/views/{id}': async (fixture, column) => ({ method: 'PATCH', path: `/incidents/views/${await savedViewFor(fixture, column)}`, body: { name: `Renamed ${unique()}` } }),
  'DELETE /incidents/views/{id}': async (fixture, column) => ({ method: 'DELETE', path: `/incidents/views/${await savedViewFor(fixture, column)}` }),
  'GET /incidents': () => ({ method: 'GET', path: '/incidents' }),
  'GET /incidents/stream': () => ({ method: 'GET', path: '/incidents/stream', headOnly: true }),
  'GET /incidents/count': () => ({ method: 'GET', path: '/incidents/count' }),
  'POST /incidents': (fixture, column) => ({ method: 'POST', path: '/incidents', body: { title: 'Filed in the matrix', description: 'Any caller may report.', categoryId: fixture.categories[targetOf(column)] } }),
  'GET /incidents/{id}': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}` }),
  'PATCH /incidents/{id}': async (fixture, column) => {
    const incident = await freshIncident(fixture, column);
    return { method: 'PATCH', path: `/incidents/${incident.id}`, body: { priority: 'HIGH', version: incident.version } };
  },
  'PATCH /incidents/{id}/assign': async (fixture, column) => {
    const incident = await freshIncident(fixture, column);
    const assignee = targetOf(column) === 'other' && !isReporterColumn(column) ? fixture.people.staffOther : fixture.people.staff2;
    return { method: 'PATCH', path: `/incidents/${incident.id}/assign`, body: { assigneeId: assignee.id, version: incident.version } };
  },
  'POST /incidents/{id}/waiting': async (fixture, column) => {
    const incident = await startedIncident(fixture, column);
    return { method: 'POST', path: `/incidents/${incident.id}/waiting`, body: { message: 'Which floor are you on?' } };
  },
  'DELETE /incidents/{id}/waiting': async (fixture, column) => {
    const incident = await startedIncident(fixture, column);
    const asked = await fixture.admin.call('POST', `/incidents/${incident.id}/waiting`, { message: 'Which floor are you on?' });
    assert.equal(asked.status, 200);
    return { method: 'DELETE', path: `/incidents/${incident.id}/waiting` };
  },
  'POST /incidents/{id}/attachments': (fixture, column) => ({ method: 'POST', path: `/incidents/${incidentFor(fixture, column).id}/attachments`, upload: { name: 'matrix.log', content: 'a line from the matrix\n' } }),
  'GET /incidents/{id}/attachments': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/attachments` }),
  'GET /attachments/{attachmentId}': (fixture, column) => ({ method: 'GET', path: `/attachments/${fixture.attachments.get(incidentFor(fixture, column).id)!}` }),
  'GET /attachments/{attachmentId}/content': (fixture, column) => ({ method: 'GET', path: `/attachments/${fixture.attachments.get(incidentFor(fixture, column).id)!}/content` }),
  'GET /attachments/{attachmentId}/thumbnail': (fixture, column) => ({ method: 'GET', path: `/attachments/${fixture.attachments.get(incidentFor(fixture, column).id)!}/thumbnail` }),
  // A fresh attachment each time, uploaded by the incident's reporter.
  'DELETE /attachments/{attachmentId}': async (fixture, column) => {
    const incident = incidentFor(fixture, column);
    const uploader = incident.id === fixture.incidents.reporterOwn.id ? fixture.people.reporter : fixture.people.reporter2;
    return { method: 'DELETE', path: `/attachments/${await fixture.attach(uploader, incident.id)}` };
  },
  'GET /incidents/{id}/watchers': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/watchers` }),
  'GET /incidents/{id}/watcher-candidates': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/watcher-candidates?q=Matrix` }),
  // Adding someone else (a member of staff of department A): the reporter's right on their own incident too.
  'PUT /incidents/{id}/watchers/{userId}': async (fixture, column) => {
    const incident = await freshIncident(fixture, column);
    return { method: 'PUT', path: `/incidents/${incident.id}/watchers/${fixture.people.staff2.id}` };
  },
  'DELETE /incidents/{id}/watchers/{userId}': async (fixture, column) => {
    const incident = await freshIncident(fixture, column);
    assert.equal((await fixture.admin.call('PUT', `/incidents/${incident.id}/watchers/${fixture.people.staff2.id}`)).status, 201);
    return { method: 'DELETE', path: `/incidents/${incident.id}/watchers/${fixture.people.staff2.id}` };
  },
  'GET /incidents/{id}/mentionable': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/mentionable` }),
  'GET /incidents/{id}/links': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/links` }),
  // Two fresh incidents of the same reporter and department, linked as related.
  'POST /incidents/{id}/links': async (fixture, column) => {
    const [incident, other] = await Promise.all([freshIncident(fixture, column), freshIncident(fixture, column)]);
    return { method: 'POST', path: `/incidents/${incident.id}/links`, body: { type: 'related', targetId: other.id } };
  },
  'DELETE /incidents/{id}/links/{linkId}': async (fixture, column) => {
    const [incident, other] = await Promise.all([freshIncident(fixture, column), freshIncident(fixture, column)]);
    const link = await fixture.admin.call<{ id: string }>('POST', `/incidents/${incident.id}/links`, { type: 'related', targetId: other.id });
    assert.equal(link.status, 201);
    return { method: 'DELETE', path: `/incidents/${incident.id}/links/${link.body.id}` };
  },
  'GET /incidents/{id}/major': async (fixture, column) => ({ method: 'GET', path: `/incidents/${(await majorIncident(fixture, column)).id}/major` }),
  'POST /incidents/{id}/major': async (fixture, column) => {
    const incident = await freshIncident(fixture, column);
    return { method: 'POST', path: `/incidents/${incident.id}/major`, body: { summary: 'Declared in the matrix.' } };
  },
  'POST /incidents/{id}/major/updates': async (fixture, column) => ({
    method: 'POST',
    path: `/incidents/${(await majorIncident(fixture, column)).id}/major/updates`,
    body: { message: 'An update from the matrix.' },
  }),
  'PUT /incidents/{id}/review': async (fixture, column) => ({
    method: 'PUT',
    path: `/incidents/${(await majorIncident(fixture, column)).id}/review`,
    body: { whatHappened: 'The matrix asked.', impact: 'None.', followUps: 'None.' },
  }),
  'GET /major-incidents': () => ({ method: 'GET', path: '/major-incidents' }),
  'GET /incidents/{id}/satisfaction': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/satisfaction` }),
  'PUT /incidents/{id}/satisfaction': async (fixture, column) => ({ method: 'PUT', path: `/incidents/${(await resolvedIncident(fixture, column)).id}/satisfaction`, body: { rating: 4 } }),
  // The token is the credential: the mail's link for a fresh resolved incident of R1.
  'PUT /satisfaction/{token}': async (fixture) => {
    const incident = await resolvedIncident(fixture, 'reporter (own)');
    const token = await signSatisfactionLink(fixture.platform.satisfactionLinkSecret, { incidentId: incident.id, reporterId: fixture.people.reporter.id });
    return { method: 'PUT', path: `/satisfaction/${token}`, body: { rating: 5 } };
  },
  'POST /incidents/{id}/comments': (fixture, column) => ({ method: 'POST', path: `/incidents/${incidentFor(fixture, column).id}/comments`, body: { content: 'A word from the matrix.' } }),
  'GET /incidents/{id}/comments': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/comments` }),
  'GET /incidents/{id}/comments/{commentId}': (fixture, column) => {
    const incident = incidentFor(fixture, column);
    return { method: 'GET', path: `/incidents/${incident.id}/comments/${fixture.comments.get(incident.id)!}` };
  },
  'GET /incidents/{id}/people': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/people` }),
  'GET /incidents/{id}/timeline': (fixture, column) => ({ method: 'GET', path: `/incidents/${incidentFor(fixture, column).id}/timeline` }),

  // Categories, SLA policies.
  'GET /categories': () => ({ method: 'GET', path: '/categories' }),
  'POST /categories': (fixture, column) => ({ method: 'POST', path: '/categories', body: { name: `Matrix category ${unique()}`, departmentId: fixture.departments[targetOf(column)] } }),
  'GET /categories/{id}': (fixture, column) => ({ method: 'GET', path: `/categories/${fixture.categories[targetOf(column)]}` }),
  'PATCH /categories/{id}': (fixture, column) => ({ method: 'PATCH', path: `/categories/${fixture.categories[targetOf(column)]}`, body: { description: `Described ${unique()}` } }),
  'GET /sla-policies': () => ({ method: 'GET', path: '/sla-policies' }),
  'PUT /sla-policies/{priority}': () => ({ method: 'PUT', path: '/sla-policies/LOW', body: { responseMinutes: 240, resolutionMinutes: 2880 } }),

  // Desk operations: calendars and the priority matrix.
  'GET /calendars': () => ({ method: 'GET', path: '/calendars' }),
  'POST /calendars': () => ({ method: 'POST', path: '/calendars', body: { name: `Matrix calendar ${unique()}`, timeZone: 'UTC', week: { monday: [{ start: '08:00', end: '16:00' }] } } }),
  'GET /calendars/{id}': async (fixture) => ({ method: 'GET', path: `/calendars/${await freshCalendar(fixture)}` }),
  'PATCH /calendars/{id}': async (fixture) => ({ method: 'PATCH', path: `/calendars/${await freshCalendar(fixture)}`, body: { holidays: [{ date: '2026-12-25', name: 'Christmas Day' }] } }),
  'DELETE /calendars/{id}': async (fixture) => ({ method: 'DELETE', path: `/calendars/${await freshCalendar(fixture)}` }),
  'PUT /calendars/assignments/{departmentId}': (fixture, column) => ({ method: 'PUT', path: `/calendars/assignments/${fixture.departments[targetOf(column)]}`, body: { calendarId: null } }),
  'GET /priority-matrix': () => ({ method: 'GET', path: '/priority-matrix' }),
  'GET /escalation-rules': () => ({ method: 'GET', path: '/escalation-rules' }),
  'POST /escalation-rules': () => ({ method: 'POST', path: '/escalation-rules', body: { name: `Matrix rule ${unique()}`, priority: 'LOW', target: 'resolution', thresholdPercent: 90, isActive: false } }),
  'PATCH /escalation-rules/{id}': async (fixture) => ({ method: 'PATCH', path: `/escalation-rules/${await freshRule(fixture)}`, body: { thresholdPercent: 85 } }),
  'DELETE /escalation-rules/{id}': async (fixture) => ({ method: 'DELETE', path: `/escalation-rules/${await freshRule(fixture)}` }),
  'GET /availability': (fixture, column) => ({ method: 'GET', path: `/availability?departmentId=${fixture.departments[targetOf(column)]}` }),
  // Staff ask for themselves (their own switch); everyone else for a member of staff of the target department.
  'PUT /availability/{userId}': (fixture, column) => {
    const person = column === 'staff (own dept)' ? fixture.people.staff : targetOf(column) === 'own' || isReporterColumn(column) ? fixture.people.staff2 : fixture.people.staffOther;
    return { method: 'PUT', path: `/availability/${person.id}`, body: { available: true } };
  },
  'PUT /priority-matrix': async (fixture) => {
    const current = await fixture.admin.call<{ matrix: unknown }>('GET', '/priority-matrix');
    return { method: 'PUT', path: '/priority-matrix', body: { matrix: current.body.matrix } };
  },

  // People and departments.
  'GET /departments': () => ({ method: 'GET', path: '/departments' }),
  'POST /departments': () => ({ method: 'POST', path: '/departments', body: { name: `Matrix department ${unique()}` } }),
  'GET /departments/{id}': (fixture, column) => ({ method: 'GET', path: `/departments/${fixture.departments[targetOf(column)]}` }),
  'PATCH /departments/{id}': (fixture, column) => ({ method: 'PATCH', path: `/departments/${fixture.departments[targetOf(column)]}`, body: { description: `Described ${unique()}` } }),
  'GET /users': () => ({ method: 'GET', path: '/users' }),
  'GET /users/count': () => ({ method: 'GET', path: '/users/count' }),
  'POST /users': (fixture, column) => ({ method: 'POST', path: '/users', body: { email: `matrix-made-${unique()}@example.com`, password: PASSWORD, fullName: 'Made Here', role: 'staff', departmentId: fixture.departments[targetOf(column)] } }),
  'GET /users/{id}': (fixture, column) => ({ method: 'GET', path: `/users/${userFor(fixture, column).id}` }),
  'POST /users/{id}/password-reset': async (fixture, column) => {
    const user = await fixture.newUser(isReporterColumn(column) || targetOf(column) === 'own' ? 'own' : 'other');
    return { method: 'POST', path: `/users/${user.id}/password-reset` };
  },
  'GET /users/{id}/mfa': (fixture, column) => ({ method: 'GET', path: `/users/${userFor(fixture, column).id}/mfa` }),
  'POST /users/{id}/mfa-reset': async (fixture, column) => {
    const user = await fixture.newUser(isReporterColumn(column) || targetOf(column) === 'own' ? 'own' : 'other');
    await enrol(fixture, user);
    return { method: 'POST', path: `/users/${user.id}/mfa-reset` };
  },
  // Choosing one's language: a fresh person of the column's role, so the matrix's people keep theirs.
  'PUT /users/me/locale': async (fixture, column) => {
    const caller = await fixture.newCaller(column);
    return { method: 'PUT', path: '/users/me/locale', body: { locale: 'de' }, ...(caller ? { callerToken: caller.token } : {}) };
  },
  'PATCH /users/{id}': async (fixture, column) => {
    // Reporters on themselves: the fixture's own reporter (a name change ends no session).
    const user = column === 'reporter (own)' ? fixture.people.reporter : await fixture.newUser(isReporterColumn(column) || targetOf(column) === 'own' ? 'own' : 'other');
    return { method: 'PATCH', path: `/users/${user.id}`, body: { fullName: `Renamed ${unique()}` } };
  },

  // Service accounts.
  'GET /service-accounts': () => ({ method: 'GET', path: '/service-accounts' }),
  'POST /service-accounts': () => ({ method: 'POST', path: '/service-accounts', body: { name: `Matrix made ${unique()}`, scopes: ['incidents:read'] } }),
  'GET /service-accounts/{id}': async (fixture) => {
    const account = await fixture.admin.call<{ id: string }>('POST', '/service-accounts', { name: `Matrix seen ${unique()}`, scopes: ['incidents:read'] });
    return { method: 'GET', path: `/service-accounts/${account.body.id}` };
  },
  'POST /service-accounts/{id}/secret': async (fixture) => {
    const account = await fixture.admin.call<{ id: string }>('POST', '/service-accounts', { name: `Matrix rotated ${unique()}`, scopes: ['incidents:read'] });
    return { method: 'POST', path: `/service-accounts/${account.body.id}/secret` };
  },
  'DELETE /service-accounts/{id}': async (fixture) => {
    const account = await fixture.admin.call<{ id: string }>('POST', '/service-accounts', { name: `Matrix revoked ${unique()}`, scopes: ['incidents:read'] });
    return { method: 'DELETE', path: `/service-accounts/${account.body.id}` };
  },

  // Notifications: the caller's own, always.
  'GET /notifications': () => ({ method: 'GET', path: '/notifications' }),
  'POST /notifications/{id}/read': () => ({ method: 'POST', path: `/notifications/${randomUUID()}/read` }),
  'POST /notifications/read-all': () => ({ method: 'POST', path: '/notifications/read-all' }),
  'GET /notifications/preferences': () => ({ method: 'GET', path: '/notifications/preferences' }),
  'PUT /notifications/preferences': () => ({ method: 'PUT', path: '/notifications/preferences', body: { items: [{ eventType: 'incident.commented', email: false, inApp: true }] } }),
  'GET /notifications/stream': () => ({ method: 'GET', path: '/notifications/stream', headOnly: true }),
  'GET /notifications/deliveries': () => ({ method: 'GET', path: '/notifications/deliveries' }),

  // Webhooks (notification-service): admins only.
  'GET /inbound-mails': () => ({ method: 'GET', path: '/inbound-mails' }),
  'GET /webhooks': () => ({ method: 'GET', path: '/webhooks' }),
  'POST /webhooks': () => ({ method: 'POST', path: '/webhooks', body: { url: `https://matrix-hooks-${unique()}.invalid/desk`, events: ['incident.review_written'] } }),
  'GET /webhooks/{id}': async (fixture) => ({ method: 'GET', path: `/webhooks/${await newWebhook(fixture)}` }),
  'PATCH /webhooks/{id}': async (fixture) => ({ method: 'PATCH', path: `/webhooks/${await newWebhook(fixture)}`, body: { description: `Described ${unique()}` } }),
  'DELETE /webhooks/{id}': async (fixture) => ({ method: 'DELETE', path: `/webhooks/${await newWebhook(fixture)}` }),
  'POST /webhooks/{id}/rotate-secret': async (fixture) => ({ method: 'POST', path: `/webhooks/${await newWebhook(fixture)}/rotate-secret`, body: {} }),
  'GET /webhooks/{id}/deliveries': async (fixture) => ({ method: 'GET', path: `/webhooks/${await newWebhook(fixture)}/deliveries` }),
  'POST /webhooks/{id}/deliveries/{deliveryId}/redeliver': async (fixture) => {
    const { webhookId, deliveryId } = await webhookDelivery(fixture);
    return { method: 'POST', path: `/webhooks/${webhookId}/deliveries/${deliveryId}/redeliver` };
  },

  // Analytics.
  'GET /analytics/summary': () => ({ method: 'GET', path: '/analytics/summary' }),
  'GET /analytics/trends': () => ({ method: 'GET', path: '/analytics/trends' }),
  'GET /analytics/workload': () => ({ method: 'GET', path: '/analytics/workload' }),
  'GET /analytics/satisfaction': () => ({ method: 'GET', path: '/analytics/satisfaction' }),
  'GET /analytics/export.csv': () => ({ method: 'GET', path: '/analytics/export.csv' }),
  'POST /analytics/rebuild': () => ({ method: 'POST', path: '/analytics/rebuild' }),

  // The audit trail.
  'GET /admin/audit': () => ({ method: 'GET', path: '/admin/audit' }),

  // The gateway's parked events.
  'GET /admin/events/parked': () => ({ method: 'GET', path: '/admin/events/parked' }),
  'GET /admin/events/parked/{id}': () => ({ method: 'GET', path: `/admin/events/parked/${randomUUID()}` }),
  'DELETE /admin/events/parked/{id}': () => ({ method: 'DELETE', path: `/admin/events/parked/${randomUUID()}`, body: { reason: 'Looked at in the matrix.' } }),
  'POST /admin/events/parked/{id}/replay': () => ({ method: 'POST', path: `/admin/events/parked/${randomUUID()}/replay` }),
  'POST /admin/events/parked/replay': () => ({ method: 'POST', path: '/admin/events/parked/replay', body: { consumer: 'notification-service', type: 'incident.assigned' } }),

  // The portal's spans, uploaded from the browser.
  'POST /telemetry/traces': () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = { traceId: randomUUID().replaceAll('-', ''), spanId: randomUUID().replaceAll('-', '').slice(0, 16), name: 'Report an incident', kind: 1, startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now) };
    return { method: 'POST', path: '/telemetry/traces', body: { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] } };
  },
};

/** What came back: `201`, or a refusal with its problem code (`403 AUTH.FORBIDDEN`). */
export async function ask(fixture: Fixture, request: MatrixRequest, token: string | undefined): Promise<string> {
  const controller = new AbortController();
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let body: string | undefined;
  let multipart: FormData | undefined;
  if (request.upload) {
    multipart = new FormData();
    for (const [name, value] of Object.entries(request.upload.fields ?? {})) multipart.append(name, value);
    multipart.append('file', new Blob([request.upload.content], { type: 'text/plain' }), request.upload.name);
  } else if (request.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  } else if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  const payload = multipart ?? body;
  const response = await fetch(`${fixture.platform.gatewayUrl}${request.path}`, { method: request.method, headers, signal: controller.signal, ...(payload === undefined ? {} : { body: payload }) });
  if (request.headOnly && response.ok) {
    controller.abort();
    return String(response.status);
  }
  const text = await response.text();
  if (response.ok) return String(response.status);
  let code = '';
  try {
    code = (JSON.parse(text) as { code?: string; error?: string }).code ?? (JSON.parse(text) as { error?: string }).error ?? '';
  } catch {
    // not JSON
  }
  return code ? `${response.status} ${code}` : String(response.status);
}
