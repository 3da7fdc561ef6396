import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SERVICE_NODE_FLAGS } from '@desk/platform';
import { builtServices, COMPOSE_FILE, loadComposeFile, type BuiltService } from './test-support/compose.js';
import {
  baseImage,
  copies,
  declaredArgs,
  execForm,
  finalStage,
  healthcheck,
  lastInstruction,
  lineage,
  parseDockerfile,
  workdir,
  type DockerStage,
  type ParsedDockerfile,
} from './test-support/dockerfile.js';
import { keyValues, mapAt, readText, repositoryPath } from './test-support/repository.js';
import { dockerignore, workspaceImage } from './test-support/images.js';

// Every image compose builds, checked from its Dockerfile: multi-stage on the current Node LTS,
// production dependencies and compiled output only, non-root, a health check on /health, and
// node itself as PID 1 so SIGTERM reaches the service. What the build stage produces is
// checked against a real build in production-build.test.ts.

const { model } = loadComposeFile(COMPOSE_FILE);
const images = builtServices(model);
const parsed = new Map(images.map((image) => [image.name, parseDockerfile(readText(image.dockerfile))]));
const ignored = dockerignore();

function dockerfileOf(image: BuiltService): ParsedDockerfile {
  return parsed.get(image.name)!;
}

function runtimeOf(image: BuiltService): DockerStage {
  return finalStage(dockerfileOf(image));
}

describe('Dockerfiles of the images compose builds', () => {
  test('compose builds every service and the frontend, each from the Dockerfile next to it, with the repository as context', () => {
    assert.deepEqual(
      images.map(({ name, dockerfile }) => `${name} ← ${dockerfile}`).sort(),
      ['analytics-service', 'frontend', 'gateway', 'identity-service', 'incident-service', 'notification-service'].map((name) => `${name} ← ${name}/Dockerfile`),
    );
    for (const { name, service } of images) assert.equal(mapAt(service.build, `${name}.build`).context, '.', name);
  });

  for (const image of images) {
    describe(image.dockerfile, () => {
      const dockerfile = dockerfileOf(image);
      const runtime = runtimeOf(image);

      test('it is well formed (no error from the Dockerfile validator)', () => {
        assert.deepEqual(dockerfile.problems, []);
      });

      test('it is multi-stage, every stage on the same pinned Node 24 LTS slim image', () => {
        assert.ok(dockerfile.stages.length >= 2, 'a build stage and a runtime stage');
        for (const stage of dockerfile.stages) assert.match(baseImage(stage), /^node:24\.\d+-bookworm-slim$/, `stage ${stage.name ?? '?'}`);
        assert.notEqual(runtime.name, 'build');
      });

      test('the runtime stage runs as the unprivileged node user', () => {
        assert.equal(lastInstruction(runtime, 'USER')?.args[0], 'node');
      });

      test('CMD is exec form starting node directly, with no ENTRYPOINT or shell in between (SIGTERM reaches Node)', () => {
        const cmd = lastInstruction(runtime, 'CMD');
        assert.ok(cmd, 'a CMD');
        const command = execForm(cmd);
        assert.ok(command, `exec form, not shell form: CMD ${cmd.text}`);
        assert.equal(command[0], 'node');
        assert.ok(!command.some((part) => /^(npm|npx|sh|bash|tsx)$/.test(part) || part.includes('tsx')), command.join(' '));
        assert.equal(lastInstruction(runtime, 'ENTRYPOINT'), undefined);
      });

      test('HEALTHCHECK asks the service\'s readiness (/health/ready; the portal: /health) on its port with node itself (the slim image has no curl)', () => {
        const instruction = lastInstruction(runtime, 'HEALTHCHECK');
        assert.ok(instruction, 'a HEALTHCHECK');
        const check = healthcheck(instruction);
        assert.ok(check.exec, `exec form: ${check.command}`);
        assert.equal(check.exec[0], 'node');
        const script = check.exec.at(-1)!;
        const path = image.name === 'frontend' ? '/health' : '/health/ready';
        assert.ok(script.includes(`127.0.0.1:' + (process.env.PORT || `) && script.includes(`) + '${path}')`), `${script} asks ${path}`);
        const port = /process\.env\.PORT \|\| (\d+)/.exec(script)![1];
        assert.deepEqual(lastInstruction(runtime, 'EXPOSE')?.args, [port], 'the port it checks is the port it exposes');
        for (const option of ['interval', 'timeout', 'start-period', 'retries']) assert.ok(check.options[option], `--${option}`);
      });

      test('nothing is copied from the build context that .dockerignore leaves out', () => {
        for (const stage of dockerfile.stages) {
          for (const copy of copies(stage)) {
            if (copy.from !== undefined) continue;
            for (const source of copy.sources) {
              assert.ok(existsSync(repositoryPath(source)), `${source} exists`);
              assert.ok(!ignored(source), `${source} is excluded by .dockerignore`);
            }
          }
        }
      });

      test('the build context is copied with the repository layout under one WORKDIR, so image paths map back to the repository', () => {
        const roots = new Set<string>();
        for (const stage of dockerfile.stages) {
          for (const copy of copies(stage)) {
            if (copy.from !== undefined) continue;
            const root = workdir(stage, copy.instruction);
            roots.add(root);
            for (const source of copy.sources) {
              const isDirectory = source.endsWith('/');
              const landing = isDirectory || !copy.destination.endsWith('/') ? copy.destination : path.posix.join(copy.destination, path.posix.basename(source));
              assert.equal(path.posix.relative(root, landing), source.replace(/\/$/, ''), `COPY ${source} → ${copy.destination} (WORKDIR ${root})`);
            }
          }
        }
        assert.deepEqual([...roots], ['/app']);
      });
    });
  }
});

