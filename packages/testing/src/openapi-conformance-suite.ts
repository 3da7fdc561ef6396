import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import {
  UNDOCUMENTED,
  bodyIssueLocations,
  documentedRoutes,
  operations,
  registeredRoutes,
  type ListsRoutes,
  type OpenApiDocument,
  type Operation,
} from './openapi-conformance.js';
import { responseValidator } from './openapi-responses.js';

// The reference must list exactly what the service serves: every documented operation answers
// through the real app, and every route the app registers (but the internal and operational
// ones) is documented. One suite, run by every service's openapi.test.ts.

/** The service under test, as its openapi.test.ts starts it. */
export interface OpenApiTarget {
  /** The service's Express app: called through supertest, and its router walked for the routes it registers. */
  app: RequestListener;
  /** An access token every documented operation accepts (an admin's). */
  adminToken: string;
  close(): Promise<void>;
}

/** What the suite's own tests use, for the service's tests added with `extra`. Filled in `before`: read it inside tests only. */
export interface OpenApiConformanceContext<T extends OpenApiTarget> {
  target: T;
  /** `GET /openapi.json`, as served. */
  document: OpenApiDocument;
  /** supertest on `target.app`. */
  http: ReturnType<typeof request>;
}

export interface OpenApiConformanceOptions<T extends OpenApiTarget> {
  /**
   * Routes (`GET /incidents/{id}/timeline`) the route walk must find: routes of mounted routers
   * prove it sees mount paths, where the routers themselves only know `/:id/...`.
   */
  mustRegister?: string[];
  /** The service's own tests, run inside the suite's `describe` on the same target. */
  extra?: (context: OpenApiConformanceContext<T>) => void;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Parser = Parameters<request.Test['parse']>[0];

/** Operations answering `text/event-stream`: the stream never ends by itself. */
function streams(operation: Operation): boolean {
  return Object.values(operation.responses).some((response) => (response as { content?: Record<string, unknown> }).content?.['text/event-stream'] !== undefined);
}

/**
 * A supertest parser (`.buffer(true).parse(firstChunkOfEventStream)`) that reads a response as
 * supertest would (JSON parsed, anything else as text), but a `text/event-stream` only up to its
 * first chunk, then hangs up: the stream never ends by itself, and its headers come at once.
 * superagent hands the parser the IncomingMessage, though its types call it a Response.
 */
export const firstChunkOfEventStream = ((response: IncomingMessage, callback: (error: Error | null, body: unknown) => void): void => {
  const contentType = response.headers['content-type'] ?? '';
  let done = false;
  const finish = (error: Error | null, body: unknown) => {
    if (done) return;
    done = true;
    callback(error, body);
  };
  response.setEncoding('utf8');
  response.once('error', (error) => finish(error, undefined));
  if (/^text\/event-stream/i.test(contentType)) {
    response.once('data', (chunk: string) => {
      response.destroy();
      finish(null, chunk);
    });
    response.once('end', () => finish(null, ''));
    return;
  }
  let text = '';
  response.on('data', (chunk: string) => (text += chunk));
  response.once('end', () => {
    try {
      finish(null, /[/+]json\b/i.test(contentType) ? JSON.parse(text) : text);
    } catch (error) {
      finish(error as Error, undefined);
    }
  });
}) as unknown as Parser;

/** A stream whose first chunk does not come within this long fails the test instead of hanging it. */
const STREAM_DEADLINE_MS = 10_000;

/**
 * The OpenAPI conformance suite: `describe('the OpenAPI document of <service>')` with the tests
 * every service's reference must pass, then the service's own (`options.extra`). `setup` starts
 * the service (once, before the tests); `close` stops it after them.
 */
export function describeOpenApiConformance<T extends OpenApiTarget>(service: string, setup: () => Promise<T>, options: OpenApiConformanceOptions<T> = {}): void {
  void describe(`the OpenAPI document of ${service}`, () => {
    const context = {} as OpenApiConformanceContext<T>;

    /** Calls a documented operation through the real app: path parameters a random UUID, an empty body of the declared type. */
    function call(method: string, path: string, operation: Operation, callOptions: { token?: string; query?: string } = {}) {
      const url = path.replace(/\{\w+\}/g, () => randomUUID()) + (callOptions.query ?? '');
      let pending = context.http[method as Method](url);
      if (callOptions.token) pending = pending.set('Authorization', `Bearer ${callOptions.token}`);
      if (['post', 'put', 'patch'].includes(method)) {
        const contentType = Object.keys(operation.requestBody?.content ?? {})[0] ?? 'application/json';
        pending = contentType === 'application/x-www-form-urlencoded' ? pending.type('form').send('') : pending.send({});
      }
      if (streams(operation)) pending = pending.buffer(true).parse(firstChunkOfEventStream).timeout({ deadline: STREAM_DEADLINE_MS });
      return pending;
    }
    const codeOf = (response: { body?: unknown }) => (response.body as { code?: unknown } | undefined)?.code;

    before(async () => {
      context.target = await setup();
      context.http = request(context.target.app);
      const response = await context.http.get('/openapi.json').expect(200).expect('Content-Type', /json/);
      context.document = response.body as OpenApiDocument;
    });
    after(() => context.target?.close());

    void test('when GET /openapi.json is fetched, then it validates as OpenAPI 3.1', async () => {
      assert.equal(context.document.openapi, '3.1.0');
      await SwaggerParser.validate(structuredClone(context.document) as unknown as Parameters<typeof SwaggerParser.validate>[0]);
    });

    void test('when each documented operation is called, then the app routes it (no HTTP.NOT_FOUND), and a documented answer matches its schema', async () => {
      const { document, http, target } = context;
      // The check means something only if an unknown route does answer HTTP.NOT_FOUND.
      const unknown = await http.get('/no-such-route').set('Authorization', `Bearer ${target.adminToken}`);
      assert.equal(codeOf(unknown), 'HTTP.NOT_FOUND');

      const matchesDocument = responseValidator(document);
      for (const { method, path, operation } of operations(document)) {
        const response = await call(method, path, operation, operation.security?.length ? { token: target.adminToken } : {});
        assert.notEqual(codeOf(response), 'HTTP.NOT_FOUND', `${method.toUpperCase()} ${path} is documented but not routed`);
        assert.notEqual(response.status, 401, `${method.toUpperCase()} ${path} refused the admin token: ${JSON.stringify(response.body)}`);
        matchesDocument(method, path, response);
      }
    });

    void test('when the app lists the routes it registers, then each public one is documented, and nothing else', () => {
      const router = (context.target.app as unknown as { router?: ListsRoutes }).router;
      assert.ok(router, `the app of ${service} has no router to list its routes (an Express 5 app is needed)`);
      const all = registeredRoutes(router);
      // The walk must see mount paths, or the comparison below would miss every mounted route.
      for (const route of options.mustRegister ?? []) {
        assert.ok(all.includes(route), `${route} is missing among ${all.join(', ')}`);
      }
      const registered = all.filter((route) => !UNDOCUMENTED.some((pattern) => pattern.test(route.split(' ')[1]!))).sort();
      assert.deepEqual(registered, documentedRoutes(context.document).sort());
    });

    void test('when each operation is read, then it has a summary, a 2xx response and the security its route enforces', async () => {
      for (const { method, path, operation } of operations(context.document)) {
        const name = `${method.toUpperCase()} ${path}`;
        assert.ok(operation.summary?.trim(), `${name} has no summary`);
        assert.ok(Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)), `${name} has no 2xx response`);
        const bearer = (operation.security ?? []).some((requirement) => 'bearerAuth' in requirement);
        const anonymous = await call(method, path, operation);
        if (bearer) {
          assert.equal(codeOf(anonymous), 'AUTH.TOKEN_MISSING', `${name} is documented as needing a token but answers without one`);
        } else {
          assert.deepEqual(operation.security, [], `${name} has an unknown security requirement`);
          assert.notEqual(anonymous.status, 401, `${name} is documented as public but refuses a caller without a token`);
        }
      }
    });

    void test('when a route parses a body or a query, then the operation documents it', async () => {
      for (const { method, path, operation } of operations(context.document)) {
        const name = `${method.toUpperCase()} ${path}`;
        const token = operation.security?.length ? { token: context.target.adminToken } : {};
        if (['post', 'put', 'patch'].includes(method)) {
          const response = await call(method, path, operation, token);
          if (bodyIssueLocations(response.body).includes('body')) {
            const content = Object.values(operation.requestBody?.content ?? {});
            assert.ok(content.length > 0 && content.every((media) => media.schema), `${name} parses a body but documents none`);
          }
        }
        // Query schemas are strict: an unknown parameter is refused, naming the query, where one is parsed.
        const response = await call(method, path, operation, { ...token, query: '?undocumentedParameter=1' });
        if (bodyIssueLocations(response.body).includes('query')) {
          assert.ok(operation.parameters?.some((parameter) => parameter.in === 'query'), `${name} parses a query but documents no query parameters`);
        }
      }
    });

    options.extra?.(context);
  });
}
