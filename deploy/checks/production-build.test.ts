import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { Secret, TOTP } from 'otpauth';
import { builtServices, COMPOSE_FILE, environmentOf, hasEntryPoint, isNodeService, loadComposeFile, type BuiltService } from './test-support/compose.js';
import { copies, execForm, finalStage, lastInstruction, parseDockerfile, stageNamed, workdir } from './test-support/dockerfile.js';
import { undeclaredRuntimeRequires, workspaceImage } from './test-support/images.js';
import { readText, repositoryPath, repositoryRoot } from './test-support/repository.js';
import { createDatabaseWithServiceRoles, psqlAvailable, type DatabaseWithServiceRoles, type ServiceSchema } from './test-support/service-roles.js';

const run = promisify(execFile);

// The production build, as the images make it, and the built services started the way the
// images start them: `node dist/main.js`, with no TypeScript runtime, no --conditions flag and
// no dev tooling in the environment, against a database initialised by the Postgres init step
// (each service signed in as its own restricted role), with the environment compose gives it.
// A service whose src/main.ts does not exist yet (one being written) is skipped until it does.

const { model } = loadComposeFile(COMPOSE_FILE);
const images = builtServices(model).filter(({ workspace }) => isNodeService(workspace));
const ready = images.filter(({ workspace }) => hasEntryPoint(workspace));
const pending = images.filter(({ workspace }) => !hasEntryPoint(workspace));

/** The compile command of the image's build stage (`npx tsc -b <service>/tsconfig.build.json`). */
function buildCommandOf(image: BuiltService): string[] {
  const build = stageNamed(parseDockerfile(readText(image.dockerfile)), 'build');
  const compile = build.instructions.find((instruction) => instruction.keyword === 'RUN' && instruction.args[0] === 'npx' && instruction.args[1] === 'tsc');
  assert.ok(compile, `${image.dockerfile}: the build stage compiles with npx tsc`);
  return compile.args.slice(2);
}

describe('the production build', () => {
  before(async () => {
    // One tsc -b for every project: the services share the packages they reference, and
    // separate builds side by side would write the same dist folders at once.
    const projects = ready.map((image) => {
      const [flag, project] = buildCommandOf(image);
      assert.equal(flag, '-b');
      return project!;
    });
    await run(process.execPath, [path.join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', ...projects], { cwd: repositoryRoot }).catch((error: Error & { stdout?: string }) => {
      throw new Error(`the production build failed:\n${error.stdout || error.message}`, { cause: error });
    });
  });

  for (const image of pending) {
    test(`${image.name}: skipped until ${image.workspace}/src/main.ts exists`, { skip: 'not written yet' }, () => {});
  }

  test('npm run build (tsconfig.build.json) builds every service the images build', () => {
    const references = (JSON.parse(readText('tsconfig.build.json')) as { references: { path: string }[] }).references.map((reference) => path.posix.normalize(reference.path));
    for (const image of ready) assert.ok(references.includes(`${image.workspace}/tsconfig.build.json`), `${image.workspace} is in tsconfig.build.json`);
  });

  for (const image of ready) {
    describe(image.name, () => {
      const dockerfile = parseDockerfile(readText(image.dockerfile));
      const runtime = finalStage(dockerfile);

      test('the build produces everything the runtime stage copies from the build stage', () => {
        const build = stageNamed(dockerfile, 'build');
        const root = workdir(build);
        for (const copy of copies(runtime).filter((candidate) => candidate.from === 'build')) {
          for (const source of copy.sources) {
            const inRepository = path.posix.relative(root, source);
            assert.ok(!inRepository.startsWith('..'), `${source} is inside the build stage's ${root}`);
            const full = repositoryPath(inRepository);
            assert.ok(existsSync(full) && readdirSync(full).length > 0, `${inRepository} exists after the build`);
          }
        }
      });

      test('the file CMD starts is one the build produced', () => {
        const command = execForm(lastInstruction(runtime, 'CMD')!)!;
        const script = path.posix.resolve(workdir(runtime), command.slice(1).find((part) => !part.startsWith('-'))!);
        // the runtime stage holds /app/<folder>/dist only through COPY --from=build of the same path
        const copy = copies(runtime).find((candidate) => candidate.from === 'build' && script.startsWith(`${candidate.destination.replace(/\/$/, '')}/`));
        assert.ok(copy, `${script} comes from the build stage`);
        const inBuild = path.posix.join(copy.sources[0]!, path.posix.relative(copy.destination, script));
        const inRepository = path.posix.relative(workdir(stageNamed(dockerfile, 'build')), inBuild);
        assert.ok(existsSync(repositoryPath(inRepository)), `${inRepository} exists after the build`);
      });

      test('the compiled code requires only packages listed in "dependencies" (the image has no others)', () => {
        for (const workspace of workspaceImage(image.workspace).workspaces) {
          assert.deepEqual(undeclaredRuntimeRequires(workspace), [], `${workspace}/dist`);
        }
      });

      test('the compiled code loads the workspace packages\' compiled output, not their TypeScript sources', () => {
        for (const workspace of workspaceImage(image.workspace).workspaces) {
          const manifest = JSON.parse(readFileSync(repositoryPath(`${workspace}/package.json`), 'utf8')) as { exports?: Record<string, Record<string, string>> };
          for (const [entry, conditions] of Object.entries(manifest.exports ?? {})) {
            const target = conditions.default ?? '';
            assert.ok(target.startsWith('./dist/'), `${workspace} "${entry}" resolves to dist/ without the source condition`);
            if (workspace !== image.workspace) assert.ok(existsSync(repositoryPath(path.posix.join(workspace, target))), `${workspace}/${target} was built`);
          }
        }
      });
    });
  }
});

