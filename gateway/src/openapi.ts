import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '@desk/contracts';
import { SchemaComponents, componentSchema, openApiDocument } from '@desk/platform';
import type { Logger } from 'pino';
import { eventsAdminApi } from './admin-events.js';
import { browserTracesApi } from './browser-traces.js';
import type { UpstreamName } from './routes.js';

type Document = {
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
};

const PLATFORM_TAG = { name: 'Platform', description: 'The gateway itself: the health of the platform, and this reference (`/openapi.json`, rendered at `/docs`).' };

const HEALTH_SCHEMAS = {
  HealthReport: {
    type: 'object',
    description: 'The platform\'s state and each service\'s, nothing more: reasons, hosts and timings are on the gateway\'s internal port (INTERNAL_PORT) only.',
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'down'], description: '`ok` when everything is up, `degraded` when a service serves on with a reported check down, `down` when any service is.' },
      services: {
        type: 'object',
        additionalProperties: { type: 'string', enum: ['up', 'degraded', 'down'] },
        description: 'One entry per service the gateway routes to.',
      },
    },
    required: ['status', 'services'],
    additionalProperties: false,
    examples: [{ status: 'ok', services: { 'identity-service': 'up', 'incident-service': 'up', 'notification-service': 'degraded', 'analytics-service': 'up' } }],
  },
};

const healthResponse = (description: string, example: unknown) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/HealthReport' }, example } },
});

/** The Problem component, as every service's document names it: the gateway's own answers are problems too. */
const problemComponents = new SchemaComponents();
const problemSchema = componentSchema(problemDetailsSchema, 'output', problemComponents);
const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } });

const GATEWAY_PATHS = {
  '/health': {
    get: {
      operationId: 'getHealth',
      summary: 'Health of the platform and of each service',
      description:
        'For load balancers and status pages: no token needed, never cached. `503` when any service (or its database) is down. ' +
        'States only (`up`, `degraded`, `down`); the reasons, timings and metrics (`/metrics`) are served on the gateway\'s internal port, never here.',
      tags: [PLATFORM_TAG.name],
      security: [],
      responses: {
        '200': healthResponse('Everything is up.', HEALTH_SCHEMAS.HealthReport.examples[0]),
        '503': healthResponse('Something is down; `services` names what.', { status: 'down', services: { 'identity-service': 'up', 'incident-service': 'down' } }),
        // Answered before the rate limits: no 429 here.
        '405': problem('The path exists but not with this method; `Allow` lists the methods it has.'),
        '431': problem('The URL or the request headers are too long.'),
        '500': problem('An unexpected error; quote the requestId.'),
      },
    },
  },
};

export const API_INFO = {
  title: 'Incident platform API',
  version: '1.0.0',
  description:
    'The public API of the incident platform, through its gateway. Sign in with `POST /auth/login` (or `POST /auth/token` for OAuth clients and service accounts) and send the access token as `Authorization: Bearer <token>`. Errors are `application/problem+json` with a stable `code`. ' +
    'Every operation may meet the gateway\'s rate limit (`429` with `Retry-After`). A typed TypeScript client generated from this document is the `@desk/client` package.',
  contact: { name: 'Service desk platform team', email: 'platform-team@example.com' },
};

/**
 * The services' documents as one: their paths, tags and named schemas, with the gateway's own.
 * A schema name two services use must mean the same schema in both (they take them from
 * packages/contracts): a conflict is an error, never one silently replacing the other; so is a
 * path two services both claim.
 */
export function mergeApiDocuments(documents: { name: string; document: Document }[], options: { missing?: string[] } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = { ...GATEWAY_PATHS };
  const schemas: Record<string, unknown> = { ...HEALTH_SCHEMAS, ...problemComponents.schemas };
  const schemaOrigins: Record<string, string> = Object.fromEntries(Object.keys(schemas).map((name) => [name, 'gateway']));
  const tags = new Map([[PLATFORM_TAG.name, PLATFORM_TAG]]);
  // The gateway's own operations first: the admin API of parked events, the portal's span uploads.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the array of documents needs the one type the services share
  const own = [eventsAdminApi, browserTracesApi].map((api) => ({ name: 'gateway', document: openApiDocument(api) as Document }));
  for (const { name: service, document } of [...own, ...documents]) {
    for (const [path, operations] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        if (paths[path]?.[method]) throw new Error(`${method.toUpperCase()} ${path} is documented twice (again by ${service})`);
        paths[path] = { ...paths[path], [method]: operation };
      }
    }
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema)) {
        throw new Error(`The schema ${name} of ${service} differs from the one of ${schemaOrigins[name]}: one name, one schema`);
      }
      schemas[name] = schema;
      schemaOrigins[name] ??= service;
    }
    for (const tag of document.tags ?? []) tags.set(tag.name, { description: '', ...tag });
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const missing = options.missing ?? [];
  return {
    openapi: '3.1.0',
    info: { ...API_INFO, description: API_INFO.description + (missing.length > 0 ? `\n\nNot shown right now (not reachable): ${missing.join(', ')}.` : '') },
    // Relative to where the document was fetched from: the gateway, whatever its public address.
    servers: [{ url: '/', description: 'The gateway serving this document.' }],
    tags: [...tags.values()].sort((a, b) => a.name.localeCompare(b.name)),
    paths: sortedPaths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

/**
 * The whole public API as one OpenAPI 3.1 document: each service describes its own operations
 * from its zod contracts at `/openapi.json`; the gateway merges them, adding its own. Fetched
 * once a minute at most; a service that does not answer is left out until it does.
 */
export class ApiReference {
  private cached: { document: Record<string, unknown>; at: number } | null = null;

  constructor(
    private readonly upstreams: Partial<Record<UpstreamName, string>>,
    private readonly logger: Logger,
  ) {}

  async document(): Promise<Record<string, unknown>> {
    if (this.cached && Date.now() - this.cached.at < 60_000) return this.cached.document;
    const documents: { name: string; document: Document }[] = [];
    const missing: string[] = [];
    await Promise.all(
      (Object.entries(this.upstreams) as [UpstreamName, string | undefined][]).map(async ([name, url]) => {
        if (!url) return;
        try {
          const response = await fetch(new URL('/openapi.json', url), { signal: AbortSignal.timeout(3_000) });
          if (!response.ok) throw new Error(`answered ${response.status}`);
          documents.push({ name, document: (await response.json()) as Document });
        } catch (error) {
          missing.push(name);
          this.logger.warn({ upstream: name, err: error }, 'could not fetch the API description of a service');
        }
      }),
    );
    // The order services answer in must not change the document.
    documents.sort((a, b) => a.name.localeCompare(b.name));
    const document = mergeApiDocuments(documents, { missing: missing.sort() });
    if (missing.length === 0) this.cached = { document, at: Date.now() };
    return document;
  }
}
