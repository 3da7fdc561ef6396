import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

// Inside a service or package, modules import one another without cycles: routes and use cases
// take their dependency types from `dependencies.ts`, never from the `app.ts` that imports them.
// Type-only imports count too: a cycle of types is still two modules that cannot be read apart.

const root = path.resolve(__dirname, '..');
const WORKSPACES = ['gateway', 'identity-service', 'incident-service', 'notification-service', 'analytics-service', 'standalone', ...readdirSync(path.join(root, 'packages')).map((name) => `packages/${name}`)];
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function sourcesOf(directory: string, found: string[] = []): string[] {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) sourcesOf(full, found);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier.replace(/\.js$/, ''));
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Every cycle reachable in the graph, each as the chain of files that closes it. */
export function importCycles(files: string[]): string[][] {
  const edges = new Map(files.map((file) => [file, [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => resolveImport(file, match[1]!)).filter((target): target is string => target !== undefined)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('imports inside each workspace', () => {
  for (const workspace of WORKSPACES) {
    const sources = path.join(root, workspace, 'src');
    if (!existsSync(sources)) continue;
    test(`${workspace} has no import cycle`, () => {
      const cycles = importCycles(sourcesOf(sources)).map((cycle) => cycle.map((file) => path.relative(sources, file)).join(' → '));
      assert.deepEqual(cycles, []);
    });
  }
});
