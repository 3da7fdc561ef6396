import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '@desk/platform';

export class LaunchError extends Error {}

/**
 * The data directory of one run: a lock file so two runs never share it, and secrets generated
 * on the first start and kept for the next ones (a new signing secret would sign everyone out).
 */
export class DataDirectory {
  readonly root: string;
  private readonly lockFile: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir);
    this.lockFile = path.join(this.root, 'launcher.pid');
  }

  get postgresDir(): string {
    return path.join(this.root, 'postgres');
  }

  lock(): void {
    mkdirSync(this.root, { recursive: true });
    // Run as root, Postgres runs as the `postgres` user, which must be able to reach its files.
    if (process.getuid?.() === 0) chmodSync(this.root, 0o755);
    if (existsSync(this.lockFile)) {
      const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
      if (pid && pid !== process.pid && processAlive(pid)) {
        throw new LaunchError(
          `The data directory ${this.root} is in use by another run of the platform (process ${pid}). Stop that one first (Ctrl-C in its terminal, or kill ${pid}), or start this one with DATA_DIR set to another directory.`,
        );
      }
    }
    writeFileSync(this.lockFile, String(process.pid));
  }

  unlock(): void {
    rmSync(this.lockFile, { force: true });
  }

  /** A secret generated once per data directory and reused on every later start. */
  secret(name: string, bytes = 32): string {
    const file = path.join(this.root, 'secrets.json');
    const secrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    if (!secrets[name]) {
      secrets[name] = randomBytes(bytes).toString('base64url');
      writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    }
    return secrets[name];
  }

  /** Whether the demo organisation was seeded here already. */
  get seeded(): boolean {
    return existsSync(path.join(this.root, 'seeded'));
  }

  markSeeded(): void {
    writeFileSync(path.join(this.root, 'seeded'), new Date().toISOString());
  }
}
