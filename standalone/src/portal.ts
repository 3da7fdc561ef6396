import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { LaunchError } from './data-directory.js';

// The web portal is a Next.js app. It runs as a child process — the very server.js its image
// runs — rather than inside the launcher: Next wants NODE_ENV=production and patches globals
// such as fetch for its own caching, which the services sharing this process must not inherit.

export const FRONTEND_DIR = path.resolve(__dirname, '..', '..', 'frontend');
export const PORTAL_SERVER = path.join(FRONTEND_DIR, '.next', 'standalone', 'frontend', 'server.js');

/** A build the launcher and the tests make when it is missing or stale. */
export interface PortalBuild {
  /** The folder built; the lock builders take turns with sits in it. */
  directory: string;
  /** What the build leaves; the first one's time is the build's. It is missing when one is. */
  outputs: [string, ...string[]];
  /** What the build is made from, relative to `directory`: a change to any makes it stale. */
  sources: string[];
  /** The command that builds it, run from the repository root. */
  command: [string, ...string[]];
  /** The same command as a person types it, for progress and error messages. */
  commandLine: string;
}

/** The portal's production build: `next build` in frontend/ (its standalone server included). */
export const PORTAL_BUILD: PortalBuild = {
  directory: FRONTEND_DIR,
  outputs: [path.join(FRONTEND_DIR, '.next', 'BUILD_ID'), PORTAL_SERVER],
  sources: ['app', 'components', 'lib', 'public', 'next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json'],
  command: [process.platform === 'win32' ? 'npm.cmd' : 'npm', 'run', 'build', '--silent', '-w', '@desk/frontend'],
  commandLine: 'npm run build -w @desk/frontend',
};

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stats.mtimeMs);
}

/** Why the portal needs building first, or null when its production build is there and current. */
export function portalBuildNeeded(build: PortalBuild = PORTAL_BUILD): string | null {
  if (!build.outputs.every((output) => existsSync(output))) return 'The web portal has no production build yet';
  const built = statSync(build.outputs[0]).mtimeMs;
  const changed = Math.max(...build.sources.map((source) => newestChange(path.join(build.directory, source))));
  return changed > built ? 'The web portal changed since it was last built' : null;
}

/** Where concurrent builders (a launcher, a test file, the test runner) take turns. */
const BUILD_LOCK_NAME = '.portal-build.lock';
/** A builder refreshes its lock every few seconds; one that died leaves it stale after this. */
const STALE_LOCK_MS = 20_000;
/** Lines of the build's output kept for the error when it fails. */
const OUTPUT_TAIL_LINES = 60;

/**
 * Makes sure the portal's production build is there and current, building it when it is not.
 * One build at a time across processes: `next build` writes `frontend/.next` in place, and two
 * at once corrupt each other. Whoever holds the lock builds; the others wait for it and then
 * find the build current. Resolves to whether this call built it.
 */
export async function ensurePortalBuild(say: (line: string) => void, build: PortalBuild = PORTAL_BUILD): Promise<'built' | 'current'> {
  if (!portalBuildNeeded(build)) return 'current';
  const lockOptions = { lockfilePath: path.join(build.directory, BUILD_LOCK_NAME), stale: STALE_LOCK_MS, realpath: false };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(build.directory, lockOptions);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    say('Another process is building the web portal; waiting for it…');
    release = await lockfile.lock(build.directory, { ...lockOptions, retries: { retries: 1_200, factor: 1, minTimeout: 500, maxTimeout: 500 } });
  }
  try {
    const reason = portalBuildNeeded(build);
    if (!reason) {
      say('  └ the web portal was built meanwhile');
      return 'current';
    }
    say(`${reason}: building it (${build.commandLine})…`);
    await runBuild(say, build);
    return 'built';
  } finally {
    await release();
  }
}

/** `npm run build -w @desk/frontend`, its progress shown indented under the launcher's lines. */
async function runBuild(say: (line: string) => void, build: PortalBuild): Promise<void> {
  const started = Date.now();
  const [command, ...args] = build.command;
  const child = spawn(command, args, {
    cwd: path.resolve(FRONTEND_DIR, '..'),
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      say(`  │ ${line.trimEnd()}`);
      tail.push(line.trimEnd());
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    }
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    // The output goes into the error too: a caller that shows no progress (a test) still shows why.
    const output = tail.length > 0 ? tail.map((line) => `  │ ${line}`).join('\n') : '  │ (it printed nothing)';
    throw new LaunchError(
      `Building the web portal failed (exit code ${code}). The last lines it printed:\n${output}\nFix it (\`${build.commandLine}\` shows the same), or set PORTAL=false to start without the portal.`,
    );
  }
  say(`  └ built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export interface PortalOptions {
  port: number;
  host: string;
  /** The gateway as the portal's server reaches it. */
  apiUrl: string;
  /** The gateway as browsers reach it. */
  publicApiUrl: string;
  /** How long to wait for /health (a cold start on a slow machine takes a few seconds). */
  timeoutMs?: number;
}

export interface RunningPortal {
  url: string;
  stop(): Promise<void>;
}

/** Starts the built portal and resolves once its /health answers. */
export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const child: ChildProcess = spawn(process.execPath, [PORTAL_SERVER], {
    cwd: path.dirname(PORTAL_SERVER),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(options.port),
      HOSTNAME: options.host,
      API_URL: options.apiUrl,
      PUBLIC_API_URL: options.publicApiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  // A launcher that dies without its shutdown must not leave the portal behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.on('exit', orphanGuard);

  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!running) throw new LaunchError(`The web portal stopped while starting:\n${output.trim()}`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new LaunchError(`The web portal did not answer on ${url}/health in time:\n${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  return {
    url,
    async stop() {
      process.off('exit', orphanGuard);
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
