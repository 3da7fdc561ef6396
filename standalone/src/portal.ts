import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { LaunchError } from './data-directory.js';

// The web portal is a Next.js app. It runs as a child process — the very server.js its image
// runs — rather than inside the launcher: Next wants NODE_ENV=production and patches globals
// such as fetch for its own caching, which the services sharing this process must not inherit.

export const FRONTEND_DIR = path.resolve(__dirname, '..', '..', 'frontend');
const BUILD_ID = path.join(FRONTEND_DIR, '.next', 'BUILD_ID');
export const PORTAL_SERVER = path.join(FRONTEND_DIR, '.next', 'standalone', 'frontend', 'server.js');
/** What the production build is made from: a change to any of these makes the build stale. */
const SOURCES = ['app', 'components', 'lib', 'public', 'next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stats.mtimeMs);
}

/** Why the portal needs building first, or null when its production build is there and current. */
export function portalBuildNeeded(): string | null {
  if (!existsSync(BUILD_ID) || !existsSync(PORTAL_SERVER)) return 'The web portal has no production build yet';
  const built = statSync(BUILD_ID).mtimeMs;
  const changed = Math.max(...SOURCES.map((source) => newestChange(path.join(FRONTEND_DIR, source))));
  return changed > built ? 'The web portal changed since it was last built' : null;
}

/** `npm run build -w @desk/frontend`, its progress shown indented under the launcher's lines. */
export async function buildPortal(say: (line: string) => void): Promise<void> {
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', 'build', '--silent', '-w', '@desk/frontend'], {
    cwd: path.resolve(FRONTEND_DIR, '..'),
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) say(`  │ ${line.trimEnd()}`);
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new LaunchError(`Building the web portal failed (exit code ${code}); its output is above. Fix it, or set PORTAL=false to start without the portal.`);
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
