import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '@desk/contracts';
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiResponse {
  description: string;
  /** A named contract (`.meta({ id })`, see packages/contracts/src/openapi-names.ts): it becomes a component. */
  schema?: z.ZodType;
  contentType?: string;
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
  /** For bodies that are not JSON (CSV, event streams): an example of the text. */
  example?: string;
}

/**
 * One operation of a service's public API, described with the same zod contracts its route
 * parses with, so the reference cannot drift from what the service accepts.
 */
export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path template: `/incidents/{id}`. */
  path: string;
  summary: string;
  description: string;
  /** `bearer` needs an access token; `public` does not. */
  auth: 'public' | 'bearer';
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: Record<string, { description: string; required?: boolean }>;
  /** A named contract, like response schemas. */
  body?: z.ZodType;
  bodyContentType?: string;
  responses: Record<number, ApiResponse>;
  /** Problem+json responses this operation may give, beyond the ones every operation may. */
  errors?: number[];
}

export interface ApiTag {
  /** The bounded context: `Incidents`. Every operation of the description carries it. */
  name: string;
  description: string;
}

export interface ApiDescription {
  title: string;
  version: string;
  description?: string;
  tag: ApiTag;
  operations: ApiOperation[];
}

type JsonSchema = Record<string, unknown>;

export const PROBLEM_SCHEMA_NAME = 'Problem';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (`errors` names each one).',
  401: 'No access token, or one that is not accepted.',
  403: 'The caller\'s role or scope does not allow this.',
  404: 'Not found, or not visible to the caller.',
  405: 'The path exists but not with this method; `Allow` lists the methods it has.',
  409: 'Conflicts with the current state.',
  410: 'It existed, and is gone for good.',
  412: 'The If-Match version is stale.',
  413: 'The body is larger than the limit.',
  415: 'The body\'s media type or charset is not accepted.',
  422: 'Well-formed but not acceptable (a reference to something that does not exist, say).',
  429: 'Too many requests (the gateway\'s rate limit, or the operation\'s own); see Retry-After.',
  431: 'The URL or the request headers are too long.',
  500: 'An unexpected error; quote the requestId.',
  503: 'Something the operation needs is not reachable right now; see Retry-After.',
};

/** Statuses any operation may meet, whatever it does: the gateway and the HTTP layer answer them. */
const EVERY_OPERATION = [405, 429, 431, 500];
/** ...and any operation taking a body. */
const EVERY_BODY = [413, 415];

const ERROR_HEADERS: Record<number, ApiResponse['headers']> = {
  405: { Allow: { description: 'The methods the path has.', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string' } } },
};

/**
 * The named schemas of one document. A name always means one JSON Schema: the merge of several
 * documents (the gateway's) relies on it, and a second, different schema under a taken name is
 * an error here rather than a silently wrong reference.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  add(name: string, schema: JsonSchema, origin = 'this document'): void {
    const existing = this.schemas[name];
    if (existing === undefined) {
      this.schemas[name] = schema;
    } else if (JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`Two different schemas are named ${name} (the second from ${origin}): give one of them another id`);
    }
  }
}

const ref = (name: string) => `#/components/schemas/${name}`;

/**
 * A list query parameter (`csvList` in contracts: a string or strings, split on commas, then
 * checked item by item) is described by what it checks, an array of its items, so a generated
 * client knows the values; repeating the parameter, as clients do with arrays, is accepted.
 */
function describeListParameter(context: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }, io: 'input' | 'output'): void {
  const def = context.zodSchema._zod.def as { type: string; out?: z.core.$ZodType };
  if (io !== 'input' || def.type !== 'pipe' || def.out?._zod.def.type !== 'array') return;
  const list = convert(def.out as z.ZodType, 'output');
  for (const key of Object.keys(context.jsonSchema)) if (key !== 'description') delete context.jsonSchema[key];
  Object.assign(context.jsonSchema, list);
}

function convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: (context) => describeListParameter(context as never, io),
  }) as JsonSchema;
  return rest;
}

/** `#/$defs/X` references anywhere in `value`, rewritten by `rename`. */
function rewriteRefs(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/') ? ref(rename(item.slice('#/$defs/'.length))) : rewriteRefs(item, rename),
    ]),
  );
}

/** Names of request schemas (`CreateIncidentBody`, `OAuthTokenRequest`): their own name means them as zod parses input. */
const REQUEST_NAME = /(?:Body|Request)$/;

/**
 * The JSON Schema of a zod schema, its named parts (`.meta({ id })`) moved into `components` and
 * referenced. A request body is converted as zod parses input (defaults optional, before
 * transforms), a response as zod outputs. A name means its schema in one direction: input for
 * request schemas (see REQUEST_NAME), output for the rest; converted the other way and
 * different, it is named `<id>Input` (or `<id>Output`), so each name means one thing in every
 * document and the gateway can merge them.
 */
