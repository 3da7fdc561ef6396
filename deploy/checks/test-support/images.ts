import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readText, repositoryPath } from './repository.js';

interface Manifest {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}

export function manifestOf(workspace: string): Manifest {
  return JSON.parse(readFileSync(repositoryPath(path.join(workspace, 'package.json')), 'utf8')) as Manifest;
}

/** Workspace folder of every package of the repository, by package name (@desk/platform → packages/platform). */
export function workspaceFolders(): Map<string, string> {
  const root = manifestOf('.');
  return new Map((root.workspaces ?? []).map((folder) => [manifestOf(folder).name, folder]));
}

export interface WorkspaceImage {
  packageName: string;
  /** The service's folder and those of the workspace packages it depends on at run time, transitively. */
  workspaces: string[];
}

/** What an image of `workspace` must hold: the workspace and its production @desk dependencies. */
export function workspaceImage(workspace: string): WorkspaceImage {
  const folders = workspaceFolders();
  const needed = new Set<string>([workspace]);
  const pending = [workspace];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const dependency of Object.keys(manifestOf(current).dependencies ?? {})) {
      const folder = folders.get(dependency);
      if (folder && !needed.has(folder)) {
        needed.add(folder);
        pending.push(folder);
      }
    }
  }
  return { packageName: manifestOf(workspace).name, workspaces: [...needed] };
}

/**
 * The .dockerignore rules as a predicate on repository-relative paths. Docker matches each
 * pattern (Go filepath.Match, plus `**`) against the path and excludes a path when a pattern
 * matches it or one of its parent folders; a later `!pattern` re-includes.
 */
export function dockerignore(): (file: string) => boolean {
  const rules = readText('.dockerignore')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclude = !line.startsWith('!');
      const pattern = path.posix.normalize((exclude ? line : line.slice(1)).replace(/^\/+/, ''));
      const expression = pattern
        .split('/')
        .map((segment) =>
          segment === '**'
            ? '.*'
            : segment
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { exclude, matcher: new RegExp(`^${expression}$`) };
    });
  return (file: string) => {
    const parts = path.posix.normalize(file).split('/');
    const candidates = parts.map((_part, index) => parts.slice(0, index + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.matcher.test(candidate))) excluded = rule.exclude;
    }
    return excluded;
  };
}

function javascriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return javascriptFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

const BUILTINS = new Set(builtinModules);

/** `express` for `express/lib/x`, `@scope/name` for `@scope/name/sub`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * The packages the compiled output of `workspace` requires that its package.json does not list
 * in `dependencies`: in an image with production dependencies only, those requires would fail.
 */
export function undeclaredRuntimeRequires(workspace: string): string[] {
  const declared = new Set(Object.keys(manifestOf(workspace).dependencies ?? {}));
  const missing = new Set<string>();
  for (const file of javascriptFiles(repositoryPath(path.join(workspace, 'dist')))) {
    const code = readFileSync(file, 'utf8');
    for (const [, specifier = ''] of code.matchAll(/\brequire\((?:"|')([^"']+)(?:"|')\)/g)) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      const name = packageNameOf(specifier);
      if (!declared.has(name)) missing.add(`${name} (${path.relative(repositoryPath(workspace), file)})`);
    }
    // import() in CommonJS output stays a dynamic import of the same specifiers
    for (const [, specifier = ''] of code.matchAll(/\bimport\((?:"|')([^"']+)(?:"|')\)/g)) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      const name = packageNameOf(specifier);
      if (!declared.has(name)) missing.add(`${name} (${path.relative(repositoryPath(workspace), file)})`);
    }
  }
  return [...missing].sort();
}
