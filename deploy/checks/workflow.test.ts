import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listAt, mapAt, readText, readYaml, stringAt, type YamlMap } from './test-support/repository.js';

// .github/workflows/ci.yml and .ci/run, read as the runners would read them.

const WORKFLOW = '.github/workflows/ci.yml';
const workflow = mapAt(readYaml(WORKFLOW), WORKFLOW);

function job(): YamlMap {
  const jobs = mapAt(workflow.jobs, 'jobs');
  assert.equal(Object.keys(jobs).length, 1);
  return mapAt(Object.values(jobs)[0], 'the job');
}

function runSteps(): string[] {
  return listAt(job().steps, 'steps')
    .map((step) => mapAt(step, 'step').run)
    .filter((run): run is string => typeof run === 'string')
    .map((run) => run.trim());
}

describe('the CI workflow', () => {
  test('it parses and runs on pushes and on pull requests', () => {
    const triggers = mapAt(workflow.on, 'on');
    assert.ok('push' in triggers && 'pull_request' in triggers, Object.keys(triggers).join(', '));
    assert.deepEqual(mapAt(workflow.permissions, 'permissions'), { contents: 'read' }, 'a read-only token');
  });

  test('Postgres and RabbitMQ run as service containers with health checks, on the ports the tests use', () => {
    const services = mapAt(job().services, 'services');
    const postgres = mapAt(services.postgres, 'postgres');
    const rabbitmq = mapAt(services.rabbitmq, 'rabbitmq');
    // the versions production runs (docker-compose.yml)
    const composeServices = mapAt(mapAt(readYaml('docker-compose.yml'), 'docker-compose.yml').services, 'services');
    assert.equal(postgres.image, mapAt(composeServices.postgres, 'postgres').image);
    assert.equal(rabbitmq.image, mapAt(composeServices.rabbitmq, 'rabbitmq').image);
    for (const [name, service, port] of [
      ['postgres', postgres, '5432'],
      ['rabbitmq', rabbitmq, '5672'],
    ] as const) {
      assert.match(stringAt(service.options, `${name}.options`), /--health-cmd/, `${name} is waited for until healthy`);
      assert.ok(listAt(service.ports, `${name}.ports`).map(String).includes(`${port}:${port}`), `${name} on ${port}`);
    }

    // packages/testing finds them through these two variables
    const environment = mapAt(job().env, 'env');
    const database = new URL(stringAt(environment.TEST_DATABASE_URL, 'TEST_DATABASE_URL'));
    const postgresEnvironment = mapAt(postgres.env, 'postgres.env');
    assert.equal(database.port, '5432');
    assert.equal(database.username, postgresEnvironment.POSTGRES_USER);
    assert.equal(database.password, postgresEnvironment.POSTGRES_PASSWORD);
    assert.equal(database.pathname, `/${String(postgresEnvironment.POSTGRES_DB)}`);
    assert.match(database.pathname, /test/, 'the test helpers refuse a database whose name lacks "test"');
    const broker = new URL(stringAt(environment.TEST_AMQP_URL, 'TEST_AMQP_URL'));
    const rabbitEnvironment = mapAt(rabbitmq.env, 'rabbitmq.env');
    assert.equal(broker.port, '5672');
    assert.equal(broker.username, rabbitEnvironment.RABBITMQ_DEFAULT_USER);
    assert.equal(broker.password, rabbitEnvironment.RABBITMQ_DEFAULT_PASS);
  });

  test('it installs with npm ci, lints, runs every test with nothing built before them, then typechecks and builds, in that order', () => {
    const runs = runSteps();
    const order = ['npm ci', 'npm run lint', 'npm test', 'npm run typecheck', 'npm run build'].map((command) => {
      const index = runs.findIndex((run) => run === command || run.startsWith(`${command} `));
      assert.notEqual(index, -1, `a step runs ${command}`);
      return index;
    });
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  test('it runs on the Node version package.json requires and on the Node the images run', () => {
    const engines = (JSON.parse(readText('package.json')) as { engines: { node: string } }).engines.node;
    const floor = /(\d+)(?:\.(\d+))?/.exec(engines)!;
    const versions = listAt(mapAt(mapAt(job().strategy, 'strategy').matrix, 'matrix').node, 'matrix.node').map(String);
    assert.ok(versions.some((version) => version.startsWith(`${floor[1]}.${floor[2] ?? ''}`) || version === floor[1]), `${versions.join(', ')} covers ${engines}`);
    const imageNode = /FROM node:(\d+)\./.exec(readText('identity-service/Dockerfile'))![1]!;
    assert.ok(versions.some((version) => version.split('.')[0] === imageNode), `${versions.join(', ')} covers Node ${imageNode}`);
    const setupNode = listAt(job().steps, 'steps').map((step) => mapAt(step, 'step')).find((step) => String(step.uses).startsWith('actions/setup-node@'));
    assert.equal(mapAt(setupNode?.with, 'setup-node.with')['node-version'], '${{ matrix.node }}');
  });

  test('.ci/run runs the tests as a newcomer would: after npm ci, before any typecheck or build step', () => {
    const script = readText('.ci/run')
      .split('\n')
      .filter((line) => !line.trim().startsWith('#') && !line.trim().startsWith('step '));
    const lineOf = (command: string) => script.findIndex((line) => line.trim() === command || line.trim().startsWith(`${command} `));
    const [install, tests, typecheck, build] = ['npm ci', 'npm test', 'npm run typecheck', 'npm run build'].map(lineOf) as [number, number, number, number];
    assert.ok(install !== -1 && tests !== -1, '.ci/run installs and runs npm test');
    assert.ok(install < tests, 'npm ci before npm test');
    for (const [name, line] of [['npm run typecheck', typecheck], ['npm run build', build]] as const) {
      assert.ok(line === -1 || line > tests, `${name} comes after npm test, not before it`);
    }
  });
});
