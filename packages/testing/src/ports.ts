import { randomInt } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processAlive } from '@desk/platform';

/**
 * Below Linux's ephemeral range (32768–60999 by default): ports the kernel never hands out for
 * `listen(0)` or outgoing connections, so a port chosen here stays free while a test starts its
 * server a few seconds later, however many servers and connections other tests open meanwhile.
 */
const FIRST_PORT = 20_000;
const LAST_PORT = 32_000;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports handed out stay reserved for the process that took them, by a file named after the port
 * that holds its pid: a port is free to listen on from the moment it is chosen until its server
 * starts, and test files running side by side (or one launcher's seven services) would otherwise
 * now and then pick the same one in that gap. A reservation whose process is gone is taken over.
 */
const RESERVATIONS = path.join(tmpdir(), 'desk-test-ports');
const reserved: string[] = [];
let cleanupRegistered = false;

function reserve(port: number): boolean {
  mkdirSync(RESERVATIONS, { recursive: true });
  const file = path.join(RESERVATIONS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const descriptor = openSync(file, 'wx');
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      reserved.push(file);
      if (!cleanupRegistered) {
        cleanupRegistered = true;
        process.once('exit', () => reserved.forEach((taken) => rmSync(taken, { force: true })));
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder > 0 && processAlive(holder)) return false;
      rmSync(file, { force: true }); // its process is gone (or died while writing it)
    }
  }
  return false;
}

/** A TCP port free on 127.0.0.1 now, for a server a test starts on a port of its choosing later. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(FIRST_PORT, LAST_PORT);
    if (reserve(port) && (await tryListen(port))) return port;
  }
  throw new Error(`no free port between ${FIRST_PORT} and ${LAST_PORT} after 100 tries`);
}
