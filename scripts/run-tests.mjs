#!/usr/bin/env node
// Runs every `*.test.ts` file of the repository (or of the folders given as arguments) with
// node's own test runner, TypeScript loaded through tsx and workspace packages resolved to their
// sources (the "source" export condition). Refuses to pass when it finds no test files, or when
// the files it found reported no tests: a runner that quietly runs nothing is a broken runner.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipDirectories = new Set(['node_modules', 'dist', '.next', '.data', '.git', 'coverage']);

function findTests(directory, found = []) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skipDirectories.has(entry.name)) findTests(path.join(directory, entry.name), found);
    } else if (/\.test\.tsx?$/.test(entry.name)) {
      found.push(path.join(directory, entry.name));
    }
  }
  return found;
}

const args = process.argv.slice(2);
const targets = args.length > 0 ? args.map((target) => path.resolve(root, target)) : [root];
for (const target of targets) {
  if (!existsSync(target)) {
    console.error(`No such file or folder: ${path.relative(root, target)}`);
    process.exit(1);
  }
}
// A folder is searched for test files; a file is run as given.
const files = targets.flatMap((target) => (statSync(target).isDirectory() ? findTests(target) : [target])).sort();

if (files.length === 0) {
  console.error(`No test files (*.test.ts) found under ${targets.map((t) => path.relative(root, t) || '.').join(', ')}.`);
  process.exit(1);
}

// Test files that need the web portal's production build say so with a line of their own,
// `// test-needs: portal-build`. It is built here, once, before they start, with its progress
// shown; they check it again under a lock (ensurePortalBuild), so a build never runs twice at
// once even when they are run without this runner.
if (files.some((file) => /^\/\/ test-needs: portal-build$/m.test(readFileSync(file, 'utf8')))) {
  console.log('Some tests drive the web portal: making sure its production build is current…');
  const build = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(root, 'standalone', 'src', 'ensure-portal-build.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('The web portal could not be built (its output is above); the tests that need it will fail.');
  }
}

// Tests name their broker queues `test-<label>-t<time>-<hex>.` and delete them afterwards; a run that was
// killed leaves its queues behind. Left to pile up (each quorum queue is a Raft group of its own),
// a few hundred of them make a local RabbitMQ stop accepting connections. Best effort, local
// brokers only: without rabbitmqctl, or when it does not answer within 20 s, nothing is deleted.
async function deleteLeftoverTestQueues() {
  const listing = spawnSync('rabbitmqctl', ['-q', 'list_queues', 'name'], { encoding: 'utf8', timeout: 20_000 });
  if (listing.status !== 0 || typeof listing.stdout !== 'string') return;
  // Only namespaces over an hour old (uniqueBrokerNamespace puts the time in them): a run going
  // on at the same time keeps its queues, retries waiting in delay queues included.
  const now = Date.now() / 1000;
  const leftovers = listing.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => {
      const match = /^test-[a-z0-9-]+?-t(\d{9,11})-[0-9a-f]{8}\./.exec(name);
      return match !== null && now - Number(match[1]) > 3600;
    });
  if (leftovers.length === 0) return;
  console.log(`Deleting ${leftovers.length} RabbitMQ queue(s) that earlier, interrupted test runs left behind…`);
  try {
    const { default: amqp } = await import('amqplib');
    const connection = await amqp.connect(process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    for (const name of leftovers) await channel.deleteQueue(name);
    await connection.close();
  } catch (error) {
    console.log(`Could not delete them (${error instanceof Error ? error.message : String(error)}); the tests go on.`);
  }
}
if (!process.env.TEST_AMQP_URL || /@(127\.0\.0\.1|localhost)[:/]/.test(process.env.TEST_AMQP_URL)) await deleteLeftoverTestQueues();

const workDirectory = mkdtempSync(path.join(tmpdir(), 'desk-tests-'));
const countFile = path.join(workDirectory, 'counts.json');
const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.max(2, availableParallelism()));

const child = spawn(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    // Each file runs as a test of its own, so this bounds a whole file as well as each test in it: a
    // browser suite that starts the platform and the portal and drives them for every role took
    // just over 300 s on a 2-vCPU machine busy with the other suites. A hang still ends in 10 minutes.
    '--test-timeout=600000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(root, 'scripts', 'count-reporter.mjs')}`,
    `--test-reporter-destination=${countFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);

const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);

child.on('exit', (code, signal) => {
  let counts = { tests: 0, emptyFiles: [] };
  try {
    counts = JSON.parse(readFileSync(countFile, 'utf8'));
  } catch {
    // the reporter writes nothing when the run was killed before it ended
  }
  rmSync(workDirectory, { recursive: true, force: true });
  if (signal) {
    console.error(`Test run stopped by ${signal}.`);
    process.exit(1);
  }
  if (code === 0 && (counts.tests === 0 || counts.emptyFiles.length > 0)) {
    console.error(
      counts.tests === 0
        ? `The test runner ran ${files.length} file(s) but reported no tests.`
        : `These test files declared no tests:\n${counts.emptyFiles.map((f) => `  ${path.relative(root, f)}`).join('\n')}`,
    );
    process.exit(1);
  }
  process.exit(code ?? 1);
});
