import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpenApiDocument } from './openapi-conformance.js';
import { responseValidator } from './openapi-responses.js';

const document: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false },
      Problem: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
    },
  },
};

test('when an answer is checked against the document, then $refs to components are resolved and a mismatch fails', () => {
  const check = responseValidator(document);
  const json = { 'content-type': 'application/json; charset=utf-8' };
  check('get', '/things/{id}', { status: 200, headers: json, body: { id: '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c' } });
  assert.throws(() => check('get', '/things/{id}', { status: 200, headers: json, body: { id: 'not a uuid' } }), /does not match the document/);
  assert.throws(() => check('get', '/things/{id}', { status: 200, headers: json, body: { id: '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c', extra: 1 } }), /does not match/);
  assert.throws(() => check('get', '/things/{id}', { status: 404, headers: { 'content-type': 'application/problem+json' }, body: {} }), /does not match/);
  // Statuses and media types the document does not describe are the route walk's business, not this check's.
  check('get', '/things/{id}', { status: 500, headers: json, body: {} });
});
