import type { Logger } from 'pino';
import type { UpstreamName } from './routes.js';

type Document = { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> } };

const GATEWAY_PATHS = {
  '/health': {
    get: {
      operationId: 'getHealth',
      summary: 'Health of the gateway and of each service and its database',
      tags: ['Platform'],
      security: [],
      responses: {
        '200': { description: 'Everything is up.', content: { 'application/json': { schema: { type: 'object' } } } },
        '503': { description: 'Something is down; `checks` names what and why.', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  },
};

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
    private readonly publicUrl?: string,
  ) {}

  async document(): Promise<Record<string, unknown>> {
    if (this.cached && Date.now() - this.cached.at < 60_000) return this.cached.document;
    const paths: Record<string, unknown> = { ...GATEWAY_PATHS };
    const schemas: Record<string, unknown> = {};
    const missing: string[] = [];
    await Promise.all(
      (Object.entries(this.upstreams) as [UpstreamName, string | undefined][]).map(async ([name, url]) => {
        if (!url) return;
        try {
          const response = await fetch(new URL('/openapi.json', url), { signal: AbortSignal.timeout(3_000) });
          if (!response.ok) throw new Error(`answered ${response.status}`);
          const document = (await response.json()) as Document;
          Object.assign(paths, document.paths ?? {});
          Object.assign(schemas, document.components?.schemas ?? {});
        } catch (error) {
          missing.push(name);
          this.logger.warn({ upstream: name, err: error }, 'could not fetch the API description of a service');
        }
      }),
    );
    const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
    const document = {
      openapi: '3.1.0',
      info: {
        title: 'Incident platform API',
        version: '1.0.0',
        description:
          'The public API of the incident platform, through its gateway. Sign in with `POST /auth/login` (or `POST /auth/token` for OAuth clients and service accounts) and send the access token as `Authorization: Bearer <token>`. Errors are `application/problem+json` with a stable `code`.' +
          (missing.length > 0 ? `\n\nNot shown right now (not reachable): ${missing.join(', ')}.` : ''),
      },
      ...(this.publicUrl ? { servers: [{ url: this.publicUrl }] } : {}),
      paths: sortedPaths,
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        schemas,
      },
    };
    if (missing.length === 0) this.cached = { document, at: Date.now() };
    return document;
  }
}
