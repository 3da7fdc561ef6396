import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PROBLEM_CATALOG, type ProblemCode } from '@desk/contracts';

// The problem catalogue (packages/contracts/src/problem-catalog.ts) is what each problem's page
// says, including the status it is answered with. The type checker holds every code to the
// catalogue; this holds the statuses the code answers with to it, and the catalogue to the code.

const root = path.resolve(__dirname, '..');
const SOURCES = ['gateway', 'identity-service', 'incident-service', 'notification-service', 'analytics-service', 'packages/platform', 'packages/auth', 'packages/messaging', 'packages/replica'];
const HELPER_STATUS: Record<string, number> = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  preconditionFailed: 412,
  unprocessable: 422,
  tooManyRequests: 429,
  serviceUnavailable: 503,
};

function sourcesOf(directory: string, found: string[] = []): string[] {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dist') sourcesOf(full, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

const files = SOURCES.flatMap((workspace) => sourcesOf(path.join(root, workspace, 'src')));
const text = files.map((file) => ({ file: path.relative(root, file), source: readFileSync(file, 'utf8') }));

describe('the problem catalogue', () => {
  test('every problem the code raises with a fixed status is answered with the status its page states', () => {
    const mismatches: string[] = [];
    for (const { file, source } of text) {
      for (const match of source.matchAll(/AppError\.(\w+)\(\s*'([A-Z_]+\.[A-Z_]+)'/g)) {
        const status = HELPER_STATUS[match[1]!];
        const entry = PROBLEM_CATALOG[match[2] as ProblemCode];
        if (status !== undefined && entry && entry.status !== status) mismatches.push(`${file}: ${match[2]} raised as ${status}, its page says ${entry.status}`);
      }
      for (const match of source.matchAll(/new AppError\(\{[^}]*?status: (\d{3}),\s*code: '([A-Z_]+\.[A-Z_]+)'/gs)) {
        const entry = PROBLEM_CATALOG[match[2] as ProblemCode];
        if (entry && entry.status !== Number(match[1])) mismatches.push(`${file}: ${match[2]} raised as ${match[1]}, its page says ${entry.status}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  test('every problem in the catalogue is one the code raises', () => {
    const everything = text.map(({ source }) => source).join('\n');
    const unused = Object.keys(PROBLEM_CATALOG).filter((code) => !everything.includes(`'${code}'`));
    assert.deepEqual(unused, [], 'a page for a problem nothing answers with misleads; remove the entry');
  });
});
