import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadConfig } from '@desk/platform';
import Ajv from 'ajv';
import {
  builtServices,
  COMPOSE_FILE,
  configSchemaOf,
  ENV_EXAMPLE,
  envExample,
  operatorEnv,
  environmentOf,
  isNodeService,
  LOCAL_COMPOSE_FILE,
  loadComposeFile,
  servicesOf,
  variablesOf,
} from './test-support/compose.js';
import { healthcheck, lastInstruction, finalStage, parseDockerfile } from './test-support/dockerfile.js';
import { interpolateTree, InterpolationError, referencedVariables, stringsOf } from './test-support/interpolation.js';
import { isMap, keyValues, listAt, mapAt, readText, repositoryPath, stringAt, type YamlMap } from './test-support/repository.js';
import composeSpecification from './compose-spec.json';

// docker-compose.yml checked without a Docker engine: against the Compose Specification's JSON
// schema (compose-spec.json, vendored from compose-spec/compose-spec, schema/compose-spec.json),
// and against what the services themselves require of their environment.

const variables = operatorEnv();
const { raw, model } = loadComposeFile(COMPOSE_FILE, variables);
const services = servicesOf(model);
const built = builtServices(model);

function validateAgainstComposeSpec(document: unknown): string[] {
  // The schema names draft-07 by a URL Ajv does not know under that spelling; the rules are draft-07's.
  const { $schema: _ignored, ...schema } = composeSpecification as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

function dependsOn(service: YamlMap, where: string): Record<string, YamlMap> {
  if (service.depends_on === undefined) return {};
  return Object.fromEntries(Object.entries(mapAt(service.depends_on, `${where}.depends_on`)).map(([name, value]) => [name, mapAt(value, `${where}.depends_on.${name}`)]));
}

function hasHealthcheck(name: string): boolean {
  const service = services[name]!;
  if (isMap(service.healthcheck) && service.healthcheck.disable !== true) return true;
  const image = built.find((candidate) => candidate.name === name);
  if (!image) return false;
  return lastInstruction(finalStage(parseDockerfile(readText(image.dockerfile))), 'HEALTHCHECK') !== undefined;
}

describe('docker-compose.yml', () => {
  test('it validates against the Compose Specification JSON schema, as written and once interpolated with .env.example', () => {
    assert.deepEqual(validateAgainstComposeSpec(raw), [], 'as written');
    assert.deepEqual(validateAgainstComposeSpec(model), [], 'interpolated');
  });

  test('the local override validates against the Compose Specification too', () => {
    const local = loadComposeFile(LOCAL_COMPOSE_FILE, variables);
    assert.deepEqual(validateAgainstComposeSpec(local.raw), []);
    assert.deepEqual(validateAgainstComposeSpec(local.model), []);
  });

  test('it holds the whole platform: Postgres, RabbitMQ, Mailpit, Jaeger, every service, the frontend and Traefik', () => {
    for (const name of ['postgres', 'rabbitmq', 'mailpit', 'jaeger', 'traefik', 'gateway', 'identity-service', 'incident-service', 'notification-service', 'analytics-service', 'frontend']) {
      assert.ok(services[name], `service ${name} is missing`);
    }
    assert.match(stringAt(services.rabbitmq!.image, 'rabbitmq.image'), /-management/, 'RabbitMQ with its management UI');
    assert.match(stringAt(services.jaeger!.image, 'jaeger.image'), /^jaegertracing\/jaeger:2\./, 'Jaeger v2 (OTLP in)');
  });

  test('every variable it uses is listed in .env.example, and .env.example lists nothing it does not use', () => {
    const used = new Set([LOCAL_COMPOSE_FILE, COMPOSE_FILE].flatMap((file) => stringsOf(loadComposeFile(file, variables).raw).flatMap((text) => [...referencedVariables(text)])));
    const listed = new Set(Object.keys(variables));
    assert.deepEqual([...used].filter((name) => !listed.has(name)).sort(), [], `missing from ${ENV_EXAMPLE}`);
    assert.deepEqual([...listed].filter((name) => !used.has(name)).sort(), [], `listed in ${ENV_EXAMPLE} but unused`);
  });

  test('without an .env file it refuses to start instead of running with empty secrets', () => {
    assert.throws(() => interpolateTree(raw, {}), (error: unknown) => error instanceof InterpolationError && /required variable/.test(error.message));
  });

  test('every image it pulls is pinned to at least a major.minor version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build !== undefined) continue;
      const image = stringAt(service.image, `services.${name}.image`);
      assert.match(image, /:v?\d+\.\d+/, `services.${name}.image ${image}`);
    }
  });

  test('no port is published to the world except Traefik 80 and 443; admin UIs listen on 127.0.0.1', () => {
    const published: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const port of listAt(service.ports ?? [], `services.${name}.ports`)) {
        const text = String(port);
        if (!text.startsWith('127.0.0.1:')) published.push(`${name} ${text}`);
      }
    }
    assert.deepEqual(published.sort(), ['traefik 443:443', 'traefik 80:80']);
  });

  test('every dependency is waited for until healthy, and each one has a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service, `services.${name}`))) {
        assert.ok(services[dependency], `${name} depends on unknown service ${dependency}`);
        assert.equal(condition.condition, 'service_healthy', `${name} → ${dependency}`);
        assert.ok(hasHealthcheck(dependency), `${dependency} has no health check (compose or Dockerfile HEALTHCHECK)`);
      }
    }
    for (const { name } of built) {
      if (name === 'frontend') continue;
      const needs = Object.keys(dependsOn(services[name]!, name));
      if (name !== 'gateway') assert.ok(needs.includes('postgres') && needs.includes('rabbitmq'), `${name} waits for postgres and rabbitmq`);
    }
  });

  test('Postgres and RabbitMQ keep their data in named volumes', () => {
    const volumes = mapAt(model.volumes, 'volumes');
    for (const [name, target] of [
      ['postgres', '/var/lib/postgresql/data'],
      ['rabbitmq', '/var/lib/rabbitmq'],
    ] as const) {
      const mounts = listAt(services[name]!.volumes, `services.${name}.volumes`).map((mount) => stringAt(mount, `services.${name}.volumes`));
      const data = mounts.find((mount) => mount.split(':')[1] === target);
      assert.ok(data, `${name} mounts ${target}`);
      const source = data.split(':')[0]!;
      assert.ok(!source.startsWith('.') && !source.startsWith('/'), `${name} uses a named volume, not a bind mount (${source})`);
      assert.ok(source in volumes, `volume ${source} is declared`);
    }
    assert.equal(services.rabbitmq!.hostname, 'rabbitmq', 'a fixed node name, so the data directory survives a new container');
  });

  test('the Postgres health check connects over TCP, so it passes only after the init scripts ran', () => {
    const check = listAt(mapAt(services.postgres!.healthcheck, 'postgres.healthcheck').test, 'postgres.healthcheck.test').join(' ');
    assert.match(check, /pg_isready -h 127\.0\.0\.1/);
  });

  test('the Postgres init step is mounted, executable, and gets a password for each service role', () => {
    const mounts = listAt(services.postgres!.volumes, 'postgres.volumes').map(String);
    assert.ok(mounts.includes('./deploy/postgres/init:/docker-entrypoint-initdb.d:ro'), mounts.join(', '));
    const script = repositoryPath('deploy/postgres/init/01-service-roles.sh');
    assert.ok((statSync(script).mode & 0o111) !== 0, 'executable: the image sources scripts that are not, in its own shell');
    const postgresEnvironment = environmentOf(services.postgres!, 'postgres');
    for (const schema of ['IDENTITY', 'INCIDENT', 'NOTIFICATION', 'ANALYTICS']) {
      assert.ok(postgresEnvironment[`${schema}_DB_PASSWORD`], `${schema}_DB_PASSWORD reaches the init script`);
    }
  });

  test('each service connects to Postgres as its own role, the one the init step creates for its schema', () => {
    const script = readText('deploy/postgres/init/01-service-roles.sh');
    const roles = new Map([...script.matchAll(/^service_role (\w+) "\$\{(\w+):-(\w+)\}"/gm)].map(([, schema, variable, fallback]) => [schema!, variables[variable!] ?? fallback!]));
    assert.deepEqual([...roles.keys()].sort(), ['analytics', 'identity', 'incident', 'notification']);
    for (const { name } of built) {
      const url = environmentOf(services[name]!, name).DATABASE_URL;
      if (url === undefined) continue;
      const schema = name.replace(/-service$/, '');
      assert.equal(decodeURIComponent(new URL(url).username), roles.get(schema), `${name} connects as the role of schema ${schema}`);
      assert.equal(new URL(url).hostname, 'postgres');
    }
  });

  test('every variable a service requires is set, and every value parses with the service\'s own config schema', async () => {
    for (const { name, workspace, service } of built) {
      if (!isNodeService(workspace)) continue;
      const schema = await configSchemaOf(workspace);
      const environment = environmentOf(service, `services.${name}`);
      assert.doesNotThrow(() => loadConfig(schema, environment), `${name}: ${COMPOSE_FILE} with ${ENV_EXAMPLE}`);
      const known = variablesOf(schema);
      const unknown = Object.keys(environment).filter((variable) => !known.has(variable));
      assert.deepEqual(unknown, [], `${name} is given variables its config does not read (a typo?)`);
    }
  });

  test('with .env.example\'s change-me placeholders left in, every service refuses to start in production, naming them', async () => {
    const { model: unfilled } = loadComposeFile(COMPOSE_FILE, envExample());
    for (const { name, workspace, service } of builtServices(unfilled)) {
      if (!isNodeService(workspace)) continue;
      const environment = environmentOf(service, `services.${name}`);
      assert.equal(environment.NODE_ENV, 'production', `${name} runs in production`);
      const placeholders = Object.keys(environment).filter((variable) => /change-me/i.test(environment[variable]!));
      assert.ok(placeholders.length > 0, `${name} is given placeholders by .env.example`);
      const schema = await configSchemaOf(workspace);
      assert.throws(
        () => loadConfig(schema, environment),
        (error: unknown) => error instanceof Error && placeholders.every((variable) => error.message.includes(`${variable} holds`) && !error.message.includes(environment[variable]!)),
        `${name} refuses ${placeholders.join(', ')}`,
      );
    }
  });

  test('each service signs in to RabbitMQ as its own user, which the broker container creates with the rules of permissions.json', () => {
    const users = new Map<string, string>();
    for (const { name, workspace, service } of built) {
      if (!isNodeService(workspace)) continue;
      const url = environmentOf(service, name).AMQP_URL;
      if (url === undefined) continue;
      const user = decodeURIComponent(new URL(url).username);
      assert.equal(user, name.replace(/-service$/, '_service'), `${name} connects to RabbitMQ as its own user`);
      users.set(name, decodeURIComponent(new URL(url).password));
    }
    assert.deepEqual([...users.keys()].sort(), ['analytics-service', 'identity-service', 'incident-service', 'notification-service']);
    assert.equal(new Set(users.values()).size, users.size, 'each user has a password of its own');

    const rabbitmq = services.rabbitmq!;
    assert.deepEqual(listAt(rabbitmq.entrypoint, 'rabbitmq.entrypoint'), ['/bin/bash', '/etc/rabbitmq/desk/start.sh']);
    assert.ok(listAt(rabbitmq.volumes, 'rabbitmq.volumes').map(String).includes('./deploy/rabbitmq:/etc/rabbitmq/desk:ro'));
    const brokerEnvironment = environmentOf(rabbitmq, 'rabbitmq');
    for (const [name, password] of users) {
      assert.equal(brokerEnvironment[`${name.replace(/-service$/, '').toUpperCase()}_RABBITMQ_PASSWORD`], password, `the broker creates ${name}'s user with the password ${name} uses`);
    }
    for (const script of ['deploy/rabbitmq/start.sh', 'deploy/rabbitmq/service-users.sh']) {
      assert.ok((statSync(repositoryPath(script)).mode & 0o111) !== 0, `${script} is executable`);
    }
    // The script's rules are permissions.json's (which the messaging tests apply to a real broker).
    const permissions = JSON.parse(readText('deploy/rabbitmq/permissions.json')) as { users: Record<string, { configure: string; write: string; read: string }> };
    const script = readText('deploy/rabbitmq/service-users.sh');
    const calls = [...script.matchAll(/^service_user (\w+) "[^"]*" \\\n\s+'([^']*)' \\\n\s+'([^']*)' \\\n\s+'([^']*)'$/gm)];
    const scripted = Object.fromEntries(calls.map(([, user, configure, write, read]) => [user!, { configure: configure!, write: write!, read: read! }]));
    const expected = Object.fromEntries(
      Object.entries(permissions.users).map(([user, rules]) => [user, { configure: rules.configure.replaceAll('{ns}', ''), write: rules.write.replaceAll('{ns}', ''), read: rules.read.replaceAll('{ns}', '') }]),
    );
    assert.deepEqual(scripted, expected);
  });

  test('every service names the same OAuth issuer, the API as clients reach it (https://$API_HOST; http locally)', () => {
    const issuers = new Set(built.filter(({ workspace }) => isNodeService(workspace)).map(({ name, service }) => environmentOf(service, name).JWT_ISSUER));
    assert.deepEqual([...issuers], [`https://${variables.API_HOST}`]);
    const local = servicesOf(loadComposeFile(LOCAL_COMPOSE_FILE, variables).model, LOCAL_COMPOSE_FILE);
    for (const name of ['gateway', 'identity-service', 'incident-service', 'notification-service', 'analytics-service']) {
      assert.equal(environmentOf(local[name]!, name).JWT_ISSUER, 'http://api.localhost', `${name} locally`);
    }
  });

  test('every service the gateway routes to is configured, with the compose service names and ports', () => {
    const gateway = environmentOf(services.gateway!, 'gateway');
    for (const [variable, service, port] of [
      ['IDENTITY_URL', 'identity-service', '4001'],
      ['INCIDENT_URL', 'incident-service', '4002'],
      ['NOTIFICATION_URL', 'notification-service', '4003'],
      ['ANALYTICS_URL', 'analytics-service', '4004'],
    ] as const) {
      const url = new URL(gateway[variable] ?? '');
      assert.equal(url.hostname, service, variable);
      assert.equal(url.port, port, variable);
      assert.ok(services[service], `${service} exists`);
    }
  });

  test('all services share one INTERNAL_API_TOKEN, and telemetry goes to Jaeger over OTLP/HTTP', () => {
    const tokens = new Set(built.filter(({ workspace }) => isNodeService(workspace)).map(({ name, service }) => environmentOf(service, name).INTERNAL_API_TOKEN));
    assert.equal(tokens.size, 1);
    for (const { name, service, workspace } of built) {
      if (!isNodeService(workspace)) continue;
      assert.equal(environmentOf(service, name).OTEL_EXPORTER_OTLP_ENDPOINT, 'http://jaeger:4318', name);
    }
  });

  test('the gateway believes X-Forwarded-For from Traefik\'s and the portal\'s fixed addresses alone; services from the backend network alone', () => {
    const traefikNetworks = mapAt(services.traefik!.networks, 'traefik.networks');
    const traefikAddress = stringAt(mapAt(traefikNetworks.edge, 'traefik.networks.edge').ipv4_address, 'traefik edge address');
    const portalAddress = stringAt(mapAt(mapAt(services.frontend!.networks, 'frontend.networks').edge, 'frontend.networks.edge').ipv4_address, 'portal edge address');
    assert.equal(services.frontend!.ports, undefined, 'the portal is reached through Traefik only, so what it passes on came from Traefik');
    const edgeSubnet = stringAt(mapAt(listAt(mapAt(mapAt(mapAt(model.networks, 'networks').edge, 'edge').ipam, 'edge.ipam').config, 'edge.ipam.config')[0], 'edge subnet').subnet, 'edge subnet');
    const backendSubnet = stringAt(mapAt(listAt(mapAt(mapAt(mapAt(model.networks, 'networks').backend, 'backend').ipam, 'backend.ipam').config, 'backend.ipam.config')[0], 'backend subnet').subnet, 'backend subnet');
    assert.deepEqual(
      String(environmentOf(services.gateway!, 'gateway').TRUST_PROXY)
        .split(',')
        .map((entry) => entry.trim()),
      [traefikAddress, portalAddress],
    );
    const [network, bits] = edgeSubnet.split('/');
    assert.equal(bits, '24');
    assert.equal(traefikAddress.split('.').slice(0, 3).join('.'), network!.split('.').slice(0, 3).join('.'), 'Traefik\'s address lies in the edge subnet');
    assert.equal(portalAddress.split('.').slice(0, 3).join('.'), network!.split('.').slice(0, 3).join('.'), 'the portal\'s address lies in the edge subnet');
    assert.notEqual(portalAddress, traefikAddress);
    const networksOf = (name: string) => {
      const networks = services[name]!.networks;
      return Array.isArray(networks) ? networks.map(String) : Object.keys(mapAt(networks, `${name}.networks`));
    };
    assert.ok(networksOf('gateway').includes('edge') && networksOf('gateway').includes('backend'));
    for (const { name, workspace } of built) {
      if (!isNodeService(workspace) || name === 'gateway') continue;
      assert.equal(environmentOf(services[name]!, name).TRUST_PROXY, backendSubnet, name);
      assert.deepEqual(networksOf(name), ['backend'], `${name} is not reachable from the edge network`);
    }
  });

  test('Traefik gets the Cloudflare token and the two hosts, defaulting to the seed\'s hosts', () => {
    const traefik = environmentOf(mapAt(servicesOf(mapAt(raw, 'raw')).traefik, 'traefik'), 'traefik');
    assert.ok('CF_DNS_API_TOKEN' in traefik);
    const withoutEnv = environmentOf(servicesOf(mapAt(interpolateTree(raw, { ...variables, PUBLIC_HOST: undefined, API_HOST: undefined }), 'compose')).traefik!, 'traefik');
    assert.equal(withoutEnv.PUBLIC_HOST, 'service-now.wordlyte.com');
    assert.equal(withoutEnv.API_HOST, 'api-service-now.wordlyte.com');
    const overridden = environmentOf(servicesOf(mapAt(interpolateTree(raw, { ...variables, PUBLIC_HOST: 'desk.example.org' }), 'compose')).traefik!, 'traefik');
    assert.equal(overridden.PUBLIC_HOST, 'desk.example.org');
  });

  test('the bootstrap admin from identity-service\'s config is set', () => {
    const identity = environmentOf(services['identity-service']!, 'identity-service');
    assert.ok(identity.ADMIN_EMAIL && identity.ADMIN_PASSWORD);
  });

  test('the local override serves localhost over plain HTTP with its own Traefik configuration', () => {
    const local = servicesOf(loadComposeFile(LOCAL_COMPOSE_FILE, variables).model, LOCAL_COMPOSE_FILE);
    const traefik = local.traefik!;
    assert.deepEqual(traefik.command, ['--configFile=/etc/traefik/traefik.local.yml']);
    const mounts = listAt(traefik.volumes, 'traefik.volumes').map(String);
    assert.ok(mounts.includes('./traefik/traefik.local.yml:/etc/traefik/traefik.local.yml:ro'));
    const ports = listAt(traefik.ports, 'traefik.ports').map(String);
    assert.ok(!ports.some((port) => port.includes('443')), 'no HTTPS port locally');
    assert.equal(keyValues(traefik.environment, 'traefik.environment').PUBLIC_HOST, 'localhost');
    for (const name of Object.keys(local)) assert.ok(services[name], `the override only adjusts services of ${COMPOSE_FILE} (${name})`);
  });

  test('Docker waits longer than a service\'s graceful shutdown before it kills it', () => {
    for (const { name, service } of built) {
      const period = stringAt(service.stop_grace_period ?? '10s', `${name}.stop_grace_period`);
      const grace = /^(\d+)s$/.exec(period);
      const shutdownMs = Number(environmentOf(service, name).SHUTDOWN_TIMEOUT_MS ?? 10_000);
      assert.ok(grace && Number(grace[1]) * 1000 > shutdownMs, `${name}: stop_grace_period ${period} > SHUTDOWN_TIMEOUT_MS ${shutdownMs}`);
    }
  });

  test('every service built here has a health check in its image', () => {
    for (const { name, dockerfile } of built) {
      const check = lastInstruction(finalStage(parseDockerfile(readText(dockerfile))), 'HEALTHCHECK');
      assert.ok(check, `${dockerfile} has a HEALTHCHECK`);
      assert.match(healthcheck(check).command, /\/health/, `${name} checks /health`);
    }
  });
});
