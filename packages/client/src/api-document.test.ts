import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLintFindings, lintOpenApiDocument } from '@desk/testing/openapi-lint';
import { platformApiDocument } from '../scripts/api-document.js';

// The merged reference other systems generate clients from: the gateway's merge over every
// service's own document, as GET /openapi.json serves it with all of them reachable.

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  description?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface MergedDocument {
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const document = platformApiDocument() as unknown as MergedDocument;
const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, method, operation })),
);

test('when Spectral lints the merged document with spectral:oas, then it finds no error and no warning', async () => {
  const findings = (await lintOpenApiDocument(document)).filter((finding) => finding.severity === 'error' || finding.severity === 'warning');
  assert.equal(findings.length, 0, formatLintFindings(findings));
});

test('when a client is generated, then every JSON body and every problem is a named component with an example', () => {
  const refOf = (media: Media, where: string) => {
    const target = media.schema?.$ref ?? '';
    assert.ok(target?.startsWith('#/components/schemas/'), `${where} is not a named schema`);
    assert.ok(document.components.schemas[target.slice('#/components/schemas/'.length)], `${where} refers to ${target}, which is not defined`);
    return target;
  };
  for (const { name, operation } of operations) {
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
      refOf(media, `${name} request ${type}`);
      assert.notEqual(media.example, undefined, `${name} request has no example`);
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [type, media] of Object.entries(response.content ?? {})) {
        if (!/json$/.test(type)) continue; // CSV and event streams are text
        const target = refOf(media, `${name} ${status} ${type}`);
        if (type === 'application/problem+json') assert.equal(target, '#/components/schemas/Problem', `${name} ${status}`);
        else assert.notEqual(media.example, undefined, `${name} ${status} has no example`);
      }
    }
  }
});

test('when operations are listed, then each has a unique operationId and one tag, a bounded context described at the top', () => {
  const ids = operations.map(({ operation }) => operation.operationId);
  assert.equal(new Set(ids).size, ids.length, 'operationIds are not unique');
  const tags = new Set(document.tags.map((tag) => tag.name));
  assert.deepEqual([...tags].sort(), ['Analytics', 'Event health', 'Identity', 'Incidents', 'Notifications', 'Platform', 'Telemetry']);
  for (const { name, operation } of operations) {
    assert.ok(operation.operationId, `${name} has no operationId`);
    assert.equal(operation.tags?.length, 1, `${name} has ${operation.tags?.length ?? 0} tags`);
    assert.ok(tags.has(operation.tags[0]!), `${name}'s tag ${operation.tags[0]} is not defined`);
  }
});

test('when any operation is called, then the statuses every request may meet are documented as problems', () => {
  for (const { name, operation } of operations) {
    const statuses = Object.keys(operation.responses);
    // The gateway's /health is answered before its rate limits.
    for (const status of operation.operationId === 'getHealth' ? ['405', '431', '500'] : ['405', '429', '431', '500']) {
      assert.ok(statuses.includes(status), `${name} does not document ${status}`);
    }
    if (operation.requestBody) for (const status of ['413', '415']) assert.ok(statuses.includes(status), `${name} takes a body but does not document ${status}`);
  }
});

test('when a filter is checked strictly by the server, then its parameter is typed for clients', () => {
  const parameter = (path: string, name: string) =>
    (document.paths[path]!.get as unknown as { parameters: { name: string; schema: Record<string, unknown> }[] }).parameters.find((candidate) => candidate.name === name)!.schema;
  assert.deepEqual(parameter('/incidents', 'status').items, { type: 'string', enum: ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED'] });
  assert.deepEqual(parameter('/incidents', 'priority').items, { type: 'string', enum: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] });
  assert.deepEqual(parameter('/notifications/deliveries', 'status').items, { type: 'string', enum: ['PENDING', 'SENDING', 'SENT', 'FAILED'] });
  for (const bound of ['from', 'to']) {
    assert.deepEqual(parameter('/analytics/summary', bound).anyOf, [
      { type: 'string', format: 'date' },
      { type: 'string', format: 'date-time' },
    ]);
  }
});