describe('the service images', () => {
  const serviceImages = images.filter(({ name }) => name !== 'frontend');

  for (const image of serviceImages) {
    describe(image.dockerfile, () => {
      const dockerfile = dockerfileOf(image);
      const runtime = runtimeOf(image);
      const expected = workspaceImage(image.workspace);

      test('it installs exactly the workspaces the service needs at run time (its @desk dependencies, never packages/testing)', () => {
        const manifests = lineage(runtime)
          .flatMap(copies)
          .filter((copy) => copy.from === undefined)
          .flatMap((copy) => copy.sources)
          .filter((source) => source.endsWith('/package.json'))
          .map((source) => path.posix.dirname(source))
          .sort();
        assert.deepEqual(manifests, [...expected.workspaces].sort());
      });

      test('the build stage installs with dev dependencies and compiles the service with tsc -b', () => {
        const build = dockerfile.stages.find((stage) => stage.name === 'build');
        assert.ok(build, 'a stage named build');
        const runs = build.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args.join(' '));
        assert.ok(runs.some((run) => run.startsWith('npm ci') && run.includes(`--workspace ${expected.packageName}`) && !run.includes('--omit=dev')), runs.join('\n'));
        assert.ok(runs.includes(`npx tsc -b ${image.workspace}/tsconfig.build.json`), runs.join('\n'));
      });

      test('the runtime stage installs production dependencies only, of this workspace only', () => {
        const runs = runtime.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args.join(' '));
        assert.ok(runs.some((run) => run.startsWith('npm ci') && run.includes('--omit=dev') && run.includes(`--workspace ${expected.packageName}`)), runs.join('\n'));
        const environment = keyValues(
          lineage(runtime).flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === 'ENV').flatMap((instruction) => instruction.args)),
          'ENV',
        );
        assert.equal(environment.NODE_ENV, 'production');
      });

      test('it copies from the build stage the compiled output of the service and of each package, nothing else', () => {
        const copied = copies(runtime)
          .filter((copy) => copy.from === 'build')
          .flatMap((copy) => copy.sources)
          .sort();
        assert.deepEqual(copied, expected.workspaces.map((workspace) => `/app/${workspace}/dist`).sort());
      });

      test('CMD starts the compiled entry point from the service folder (dist/main.js, as package.json "main" says)', () => {
        const command = execForm(lastInstruction(runtime, 'CMD')!)!;
        const script = command.slice(1).find((part) => !part.startsWith('-'));
        assert.equal(path.posix.resolve(workdir(runtime), script ?? ''), `/app/${image.workspace}/dist/main.js`);
        const manifest = JSON.parse(readFileSync(repositoryPath(`${image.workspace}/package.json`), 'utf8')) as { main?: string };
        assert.equal(path.posix.normalize(manifest.main ?? ''), 'dist/main.js');
      });
    });
  }
});