export function componentSchema(schema: z.ZodType, io: 'input' | 'output', components: SchemaComponents): JsonSchema {
  const converted = convert(schema, io);
  const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
  const otherDefs = (convert(schema, io === 'input' ? 'output' : 'input').$defs ?? {}) as Record<string, JsonSchema>;
  const ownDirection = (name: string) => (REQUEST_NAME.test(name) ? 'input' : 'output') === io;
  const renamed = new Set<string>();
  for (const [name, definition] of Object.entries(defs)) {
    if (!ownDirection(name) && JSON.stringify(definition) !== JSON.stringify(otherDefs[name])) renamed.add(name);
  }
  // A schema referring to one renamed in this direction is itself different in this direction.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, definition] of Object.entries(defs)) {
      if (renamed.has(name) || ownDirection(name)) continue;
      if ([...renamed].some((other) => JSON.stringify(definition).includes(`"#/$defs/${other}"`))) {
        renamed.add(name);
        changed = true;
      }
    }
  }
  const suffix = io === 'input' ? 'Input' : 'Output';
  const rename = (name: string) => (renamed.has(name) ? `${name}${suffix}` : name);
  for (const [name, definition] of Object.entries(defs)) components.add(rename(name), rewriteRefs(definition, rename) as JsonSchema);
  const { $defs: _defs, ...root } = converted;
  return rewriteRefs(root, rename) as JsonSchema;
}

/** The name a body schema is known by, or an error: clients generated from the document need names. */
function namedBody(schema: z.ZodType, io: 'input' | 'output', components: SchemaComponents, where: string): { schema: JsonSchema; examples: unknown[] } {
  const json = componentSchema(schema, io, components);
  const target = typeof json.$ref === 'string' ? json.$ref.slice(ref('').length) : undefined;
  if (!target || Object.keys(json).length !== 1) {
    throw new Error(`${where}: the body schema has no name; give it one with .meta({ id }) where it is defined`);
  }
  const examples = z.globalRegistry.get(schema)?.examples;
  if (!Array.isArray(examples) || examples.length === 0) throw new Error(`${where}: ${target} has no examples; add them with .meta({ examples })`);
  return { schema: json, examples };
}

function parametersOf(location: 'path' | 'query', schema: z.ZodObject | undefined, components: SchemaComponents): JsonSchema[] {
  if (!schema) return [];
  const json = componentSchema(schema, 'input', components) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** `GET /incidents/{id}/timeline` → `getIncidentsIdTimeline`: unique per method and path, and stable as long as they are. */
export function operationIdOf(method: string, path: string): string {
  return `${method}${path.replace(/[{}]/g, '').replace(/(?:^|[/_.-])+(\w)/g, (_match, first: string) => first.toUpperCase())}`;
}

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: ref(PROBLEM_SCHEMA_NAME) } } };

/** An OpenAPI 3.1 document for a service's operations. */
export function openApiDocument(api: ApiDescription): Record<string, unknown> {
  const components = new SchemaComponents();
  const problem = componentSchema(problemDetailsSchema, 'output', components);
  if (problem.$ref !== ref(PROBLEM_SCHEMA_NAME)) throw new Error(`problemDetailsSchema must be named ${PROBLEM_SCHEMA_NAME}`);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of api.operations) {
    const where = `${operation.method.toUpperCase()} ${operation.path}`;
    const errorCodes = [
      ...new Set([...(operation.auth === 'bearer' ? [401] : []), ...EVERY_OPERATION, ...(operation.body ? EVERY_BODY : []), ...(operation.errors ?? [])]),
    ].sort();
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      const contentType = response.contentType ?? 'application/json';
      let content: Record<string, unknown> | undefined;
      if (response.schema && /json$/.test(contentType)) {
        const body = namedBody(response.schema, 'output', components, `${where} ${status}`);
        content = { [contentType]: { schema: body.schema, example: body.examples[0] } };
      } else if (response.schema) {
        const schema = componentSchema(response.schema, 'output', components);
        content = { [contentType]: { schema, ...(response.example !== undefined ? { example: response.example } : {}) } };
      }
      responses[status] = {
        description: response.description,
        ...(response.headers ? { headers: response.headers } : {}),
        ...(content ? { content } : {}),
      };
    }
    for (const status of errorCodes) {
      const headers = ERROR_HEADERS[status];
      const own = responses[String(status)] as { content?: Record<string, unknown> } | undefined;
      if (!own) responses[String(status)] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error', ...(headers ? { headers } : {}), content: problemContent };
      // The operation answers this status its own way (OAuth's errors); the gateway and the HTTP layer still answer it as a problem.
      else if ([...EVERY_OPERATION, ...EVERY_BODY].includes(status)) own.content = { ...own.content, ...problemContent };
    }
    const requestBody = operation.body
      ? (() => {
          const body = namedBody(operation.body, 'input', components, `${where} request`);
          return { required: true, content: { [operation.bodyContentType ?? 'application/json']: { schema: body.schema, example: body.examples[0] } } };
        })()
      : undefined;
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId: operationIdOf(operation.method, operation.path),
      summary: operation.summary,
      description: operation.description,
      tags: [api.tag.name],
      security: operation.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
      parameters: [
        ...parametersOf('path', operation.params, components),
        ...parametersOf('query', operation.query, components),
        ...Object.entries(operation.headers ?? {}).map(([name, header]) => ({ name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } })),
      ],
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version, ...(api.description ? { description: api.description } : {}) },
    tags: [api.tag],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
