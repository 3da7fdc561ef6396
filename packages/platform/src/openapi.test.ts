import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { openApiDocument, type ApiDescription, type ApiOperation } from './openapi.js';

// Unit tests of the document generator; every service's openapi.test.ts checks its real document.

const widget = z.object({ id: z.string(), size: z.number().default(1) }).meta({ id: 'TestWidget', examples: [{ id: 'w1', size: 2 }] });
const createWidgetBody = z.strictObject({ name: z.string().trim().min(1) }).meta({ id: 'CreateTestWidgetBody', examples: [{ name: 'spanner' }] });

const describe = (...operations: ApiOperation[]): ApiDescription => ({
  title: 'widgets',
  version: '1.0.0',
  tag: { name: 'Widgets', description: 'Widgets.' },
  operations,
});
const create: ApiOperation = {
  method: 'post',
  path: '/widgets',
  summary: 'Make a widget',
  description: 'Makes one.',
  auth: 'bearer',
  body: createWidgetBody,
  responses: { 201: { description: 'Made.', schema: widget } },
};

interface Doc {
  tags: unknown[];
  paths: Record<string, Record<string, { operationId: string; tags: string[]; requestBody?: { content: Record<string, { schema: unknown; example: unknown }> }; responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

test('when bodies are named contracts, then they are components referenced by $ref, with their examples', () => {
  const document = openApiDocument(describe(create)) as unknown as Doc;
  const operation = document.paths['/widgets']!.post!;
  assert.deepEqual(operation.requestBody!.content['application/json'], { schema: { $ref: '#/components/schemas/CreateTestWidgetBody' }, example: { name: 'spanner' } });
  assert.deepEqual(operation.responses['201']!.content!['application/json'], { schema: { $ref: '#/components/schemas/TestWidget' }, example: { id: 'w1', size: 2 } });
  assert.deepEqual(Object.keys(document.components.schemas).sort(), ['CreateTestWidgetBody', 'Problem', 'TestWidget']);
  assert.equal(operation.operationId, 'postWidgets');
  assert.deepEqual(operation.tags, ['Widgets']);
  assert.deepEqual(document.tags, [{ name: 'Widgets', description: 'Widgets.' }]);
});

test('when an operation has a body, then 401, 405, 413, 415, 429, 431 and 500 are documented as the Problem component', () => {
  const { responses } = (openApiDocument(describe(create)) as unknown as Doc).paths['/widgets']!.post!;
  for (const status of ['401', '405', '413', '415', '429', '431', '500']) {
    assert.deepEqual(responses[status]!.content, { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }, status);
  }
  const read = (openApiDocument(describe({ ...create, method: 'get', body: undefined, auth: 'public' })) as unknown as Doc).paths['/widgets']!.get!;
  assert.deepEqual(Object.keys(read.responses).sort(), ['201', '405', '429', '431', '500']);
});

test('when a response schema is also sent as a request and reads differently as input, then the input is named <id>Input', () => {
  const document = openApiDocument(describe({ ...create, method: 'put', body: widget })) as unknown as Doc;
  assert.deepEqual(document.paths['/widgets']!.put!.requestBody!.content['application/json']!.schema, { $ref: '#/components/schemas/TestWidgetInput' });
  assert.deepEqual(document.components.schemas.TestWidgetInput!.required, ['id'], 'size has a default, so input may leave it out');
  assert.deepEqual(document.components.schemas.TestWidget!.required, ['id', 'size']);
});

test('when a body has no name or no example, then the document is not generated', () => {
  assert.throws(() => openApiDocument(describe({ ...create, body: z.object({ name: z.string() }) })), /POST \/widgets request: the body schema has no name/);
  assert.throws(() => openApiDocument(describe({ ...create, body: z.object({ name: z.string() }).meta({ id: 'NoExampleBody' }) })), /NoExampleBody has no examples/);
});

test('when two different schemas carry one name, then the document is not generated', () => {
  const impostor = z.object({ other: z.string() }).meta({ id: 'TestWidget', examples: [{ other: 'x' }] });
  assert.throws(() => openApiDocument(describe(create, { ...create, path: '/impostors', responses: { 200: { description: 'An impostor.', schema: impostor } } })), /Two different schemas are named TestWidget/);
});
