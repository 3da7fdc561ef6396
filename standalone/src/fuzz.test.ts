import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { PROBLEM_CATALOG, problemDetailsSchema, type ProblemCode } from '@desk/contracts';
import { seededRandom } from '@desk/platform';
import { seedDemo } from './demo-seed.js';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

// A schema-driven fuzz of the public API, through the gateway, against the real platform
// (every service, Postgres, RabbitMQ) seeded with the demo organisation. Requests are generated
// from the gateway's own /openapi.json — valid values from the schemas and their examples, then
// mutated: wrong types, NUL characters, huge numbers, missing and unknown fields, JSON
// primitives, wrong content types, unknown query parameters — for every operation and as every
// kind of caller. Whatever comes back must be a documented status of that operation, never a
// 5xx, and every 4xx a problem+json. `npm test` runs one fixed seed, so a failure replays;
// FUZZ_SEED=<n> explores others (each run prints its seed).

const SEED = Number(process.env.FUZZ_SEED || 20_261_204);
const REQUESTS_PER_OPERATION = Number(process.env.FUZZ_REQUESTS_PER_OPERATION ?? 24);
const CONCURRENCY = 6;

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  template: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }[];
  body?: { contentType: string; schema: Schema };
  statuses: Set<string>;
}


let platform: RunningPlatform;
let document: { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };
const tokens: Record<string, string | undefined> = { anonymous: undefined };
const known = { incidentIds: [] as string[], incidentKeys: [] as string[], commentIds: [] as string[], categoryIds: [] as string[], departmentIds: [] as string[], userIds: [] as string[] };

