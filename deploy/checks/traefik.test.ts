import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtServices, COMPOSE_FILE, environmentOf, LOCAL_COMPOSE_FILE, loadComposeFile, servicesOf } from './test-support/compose.js';
import { finalStage, lastInstruction, parseDockerfile } from './test-support/dockerfile.js';
import { listAt, mapAt, parseYaml, readText, stringAt, type YamlMap } from './test-support/repository.js';

// Traefik's static and dynamic configuration, checked against each other and against compose:
// the entrypoints, the redirect, Let's Encrypt through Cloudflare's DNS, the two routers and
// their middlewares, and the services they send traffic to.

const { raw, model } = loadComposeFile(COMPOSE_FILE);
const services = servicesOf(model);
const traefikService = services.traefik!;
const traefikEnvironment = environmentOf(traefikService, 'traefik');

/**
 * Traefik renders dynamic files as Go templates before reading them; the only function used
 * here is `env`. Anything else left in braces fails the check rather than passing unread.
 */
function renderTemplate(text: string, environment: Record<string, string>, source: string): string {
  const rendered = text.replace(/\{\{\s*env\s+"([A-Za-z_][A-Za-z0-9_]*)"\s*\}\}/g, (_match, name: string) => {
    const value = environment[name];
    if (value === undefined) throw new Error(`${source} reads ${name}, which Traefik's container does not have`);
    return value;
  });
  if (rendered.includes('{{')) throw new Error(`${source} uses a template this check does not understand`);
  return rendered;
}

function readDynamic(file: string, environment: Record<string, string>): YamlMap {
  return mapAt(parseYaml(renderTemplate(readText(file), environment, file), file), file);
}

/** The dynamic configuration of a folder: its files merged, as Traefik's file provider does. */
function dynamicConfiguration(files: string[], environment: Record<string, string>): { routers: YamlMap; services: YamlMap; middlewares: YamlMap; tls: YamlMap } {
  const merged = { routers: {} as YamlMap, services: {} as YamlMap, middlewares: {} as YamlMap, tls: {} as YamlMap };
  for (const file of files) {
    const document = readDynamic(file, environment);
    const http = mapAt(document.http ?? {}, `${file}: http`);
    Object.assign(merged.routers, mapAt(http.routers ?? {}, `${file}: http.routers`));
    Object.assign(merged.services, mapAt(http.services ?? {}, `${file}: http.services`));
    Object.assign(merged.middlewares, mapAt(http.middlewares ?? {}, `${file}: http.middlewares`));
    Object.assign(merged.tls, mapAt(document.tls ?? {}, `${file}: tls`));
  }
  return merged;
}

function hostOf(rule: string): string {
  const match = /^Host\(`([^`]+)`\)(?: && !PathPrefix\(`\/metrics`\))?$/.exec(rule);
  assert.ok(match, `a Host(\`...\`) rule: ${rule}`);
  return match[1]!;
}

/** The compose service and port a Traefik service sends requests to. */
function upstreamOf(configuration: { services: YamlMap }, name: string): { host: string; port: string } {
  const servers = listAt(mapAt(mapAt(configuration.services[name], `service ${name}`).loadBalancer, `service ${name}.loadBalancer`).servers, `service ${name} servers`);
  assert.equal(servers.length, 1);
  const url = new URL(stringAt(mapAt(servers[0], 'server').url, 'server.url'));
  return { host: url.hostname, port: url.port };
}

function exposedPort(composeService: string): string {
  const image = builtServices(model).find(({ name }) => name === composeService);
  assert.ok(image, `${composeService} is built by compose`);
  const expose = lastInstruction(finalStage(parseDockerfile(readText(image.dockerfile))), 'EXPOSE');
  return expose?.args[0] ?? '';
}

