import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '@desk/contracts';
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
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
  description?: string;
  tags: string[];
  /** `bearer` needs an access token; `public` does not. */
  auth: 'public' | 'bearer';
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: Record<string, { description: string; required?: boolean }>;
  body?: z.ZodType;
  bodyContentType?: string;
  responses: Record<number, ApiResponse>;
  /** Problem+json responses this operation may give, beyond the ones every operation may. */
  errors?: number[];
}

export interface ApiDescription {
  title: string;
  version: string;
  description?: string;
  operations: ApiOperation[];
}

type JsonSchema = Record<string, unknown>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (`errors` names each one).',
  401: 'No access token, or one that is not accepted.',
  403: 'The caller\'s role or scope does not allow this.',
  404: 'Not found, or not visible to the caller.',
  409: 'Conflicts with the current state.',
  412: 'The If-Match version is stale.',
  413: 'The body is larger than the limit.',
  415: 'The body\'s media type or charset is not accepted.',
  422: 'Well-formed but not acceptable (a reference to something that does not exist, say).',
  429: 'Too many requests; see Retry-After.',
  500: 'An unexpected error; quote the requestId.',
};

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parametersOf(location: 'path' | 'query', schema: z.ZodObject | undefined): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** An OpenAPI 3.1 document for a service's operations. */
export function openApiDocument(api: ApiDescription): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of api.operations) {
    const errorCodes = [...new Set([...(operation.auth === 'bearer' ? [401] : []), 500, ...(operation.errors ?? [])])].sort();
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.headers ? { headers: response.headers } : {}),
        ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: toSchema(response.schema, 'output') } } } : {}),
      };
    }
    for (const status of errorCodes) {
      responses[String(status)] ??= { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId: `${operation.method}${operation.path.replace(/[{}]/g, '').replace(/(?:^|[/_.-])+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: operation.tags,
      security: operation.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
      parameters: [
        ...parametersOf('path', operation.params),
        ...parametersOf('query', operation.query),
        ...Object.entries(operation.headers ?? {}).map(([name, header]) => ({ name, in: 'header', required: header.required ?? false, description: header.description, schema: { type: 'string' } })),
      ],
      ...(operation.body
        ? { requestBody: { required: true, content: { [operation.bodyContentType ?? 'application/json']: { schema: toSchema(operation.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version, ...(api.description ? { description: api.description } : {}) },
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: toSchema(problemDetailsSchema, 'output') },
    },
  };
}
