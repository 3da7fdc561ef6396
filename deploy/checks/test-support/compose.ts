import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type loadConfig } from '@desk/platform';
import { interpolateTree, parseEnvFile, type Variables } from './interpolation.js';
import { keyValues, mapAt, readText, readYaml, repositoryHas, repositoryPath, stringAt, type YamlMap } from './repository.js';

export const COMPOSE_FILE = 'docker-compose.yml';
export const LOCAL_COMPOSE_FILE = 'docker-compose.local.yml';
export const ENV_EXAMPLE = '.env.example';

/** The variables of .env.example: what `cp .env.example .env && docker compose up` runs with. */
export function envExample(): Record<string, string> {
  return parseEnvFile(readText(ENV_EXAMPLE), ENV_EXAMPLE);
}

/**
 * Values as an operator fills them in: each `change-me` placeholder replaced by something of
 * their own. Production configuration refuses the placeholders themselves (see the checks that
 * leave them in).
 */
export function filledIn(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.replace(/change-me/gi, 'set-by-operator')]));
}

/** .env.example with every placeholder filled in: what `cp .env.example .env`, edited, runs with. */
export function operatorEnv(): Record<string, string> {
  return filledIn(envExample());
}

/** A compose file as written, and after interpolation with `variables`. */
export function loadComposeFile(file: string, variables: Variables = operatorEnv()): { raw: YamlMap; model: YamlMap } {
  const raw = mapAt(readYaml(file), file);
  return { raw, model: mapAt(interpolateTree(raw, variables), file) };
}

export function servicesOf(model: YamlMap, file = COMPOSE_FILE): Record<string, YamlMap> {
  const services = mapAt(model.services, `${file}: services`);
  return Object.fromEntries(Object.entries(services).map(([name, service]) => [name, mapAt(service, `${file}: services.${name}`)]));
}

export interface BuiltService {
  /** The compose service name. */
  name: string;
  service: YamlMap;
  /** Repository-relative path of its Dockerfile, e.g. identity-service/Dockerfile. */
  dockerfile: string;
  /** The workspace folder the Dockerfile lives in, e.g. identity-service. */
  workspace: string;
}

/** The services compose builds from this repository (rather than pulling an image). */
export function builtServices(model: YamlMap): BuiltService[] {
  return Object.entries(servicesOf(model))
    .filter(([, service]) => service.build !== undefined)
    .map(([name, service]) => {
      const build = typeof service.build === 'string' ? { context: service.build } : mapAt(service.build, `services.${name}.build`);
      const context = stringAt(build.context ?? '.', `services.${name}.build.context`);
      const dockerfile = path.posix.normalize(path.posix.join(context, stringAt(build.dockerfile ?? 'Dockerfile', `services.${name}.build.dockerfile`)));
      return { name, service, dockerfile, workspace: path.posix.dirname(dockerfile) };
    });
}

export function environmentOf(service: YamlMap, where: string): Record<string, string> {
  return keyValues(service.environment, `${where}.environment`);
}

/** A Node service: its workspace has a package.json, src/config.ts and (once written) src/main.ts. */
export function isNodeService(workspace: string): boolean {
  return repositoryHas(path.join(workspace, 'src', 'config.ts'));
}

export function hasEntryPoint(workspace: string): boolean {
  return repositoryHas(path.join(workspace, 'src', 'main.ts'));
}

export type ConfigSchema = Parameters<typeof loadConfig>[0];

function isConfigSchema(value: unknown): value is ConfigSchema {
  return typeof value === 'object' && value !== null && 'safeParse' in value && 'shape' in value;
}

/**
 * The zod schema a service parses its environment with: the export of `<workspace>/src/config.ts`
 * whose name ends in `ConfigSchema` (identityConfigSchema, gatewayConfigSchema, ...).
 */
export async function configSchemaOf(workspace: string): Promise<ConfigSchema> {
  const file = repositoryPath(path.join(workspace, 'src', 'config.ts'));
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown> & { default?: Record<string, unknown> };
  const exported = { ...(module.default ?? {}), ...module };
  const schemas = Object.entries(exported).filter(([name, value]) => name.endsWith('ConfigSchema') && isConfigSchema(value));
  if (schemas.length !== 1) {
    throw new Error(`${workspace}/src/config.ts must export exactly one *ConfigSchema, found ${schemas.map(([name]) => name).join(', ') || 'none'}`);
  }
  return schemas[0]![1] as ConfigSchema;
}

/** The names of the variables a service's schema reads. */
export function variablesOf(schema: ConfigSchema): Set<string> {
  return new Set(Object.keys(schema.shape));
}