function checkRouters(configuration: ReturnType<typeof dynamicConfiguration>, hosts: { portal: string; api: string }, entryPoint: string): YamlMap[] {
  const routers = Object.entries(configuration.routers).map(([name, router]) => [name, mapAt(router, `router ${name}`)] as const);
  const byHost = new Map(routers.map(([, router]) => [hostOf(stringAt(router.rule, 'rule')), router]));
  assert.deepEqual([...byHost.keys()].sort(), [hosts.api, hosts.portal].sort());

  const expectations = [
    [hosts.portal, 'frontend'],
    [hosts.api, 'gateway'],
  ] as const;
  for (const [host, composeService] of expectations) {
    const router = byHost.get(host)!;
    assert.deepEqual(router.entryPoints, [entryPoint], `${host} entry point`);
    const upstream = upstreamOf(configuration, stringAt(router.service, 'router.service'));
    assert.equal(upstream.host, composeService, `${host} goes to ${composeService}`);
    assert.ok(services[composeService], `${composeService} is a compose service`);
    assert.equal(upstream.port, exposedPort(composeService), `${host} uses the port ${composeService} listens on`);
    const middlewares = listAt(router.middlewares, `${host} middlewares`).map(String);
    for (const middleware of middlewares) assert.ok(configuration.middlewares[middleware], `middleware ${middleware} is defined`);
    const kinds = middlewares.map((middleware) => Object.keys(mapAt(configuration.middlewares[middleware], middleware))[0]);
    assert.ok(kinds.includes('headers'), `${host}: security headers`);
    assert.ok(kinds.includes('compress'), `${host}: compression`);
  }
  assert.match(stringAt(byHost.get(hosts.api)!.rule, 'rule'), /&& !PathPrefix\(`\/metrics`\)$/, 'the API host does not publish /metrics');
  for (const [name, middleware] of Object.entries(configuration.middlewares)) {
    const compress = mapAt(middleware, name).compress;
    if (compress !== undefined) assert.ok(listAt(mapAt(compress, `${name}.compress`).excludedContentTypes, 'excludedContentTypes').includes('text/event-stream'), 'live streams are not buffered by compression');
  }
  return routers.map(([, router]) => router);
}

describe('Traefik (production)', () => {
  const staticConfiguration = mapAt(parseYaml(readText('traefik/traefik.yml'), 'traefik/traefik.yml'), 'traefik.yml');
  const entryPoints = mapAt(staticConfiguration.entryPoints, 'entryPoints');
  const dynamicFiles = ['traefik/dynamic/routers.yml', 'traefik/dynamic/middlewares.yml'];
  const configuration = dynamicConfiguration(dynamicFiles, traefikEnvironment);

  test('entrypoints 80 and 443, and every plain-HTTP request redirected to HTTPS', () => {
    const web = mapAt(entryPoints.web, 'web');
    assert.equal(web.address, ':80');
    assert.equal(mapAt(entryPoints.websecure, 'websecure').address, ':443');
    const redirect = mapAt(mapAt(mapAt(web.http, 'web.http').redirections, 'redirections').entryPoint, 'redirections.entryPoint');
    assert.deepEqual({ to: redirect.to, scheme: redirect.scheme, permanent: redirect.permanent }, { to: 'websecure', scheme: 'https', permanent: true });
  });

  test('certificates come from Let\'s Encrypt through the Cloudflare DNS challenge, with the token and the account address from .env', () => {
    const acme = mapAt(mapAt(mapAt(staticConfiguration.certificatesResolvers, 'certificatesResolvers').letsencrypt, 'letsencrypt').acme, 'acme');
    assert.equal(mapAt(acme.dnsChallenge, 'dnsChallenge').provider, 'cloudflare');
    assert.ok('CF_DNS_API_TOKEN' in traefikEnvironment, 'lego reads CF_DNS_API_TOKEN');
    assert.equal(acme.email, '${ACME_EMAIL}', 'a placeholder the container start fills in');
    const command = listAt(traefikService.command, 'traefik.command').join(' ');
    assert.match(command, /sed .*ACME_EMAIL.* \/etc\/traefik\/traefik\.yml > \/tmp\/traefik\.yml && exec traefik --configFile=\/tmp\/traefik\.yml/);
    assert.ok('ACME_EMAIL' in traefikEnvironment);
    // The certificates survive a new container: their storage is a named volume.
    const storage = stringAt(acme.storage, 'acme.storage');
    const mounts = listAt(traefikService.volumes, 'traefik.volumes').map(String);
    assert.ok(mounts.some((mount) => mount.startsWith('traefik-acme:') && storage.startsWith(`${mount.split(':')[1]!}/`)), `${storage} is on a volume`);
  });

  test('the file provider reads the dynamic folder compose mounts', () => {
    const directory = mapAt(mapAt(staticConfiguration.providers, 'providers').file, 'providers.file').directory;
    const mounts = listAt(traefikService.volumes, 'traefik.volumes').map(String);
    assert.ok(mounts.includes(`./traefik/dynamic:${String(directory)}:ro`), mounts.join(', '));
    assert.ok(mounts.includes('./traefik/traefik.yml:/etc/traefik/traefik.yml:ro'));
  });

  test('a router for the portal host and one for the API host, HTTPS with Let\'s Encrypt, security headers and compression', () => {
    const routers = checkRouters(configuration, { portal: traefikEnvironment.PUBLIC_HOST!, api: traefikEnvironment.API_HOST! }, 'websecure');
    for (const router of routers) assert.equal(mapAt(router.tls, 'router.tls').certResolver, 'letsencrypt');
  });

  test('the hosts default to the seed\'s and follow PUBLIC_HOST and API_HOST', () => {
    assert.equal(traefikEnvironment.PUBLIC_HOST, 'service-now.wordlyte.com');
    assert.equal(traefikEnvironment.API_HOST, 'api-service-now.wordlyte.com');
    const other = dynamicConfiguration(dynamicFiles, { PUBLIC_HOST: 'desk.example.org', API_HOST: 'api.desk.example.org' });
    const hosts = Object.values(other.routers).map((router) => hostOf(stringAt(mapAt(router, 'router').rule, 'rule')));
    assert.deepEqual(hosts.sort(), ['api.desk.example.org', 'desk.example.org']);
  });

  test('the security headers: HSTS, nosniff, no framing, a referrer policy, and no Server header', () => {
    const headers = mapAt(mapAt(configuration.middlewares['security-headers'], 'security-headers').headers, 'headers');
    assert.ok(Number(headers.stsSeconds) >= 31536000, 'HSTS for at least a year');
    assert.equal(headers.contentTypeNosniff, true);
    assert.equal(headers.frameDeny, true);
    assert.ok(headers.referrerPolicy);
    assert.equal(mapAt(headers.customResponseHeaders, 'customResponseHeaders').Server, '');
    const tls = mapAt(mapAt(configuration.tls.options, 'tls.options').default, 'tls.options.default');
    assert.equal(tls.minVersion, 'VersionTLS12');
  });

  test('the gateway trusts X-Forwarded-* from Traefik (and the portal behind it) alone, and Traefik does not pass on what clients send', () => {
    const address = stringAt(mapAt(mapAt(traefikService.networks, 'traefik.networks').edge, 'edge').ipv4_address, 'ipv4_address');
    const trusted = String(environmentOf(services.gateway!, 'gateway').TRUST_PROXY)
      .split(',')
      .map((entry) => entry.trim());
    assert.equal(trusted[0], address);
    assert.equal(trusted.length, 2, 'Traefik and the portal, nobody else');
    const websecure = mapAt(entryPoints.websecure, 'websecure');
    assert.equal(websecure.forwardedHeaders, undefined, 'no forwardedHeaders.trustedIPs / insecure on the public entrypoint');
  });

  test('the dashboard and ping are on their own entrypoint, published on 127.0.0.1 only, and the health check uses ping', () => {
    assert.equal(mapAt(entryPoints.traefik, 'traefik').address, ':8080');
    assert.ok(listAt(traefikService.ports, 'traefik.ports').map(String).includes('127.0.0.1:8081:8080'));
    assert.deepEqual(mapAt(traefikService.healthcheck, 'traefik.healthcheck').test, ['CMD', 'traefik', 'healthcheck', '--ping']);
    assert.ok(staticConfiguration.ping !== undefined);
  });

  test('compose\'s raw file keeps the $$ escapes, so the shell (not compose) reads ACME_EMAIL', () => {
    const command = listAt(mapAt(mapAt(raw.services, 'services').traefik, 'traefik').command, 'command').join(' ');
    assert.match(command, /\$\$\{ACME_EMAIL\}/);
  });
});