before(async () => {
  platform = await startPlatform({ gateway: { RATE_LIMIT_PER_MINUTE: '100000', AUTH_RATE_LIMIT_PER_MINUTE: '100000', ADDRESS_RATE_LIMIT_PER_MINUTE: '100000' } });
  await seedDemo({ identityUrl: platform.identityUrl, incidentUrl: platform.incidentUrl }, ADMIN, () => undefined);
  document = (await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json()) as typeof document;

  const admin = new ApiClient(platform.gatewayUrl);
  await admin.signIn(ADMIN.email, ADMIN.password);
  tokens.admin = admin.token;
  for (const [role, email] of [
    ['manager', 'manager.it@example.com'],
    ['staff', 'staff1.it@example.com'],
    ['reporter', 'reporter1.it@example.com'],
  ] as const) {
    const client = new ApiClient(platform.gatewayUrl);
    known.userIds.push((await client.signIn(email, 'demo-password-2026')).id);
    tokens[role] = client.token;
  }
  const account = await admin.call<{ clientId: string; clientSecret: string }>('POST', '/service-accounts', { name: 'Fuzz monitor', scopes: ['incidents:read', 'incidents:write', 'users:read', 'analytics:read'] });
  const grant = await fetch(`${platform.gatewayUrl}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: account.body.clientId, client_secret: account.body.clientSecret }),
  });
  tokens.service = ((await grant.json()) as { access_token: string }).access_token;

  const incidents = await admin.call<{ items: { id: string; key: string }[] }>('GET', '/incidents?limit=100');
  known.incidentIds = incidents.body.items.map((incident) => incident.id);
  known.incidentKeys = incidents.body.items.map((incident) => incident.key);
  for (const id of known.incidentIds.slice(0, 6)) {
    const comments = await admin.call<{ items: { id: string }[] }>('GET', `/incidents/${id}/comments`);
    known.commentIds.push(...comments.body.items.map((comment) => comment.id));
  }
  known.categoryIds = (await admin.call<{ items: { id: string }[] }>('GET', '/categories')).body.items.map((category) => category.id);
  known.departmentIds = (await admin.call<{ items: { id: string }[] }>('GET', '/departments')).body.items.map((department) => department.id);
});
after(() => platform?.close());

function operationsOf(): Operation[] {
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const operation = raw as { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, unknown> };
      const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      operations.push({
        method: method.toUpperCase(),
        template,
        parameters: operation.parameters ?? [],
        ...(contentType && media ? { body: { contentType, schema: media.schema } } : {}),
        statuses: new Set(Object.keys(operation.responses)),
      });
    }
  }
  return operations;
}

function generator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const resolve = (schema: Schema): Schema => {
    const reference = schema.$ref;
    return typeof reference === 'string' ? resolve(document.components.schemas[reference.split('/').pop()!]!) : schema;
  };
  const strangeStrings = ['', ' ', 'a\u0000b', '\u0000', 'x'.repeat(5_000), '💥 ünïcødé', '<script>alert(1)</script>', "'; drop table incidents; --", '../../etc/passwd', '%00', 'null', '1e309', '-1', '9'.repeat(40)];
  const strangeValues: unknown[] = [null, true, 0, -1, 1e308, 2 ** 53 + 2, 3.5, [], {}, ['x'], { nested: { deep: 1 } }];

  function sample(raw: Schema, depth = 0): unknown {
    const schema = resolve(raw);
    const examples = schema.examples;
    if (Array.isArray(examples) && examples.length > 0 && chance(0.6)) return structuredClone(examples[Math.floor(random() * examples.length)]);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return pick(schema.enum);
    for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(schema[key])) return sample(pick(schema[key] as Schema[]), depth);
    if (Array.isArray(schema.allOf)) return sample((schema.allOf as Schema[])[0]!, depth);
    const type = Array.isArray(schema.type) ? pick((schema.type as string[]).filter((t) => t !== 'null').concat(chance(0.1) ? ['null'] : [])) : schema.type;
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return chance(0.5);
      case 'integer':
      case 'number': {
        const minimum = typeof schema.minimum === 'number' ? schema.minimum : 0;
        const maximum = typeof schema.maximum === 'number' ? schema.maximum : minimum + 100;
        const value = minimum + random() * (maximum - minimum);
        return type === 'integer' ? Math.floor(value) : value;
      }
      case 'array': {
        const items = schema.items as Schema | undefined;
        const count = depth > 3 || !items ? 0 : Math.max(Number(schema.minItems ?? 0), Math.floor(random() * 3));
        return Array.from({ length: count }, () => sample(items!, depth + 1));
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        const value: Record<string, unknown> = {};
        if (depth > 4) return value;
        for (const [name, property] of Object.entries(properties)) if (required.has(name) || chance(0.5)) value[name] = sample(property, depth + 1);
        return value;
      }
      default: {
        switch (schema.format) {
          case 'uuid':
            return pick([...known.incidentIds, ...known.categoryIds, ...known.departmentIds, ...known.userIds, randomUUID()]);
          case 'date-time':
            return new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 3e10)).toISOString();
          case 'date':
            return `2026-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
          case 'email':
            return `fuzz-${Math.floor(random() * 1e9)}@example.com`;
          default: {
            const minLength = Number(schema.minLength ?? 1);
            return `fuzz ${Math.floor(random() * 1e9)}`.padEnd(minLength, 'x').slice(0, Number(schema.maxLength ?? 200));
          }
        }
      }
    }
  }

  /** The value, or one broken in one of the ways clients break them. */
  function mutate(value: unknown): unknown {
    if (chance(0.5)) return value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && chance(0.7)) {
      const copy = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      switch (Math.floor(random() * 4)) {
        case 0:
          if (keys.length > 0) delete copy[pick(keys)];
          break;
        case 1:
          copy[`unknown${Math.floor(random() * 100)}`] = pick(strangeValues);
          break;
        case 2:
          if (keys.length > 0) copy[pick(keys)] = pick([...strangeStrings, ...strangeValues]);
          break;
        default:
          if (keys.length > 0) copy[pick(keys)] = mutate(copy[pick(keys)]);
      }
      return copy;
    }
    return pick([...strangeStrings, ...strangeValues]);
  }

  function pathValue(name: string, schema: Schema, template: string): string {
    const strange = ['garbage', 'INC-999999999', '00000000-0000-0000-0000-000000000000', '%00', 'a%2Fb', '9'.repeat(30)];
    if (chance(0.25)) return pick(strange);
    if (name === 'commentId') return pick(known.commentIds.length > 0 ? known.commentIds : [randomUUID()]);
    if (name === 'priority') return String(sample(schema));
    if (template.startsWith('/incidents')) return pick([...known.incidentIds, ...known.incidentKeys]);
    if (template.startsWith('/categories')) return pick([...known.categoryIds, randomUUID()]);
    if (template.startsWith('/departments')) return pick([...known.departmentIds, randomUUID()]);
    if (template.startsWith('/users')) return pick([...known.userIds, randomUUID()]);
    return randomUUID();
  }

  function queryValue(schema: Schema): string {
    if (chance(0.25)) return String(pick(strangeStrings));
    const value = sample(schema);
    if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(',');
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  return { pick, chance, sample, mutate, pathValue, queryValue };
}

interface Outcome {
  request: string;
  status: number;
  problem: string | undefined;
}