interface RunningService {
  name: string;
  url: string;
  output(): string;
  /** SIGTERM, as `docker stop` sends; resolves with the exit code. */
  stop(): Promise<number | null>;
  child: ChildProcess;
}

/** Starts `node <CMD args>` in the service folder, the way the image's CMD does, on a free port. */
async function startBuiltService(image: BuiltService, environment: Record<string, string>): Promise<RunningService> {
  const runtime = finalStage(parseDockerfile(readText(image.dockerfile)));
  const [executable, ...args] = execForm(lastInstruction(runtime, 'CMD')!)!;
  assert.equal(executable, 'node');
  const folder = repositoryPath(path.posix.relative('/app', workdir(runtime)));
  // Nothing from this test process: no NODE_OPTIONS, no tsx loader, no --conditions=source.
  const child = spawn(process.execPath, args, {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let port: number | undefined;
  await waitFor(
    `${image.name} to listen`,
    () => {
      if (child.exitCode !== null) throw new Error(`${image.name} exited with ${child.exitCode}:\n${output.slice(-4000)}`);
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        // The first port a service opens is its public one (the gateway's internal port comes after).
        if (entry.msg?.startsWith('listening on') && entry.port && port === undefined) port = entry.port;
      }
      return port !== undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n--- ${image.name} output ---\n${output.slice(-4000)}`);
  });
  return {
    name: image.name,
    url: `http://127.0.0.1:${port!}`,
    output: () => output,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the built services, started with node alone', { skip: psqlAvailable() ? false : 'psql (the Postgres client) is not installed' }, () => {
  const running = new Map<string, RunningService>();
  let setup: DatabaseWithServiceRoles;

  before(async () => {
    setup = await createDatabaseWithServiceRoles('deploy_start');
  });

  after(async () => {
    for (const service of running.values()) if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await setup?.drop();
  });

  /**
   * The environment compose gives the service (with .env.example's values), rewired to this
   * machine: its role in the test database, the other services on their test ports, no
   * RabbitMQ (the in-process bus) and no Jaeger.
   */
  function environmentFor(image: BuiltService): Record<string, string> {
    const environment = environmentOf(image.service, image.name);
    delete environment.AMQP_URL;
    delete environment.OTEL_EXPORTER_OTLP_ENDPOINT;
    environment.PORT = '0';
    // The gateway's internal port (metrics, detailed health): any free one, on loopback.
    if (image.name === 'gateway') Object.assign(environment, { INTERNAL_PORT: '0', INTERNAL_HOST: '127.0.0.1' });
    environment.LOG_LEVEL = 'info';
    if (environment.DATABASE_URL) environment.DATABASE_URL = setup.roles[image.name.replace(/-service$/, '') as ServiceSchema].url;
    if (environment.SMTP_URL) environment.SMTP_URL = 'smtp://127.0.0.1:2525';
    // No SeaweedFS or clamd here: attachments on the file system, unscanned (the S3 driver and
    // the scan are tested against s3rver and a real clamd in incident-service's tests).
    if (environment.ATTACHMENT_STORAGE) {
      for (const variable of Object.keys(environment)) if (variable.startsWith('S3_') || variable === 'CLAMD_URL') delete environment[variable];
      Object.assign(environment, { ATTACHMENT_STORAGE: 'fs', ATTACHMENT_DIR: path.join(tmpdir(), `desk-built-attachments-${process.pid}`) });
    }
    for (const [variable, service] of [
      ['IDENTITY_URL', 'identity-service'],
      ['INCIDENT_URL', 'incident-service'],
      ['NOTIFICATION_URL', 'notification-service'],
      ['ANALYTICS_URL', 'analytics-service'],
    ] as const) {
      if (!(variable in environment)) continue;
      const target = running.get(service);
      if (target) environment[variable] = target.url;
      else delete environment[variable];
    }
    return environment;
  }

  async function start(image: BuiltService): Promise<void> {
    const service = await startBuiltService(image, environmentFor(image));
    running.set(image.name, service);
    const response = await fetch(`${service.url}/health`);
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    assert.equal(response.status, 200, `${image.name} /health: ${JSON.stringify(body)}`);
    assert.equal(body.status, 'ok');
    if ('DATABASE_URL' in environmentFor(image)) assert.equal(body.checks.database?.status, 'up', `${image.name} reaches its database as its own role`);
  }

  const byName = (name: string) => ready.find((image) => image.name === name);

  test('identity-service starts, migrates its schema as its restricted role and answers /health', async () => {
    await start(byName('identity-service')!);
    assert.match(running.get('identity-service')!.output(), /"schema":"identity"/);
  });

  test('the services behind the gateway start and answer /health', async () => {
    const rest = ready.filter((image) => image.name !== 'identity-service' && image.name !== 'gateway');
    // incident-service first: the others list its incidents when they start
    const incident = rest.find((image) => image.name === 'incident-service');
    if (incident) await start(incident);
    await Promise.all(rest.filter((image) => image !== incident).map(start));
  });

  test('the gateway starts and its /health reports every service up', async () => {
    await start(byName('gateway')!);
    const body = (await (await fetch(`${running.get('gateway')!.url}/health`)).json()) as { services: Record<string, string> };
    const expected = ready.filter((image) => image.name !== 'gateway').map((image) => image.name).sort();
    assert.deepEqual(Object.keys(body.services).sort(), expected);
    assert.ok(Object.values(body.services).every((status) => status === 'up'), JSON.stringify(body));
  });

  test('the bootstrap admin from the compose environment signs in through the gateway (setting up the second factor compose requires of admins)', async () => {
    const identity = environmentOf(byName('identity-service')!.service, 'identity-service');
    const response = await fetch(`${running.get('gateway')!.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: identity.ADMIN_EMAIL, password: identity.ADMIN_PASSWORD }),
    });
    let signedIn = response;
    if (identity.ADMIN_MFA === 'required') {
      // Compose requires admins to have a second factor: the first sign-in sets it up.
      const problem = (await response.json()) as { code: string; challengeToken: string };
      assert.equal(response.status, 401);
      assert.equal(problem.code, 'AUTH.MFA_ENROLMENT_REQUIRED');
      const post = (path: string, body: unknown) =>
        fetch(`${running.get('gateway')!.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const setup = (await (await post('/auth/login/mfa/setup', { challengeToken: problem.challengeToken })).json()) as { secret: string };
      const code = new TOTP({ secret: Secret.fromBase32(setup.secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
      signedIn = await post('/auth/login/mfa', { challengeToken: problem.challengeToken, code });
    }
    assert.equal(signedIn.status, 200, await signedIn.clone().text());
    const { accessToken } = (await signedIn.json()) as { accessToken: string };
    const me = await fetch(`${running.get('gateway')!.url}/auth/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    assert.equal(me.status, 200);
  });

  test('SIGTERM, as docker stop sends it, shuts each service down cleanly', async () => {
    // the gateway first, then the services, as compose stops them (reverse dependency order)
    const order = ['gateway', ...[...running.keys()].filter((name) => name !== 'gateway' && name !== 'identity-service'), 'identity-service'];
    for (const name of order) {
      const service = running.get(name);
      if (!service) continue;
      const code = await service.stop();
      assert.equal(code, 0, `${name} exit code\n${service.output().slice(-2000)}`);
      assert.match(service.output(), /shutdown complete/, name);
    }
  });
});