describe('Traefik (local override, plain HTTP)', () => {
  const local = servicesOf(loadComposeFile(LOCAL_COMPOSE_FILE).model, LOCAL_COMPOSE_FILE).traefik!;
  const environment = { ...traefikEnvironment, ...environmentOf(local, 'traefik (local)') };
  const staticConfiguration = mapAt(parseYaml(readText('traefik/traefik.local.yml'), 'traefik/traefik.local.yml'), 'traefik.local.yml');
  const configuration = dynamicConfiguration(['traefik/local/routers.yml'], environment);

  test('port 80 only, no redirect and no certificate resolver', () => {
    const entryPoints = mapAt(staticConfiguration.entryPoints, 'entryPoints');
    assert.deepEqual(Object.keys(entryPoints).sort(), ['traefik', 'web']);
    assert.equal(mapAt(entryPoints.web, 'web').http, undefined);
    assert.equal(staticConfiguration.certificatesResolvers, undefined);
    const directory = mapAt(mapAt(staticConfiguration.providers, 'providers').file, 'file').directory;
    assert.ok(listAt(local.volumes, 'volumes').map(String).includes(`./traefik/local:${String(directory)}:ro`));
  });

  test('the same two routers serve localhost and api.localhost without TLS', () => {
    const routers = checkRouters(configuration, { portal: 'localhost', api: 'api.localhost' }, 'web');
    for (const router of routers) assert.equal(router.tls, undefined);
  });
});