test(`the public API, fuzzed from its own OpenAPI document (seed ${SEED}): no 5xx, every 4xx problem+json, every status documented`, { timeout: 240_000 }, async () => {
  const random = seededRandom(SEED);
  const g = generator(random);
  const operations = operationsOf();
  const roles = Object.keys(tokens);
  const requests: { operation: Operation; build: () => { url: string; init: RequestInit; label: string } }[] = [];

  for (const operation of operations) {
    for (let i = 0; i < REQUESTS_PER_OPERATION; i++) {
      const role = roles[i % roles.length]!;
      requests.push({
        operation,
        build: () => {
          let path = operation.template;
          const query = new URLSearchParams();
          const headers: Record<string, string> = {};
          for (const parameter of operation.parameters) {
            if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(g.pathValue(parameter.name, parameter.schema, operation.template)).replace(/%25/g, '%'));
            else if (parameter.in === 'query' && (parameter.required || g.chance(0.4))) query.set(parameter.name, g.queryValue(parameter.schema));
            else if (parameter.in === 'header' && g.chance(0.3)) headers[parameter.name] = g.pick(['"1"', '*', '"1", "2"', 'W/"3"', 'garbage', `fuzz-${Math.floor(random() * 1e9)}`]);
          }
          if (g.chance(0.15)) query.set(`unknown${Math.floor(random() * 10)}`, 'x');
          if (tokens[role]) headers.Authorization = `Bearer ${tokens[role]}`;
          else if (g.chance(0.2)) headers.Authorization = g.pick(['Bearer garbage', 'Basic Zm9vOmJhcg==', 'Bearer ']);
          let body: string | undefined;
          if (operation.body) {
            const value = g.mutate(g.sample(operation.body.schema));
            const form = operation.body.contentType === 'application/x-www-form-urlencoded';
            const type = g.chance(0.12) ? g.pick(['text/plain', 'application/xml', undefined, form ? 'application/json' : 'application/x-www-form-urlencoded']) : operation.body.contentType;
            if (type) headers['Content-Type'] = type;
            body =
              form && value !== null && typeof value === 'object'
                ? new URLSearchParams(Object.entries(value as Record<string, unknown>).map(([key, item]): [string, string] => [key, String(item)])).toString()
                : g.chance(0.05)
                  ? '{"broken": '
                  : JSON.stringify(value);
          }
          const queryString = query.toString();
          const url = `${path}${queryString ? `?${queryString}` : ''}`;
          return {
            url: `${platform.gatewayUrl}${url}`,
            init: { method: operation.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(15_000) },
            label: `${role} ${operation.method} ${url.slice(0, 300)} ${JSON.stringify(headers).replace(/Bearer [^"]+/g, 'Bearer …').slice(0, 200)} ${body?.slice(0, 300) ?? ''}`,
          };
        },
      });
    }
  }

  const failures: string[] = [];
  const outcomes: Outcome[] = [];
  /** Each problem type met, and its code: every one must resolve to its page. */
  const types = new Map<string, string>();
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { operation, build } = requests[next++]!;
      const { url, init, label } = build();
      const response = await fetch(url, init);
      const contentType = response.headers.get('content-type') ?? '';
      // a stream that was opened is not read to its end
      const text = contentType.startsWith('text/event-stream') ? (await response.body?.cancel(), '') : await response.text();
      let problem: string | undefined;
      if (response.status >= 500) failures.push(`${response.status} for ${label}\n    → ${text.slice(0, 300)}`);
      if (!operation.statuses.has(String(response.status))) failures.push(`undocumented ${response.status} for ${label}\n    → ${text.slice(0, 300)}`);
      if (response.status >= 400) {
        if (!contentType.startsWith('application/problem+json') && !(operation.template === '/auth/token' && contentType.startsWith('application/json'))) {
          failures.push(`${response.status} not problem+json (${contentType}) for ${label}`);
        } else if (contentType.startsWith('application/problem+json')) {
          const parsed = problemDetailsSchema.safeParse(JSON.parse(text));
          if (!parsed.success) failures.push(`${response.status} problem does not match the schema for ${label}: ${text.slice(0, 200)}`);
          else {
            problem = parsed.data.code;
            types.set(parsed.data.type, problem);
            const entry = PROBLEM_CATALOG[problem as ProblemCode] as { status: number; title: string } | undefined;
            if (!entry) failures.push(`${problem} is not in the problem catalogue, for ${label}`);
            else if (entry.status !== response.status || entry.title !== parsed.data.title) failures.push(`${problem} answered ${response.status} "${parsed.data.title}", its page says ${entry.status} "${entry.title}", for ${label}`);
          }
        }
      }
      outcomes.push({ request: label, status: response.status, problem });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  for (const [type, code] of types) {
    // A problem's type is a URI reference, resolved against the API's origin.
    const page = await fetch(new URL(type, platform.gatewayUrl), { headers: { Accept: 'application/json' } });
    const body = page.ok ? ((await page.json()) as { code?: string }) : {};
    if (body.code !== code) failures.push(`the type ${type} of ${code} does not resolve to its page (${page.status})`);
  }

  const byStatus = new Map<number, number>();
  for (const outcome of outcomes) byStatus.set(outcome.status, (byStatus.get(outcome.status) ?? 0) + 1);
  process.stdout.write(
    `fuzz: seed ${SEED}, ${outcomes.length} requests over ${operations.length} operations and ${roles.length} callers in ${seconds.toFixed(1)} s; ${types.size} problem types, each resolved; statuses ${[...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}\n`,
  );
  assert.ok(outcomes.length >= 1_000, `at least 1,000 requests (${outcomes.length})`);
  assert.ok([...byStatus.keys()].some((status) => status < 300), 'some requests succeed: the generator makes valid ones too');
  assert.deepEqual(failures.slice(0, 25), [], `${failures.length} failure(s) with FUZZ_SEED=${SEED}`);
});
