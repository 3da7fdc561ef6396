import assert from 'node:assert/strict';
import type { FieldIssue } from '@desk/contracts';

// Checks that a service's OpenAPI document lists exactly what the service serves: shared by
// every service's openapi.test.ts.

export interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, unknown>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Routes no public reference shows: replica rebuilds, and the platform's own endpoints (the
 * problem pages are what a problem's `type` links to; the Problem schema says so).
 */
export const UNDOCUMENTED = [/^\/internal(\/|$)/, /^\/health(\/live|\/ready)?$/, /^\/metrics$/, /^\/openapi\.json$/, /^\/problems(\/|$)/];

/** `router.listRoutes()` (router 2.3, Express 5's router) describes each route and each mounted router with its mount path. */
export interface RouteInfo {
  path: string | RegExp;
  methods?: string[];
  router?: { listRoutes?: () => RouteInfo[] };
}
export interface ListsRoutes {
  listRoutes?: () => RouteInfo[];
}

/** Every `METHOD /path` the router serves, mounted routers included, in OpenAPI's `{param}` notation. */
export function registeredRoutes(router: ListsRoutes, prefix = ''): string[] {
  assert.equal(typeof router.listRoutes, 'function', 'the Express router cannot list its routes (router >= 2.3 needed)');
  return router.listRoutes!().flatMap((route) => {
    assert.equal(typeof route.path, 'string', `a route or router is mounted at a RegExp (${String(route.path)}); this test cannot document it`);
    const path = route.path === '/' ? prefix : `${prefix}${route.path as string}`;
    if (route.router) return registeredRoutes(route.router, path);
    const openApiPath = (path || '/').replace(/:(\w+)/g, '{$1}');
    return (route.methods ?? [])
      .filter((method) => method !== 'HEAD') // Express answers HEAD for every GET by itself
      .map((method) => `${method === '*' ? 'ALL' : method} ${openApiPath}`);
  });
}

export function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

export function operations(document: OpenApiDocument): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ method, path, operation })));
}

export function bodyIssueLocations(body: unknown): string[] {
  return ((body as { errors?: FieldIssue[] } | undefined)?.errors ?? []).map((issue) => issue.location);
}

/** Response headers a client acts on; when a response carries one, its documentation must name it. */
export const MEANINGFUL_RESPONSE_HEADERS = ['location', 'etag', 'idempotent-replayed', 'cache-control', 'retry-after', 'www-authenticate'];

export function assertResponseHeadersDocumented(document: OpenApiDocument, method: string, path: string, response: { status: number; headers: Record<string, string> }): void {
  const documented = document.paths[path]?.[method]?.responses[String(response.status)] as { headers?: Record<string, unknown> } | undefined;
  assert.ok(documented, `${method.toUpperCase()} ${path} answered ${response.status}, which is not documented`);
  const names = Object.keys(documented.headers ?? {}).map((name) => name.toLowerCase());
  // Express puts a weak ETag on every body by itself; only a route's own (strong) ETag means something.
  const sent = MEANINGFUL_RESPONSE_HEADERS.filter((name) => response.headers[name] !== undefined && !(name === 'etag' && response.headers[name].startsWith('W/')));
  for (const header of sent) {
    assert.ok(names.includes(header), `${method.toUpperCase()} ${path} ${response.status} sends ${header} but does not document it`);
  }
}