describe('the backend services\' Node flags', () => {
  const backends = images.filter(({ name }) => name !== 'frontend');
  const startScript = (workspace: string) =>
    (JSON.parse(readFileSync(repositoryPath(`${workspace}/package.json`), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);

  for (const image of backends) {
    test(`${image.name}: its CMD and npm start give Node the flags SERVICE_NODE_FLAGS names, as the benchmarks do`, () => {
      const command = execForm(lastInstruction(runtimeOf(image), 'CMD')!)!;
      const start = startScript(image.workspace);
      for (const flag of SERVICE_NODE_FLAGS) {
        assert.ok(command.includes(flag), `CMD ${command.join(' ')} lacks ${flag}`);
        assert.ok(start.includes(flag), `npm start lacks ${flag}`);
      }
    });
  }

  test('the standalone platform (npm start at the root) starts with them too', () => {
    const start = startScript('standalone');
    for (const flag of SERVICE_NODE_FLAGS) assert.ok(start.includes(flag), `standalone's npm start lacks ${flag}`);
  });
});

describe('the frontend image', () => {
  const image = images.find(({ name }) => name === 'frontend')!;
  const dockerfile = dockerfileOf(image);
  const runtime = runtimeOf(image);

  test('it runs Next.js\'s standalone server with node (the portal image builds once the app exists)', () => {
    assert.deepEqual(execForm(lastInstruction(runtime, 'CMD')!), ['node', 'server.js']);
    const fromBuild = copies(runtime).filter((copy) => copy.from === 'build');
    assert.ok(fromBuild.some((copy) => copy.sources.includes('/app/frontend/.next/standalone')), 'the standalone output');
    assert.ok(fromBuild.some((copy) => copy.sources.includes('/app/frontend/.next/static')), 'the static assets');
    assert.equal(path.posix.join(workdir(runtime), 'server.js'), '/app/frontend/server.js', 'server.js of a workspace app sits in standalone/frontend/');
  });

  test('it binds on all interfaces inside the container and sends no telemetry to Vercel', () => {
    const environment = keyValues(
      runtime.instructions.filter((instruction) => instruction.keyword === 'ENV').flatMap((instruction) => instruction.args),
      'ENV',
    );
    assert.equal(environment.HOSTNAME, '0.0.0.0');
    assert.equal(environment.NEXT_TELEMETRY_DISABLED, '1');
  });

  test('compose passes only build arguments the Dockerfile declares', () => {
    const args = keyValues(mapAt(image.service.build, 'frontend.build').args, 'frontend.build.args');
    const build = dockerfile.stages.find((stage) => stage.name === 'build')!;
    for (const name of Object.keys(args)) assert.ok(declaredArgs(build).has(name), `ARG ${name}`);
    assert.match(args.NEXT_PUBLIC_API_URL ?? '', /^https:\/\//);
  });
});

describe('.dockerignore', () => {
  test('it keeps node_modules, build output, local data, secrets and tests out of every build context', () => {
    for (const path of [
      'node_modules/express/index.js',
      'packages/platform/node_modules/x',
      'identity-service/dist/main.js',
      'packages/contracts/dist/index.js',
      '.data/postgres/PG_VERSION',
      '.env',
      '.git/HEAD',
      'identity-service/src/auth/auth.test.ts',
      'gateway/src/test-support/harness.ts',
      'frontend/.next/cache/x',
    ]) {
      assert.ok(ignored(path), `${path} is excluded`);
    }
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.base.json', 'identity-service/src/main.ts', 'packages/platform/src/db.ts']) {
      assert.ok(!ignored(path), `${path} is kept`);
    }
  });
});
