import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ask, buildFixture, callerOf, COLUMNS, REQUESTS, SCOPES, type Column, type Fixture, type Scope } from './test-support/authorization-requests.js';
import { startPlatform, type RunningPlatform } from './test-support/platform.js';

// The authorization matrix: docs/AUTHORIZATION.md lists every operation of the gateway's merged
// OpenAPI document and, for each kind of caller, what it gets — allowed (the status) or the exact
// refusal (status and problem code). This runs every cell through the gateway against the real
// platform, and fails when an operation has no row. AUTHZ_MATRIX_RECORD=<file> writes the table
// as observed, to review against the rules before updating the document.

const MATRIX = path.join(__dirname, '../../docs/AUTHORIZATION.md');
const PUBLIC = 'public';

interface Row {
  operation: string;
  scope: Scope | '—';
  cells: Record<Column, string>;
}

function readMatrix(): Row[] {
  const lines = readFileSync(MATRIX, 'utf8').split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| operation') && !/^\|[-| ]+\|$/.test(line));
  return lines.map((line) => {
    const [operation, scope, ...cells] = line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, ''));
    assert.equal(cells.length, COLUMNS.length, `${operation}: one cell per column`);
    return { operation: operation!, scope: scope as Row['scope'], cells: Object.fromEntries(COLUMNS.map((column, index) => [column, cells[index]!.replace(/`/g, '')])) as Record<Column, string> };
  });
}

function renderMatrix(rows: Row[]): string {
  const header = `| operation | scope | ${COLUMNS.join(' | ')} |`;
  const rule = `|${' --- |'.repeat(COLUMNS.length + 2)}`;
  return [header, rule, ...rows.map((row) => `| \`${row.operation}\` | ${row.scope} | ${COLUMNS.map((column) => row.cells[column]).join(' | ')} |`)].join('\n');
}

describe('the authorization matrix (docs/AUTHORIZATION.md), every cell through the gateway', () => {
  let platform: RunningPlatform;
  let fixture: Fixture;
  let operations: string[];
  const rows = readMatrix();

  before(async () => {
    platform = await startPlatform({ gateway: { RATE_LIMIT_PER_MINUTE: '100000', AUTH_RATE_LIMIT_PER_MINUTE: '100000' } });
    fixture = await buildFixture(platform);
    const document = (await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${template}`),
    );
  });

  after(async () => {
    await platform?.close();
  });

  test('every operation of the API has a row, and every row is an operation of the API', () => {
    const listed = new Set(rows.map((row) => row.operation));
    assert.deepEqual(operations.filter((operation) => !listed.has(operation)), [], 'operations without a row in docs/AUTHORIZATION.md');
    assert.deepEqual([...listed].filter((operation) => !operations.includes(operation)), [], 'rows for operations the API does not have');
    assert.deepEqual(rows.filter((row) => !REQUESTS[row.operation]).map((row) => row.operation), [], 'rows without a request to ask it with');
    for (const row of rows) assert.ok(row.scope === '—' || (SCOPES as readonly string[]).includes(row.scope), `${row.operation}: scope ${row.scope}`);
  });

  test('every caller gets exactly what its cell says', async () => {
    const observed: Row[] = [];
    const mismatches: string[] = [];
    for (const row of rows) {
      const factory = REQUESTS[row.operation];
      if (!factory) continue;
      const cells = {} as Record<Column, string>;
      const isPublic = row.cells.anonymous === PUBLIC;
      for (const column of COLUMNS) {
        if (isPublic && column !== 'anonymous') {
          cells[column] = PUBLIC;
          continue;
        }
        const token =
          column === 'service (with scope)'
            ? await fixture.serviceToken()
            : column === 'service (without scope)'
              ? await fixture.serviceToken(row.scope === '—' ? undefined : row.scope)
              : callerOf(fixture, column)?.token;
        const request = await factory(fixture, column);
        const answer = await ask(fixture, request, column === 'anonymous' || column.startsWith('service') ? token : (request.callerToken ?? token));
        if (isPublic) {
          cells[column] = /^2\d\d$/.test(answer) ? PUBLIC : answer;
        } else {
          cells[column] = answer;
        }
        if (cells[column] !== row.cells[column]) mismatches.push(`${row.operation} as ${column}: expected ${row.cells[column]}, got ${cells[column]}`);
      }
      observed.push({ ...row, cells });
    }
    if (process.env.AUTHZ_MATRIX_RECORD) writeFileSync(process.env.AUTHZ_MATRIX_RECORD, `${renderMatrix(observed)}\n`);
    assert.deepEqual(mismatches, []);
  });
});
