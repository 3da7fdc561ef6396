import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, type CollectionTag, type ScalarTag } from 'yaml';

/** The repository root: deploy/checks/test-support is three levels below it. */
export const repositoryRoot = path.resolve(__dirname, '..', '..', '..');

export function repositoryPath(relative: string): string {
  return path.join(repositoryRoot, relative);
}

export function readText(relative: string): string {
  return readFileSync(repositoryPath(relative), 'utf8');
}

export function repositoryHas(relative: string): boolean {
  return existsSync(repositoryPath(relative));
}

/**
 * Compose's `!override` and `!reset` tags (merging rules for override files) keep their value
 * here; which file wins is compose's business, what each file says is ours.
 */
const composeTags: (CollectionTag | ScalarTag)[] = ['!override', '!reset'].flatMap((tag) => [
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]);

/**
 * Parses one YAML document the way compose does: YAML 1.1 merge keys (`<<: *anchor`) applied.
 * Throws on any syntax error or warning, so a file that only half parses fails the check.
 */
export function parseYaml(text: string, source: string): unknown {
  try {
    return parse(text, { merge: true, customTags: composeTags, prettyErrors: true, strict: true });
  } catch (error) {
    throw new Error(`${source} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
}

export function readYaml(relative: string): unknown {
  return parseYaml(readText(relative), relative);
}

/** Every document of a multi-document YAML file (Kubernetes manifests), empty ones left out. */
export function readYamlDocuments(relative: string): unknown[] {
  const documents = parseAllDocuments(readText(relative), { merge: true, prettyErrors: true, strict: true });
  if (!Array.isArray(documents)) throw new Error(`${relative} is empty`);
  return documents
    .map((document) => {
      const problems = [...document.errors, ...document.warnings];
      if (problems.length > 0) throw new Error(`${relative} is not valid YAML: ${problems.map((p) => p.message).join('; ')}`);
      return document.toJS() as unknown;
    })
    .filter((document) => document !== null && document !== undefined);
}

export type YamlMap = Record<string, unknown>;

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The mapping at `value`, or an error naming where it was expected. */
export function mapAt(value: unknown, where: string): YamlMap {
  if (!isMap(value)) throw new Error(`${where} must be a mapping`);
  return value;
}

export function listAt(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  return value;
}

export function stringAt(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  return value;
}

/** A string, number or boolean as the string a container or a config sees. */
export function scalarAt(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where} must be a string, number or boolean`);
}

/** `KEY: value` mappings and `KEY=value` lists (compose environment, build args) as one shape. */
export function keyValues(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = stringAt(entry, where);
        const equals = text.indexOf('=');
        return equals === -1 ? [text, ''] : [text.slice(0, equals), text.slice(equals + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(mapAt(value, where)).map(([key, entry]) => [key, entry === null ? '' : scalarAt(entry, `${where}.${key}`)]),
  );
}
