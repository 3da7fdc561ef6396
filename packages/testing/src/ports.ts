import { randomInt } from 'node:crypto';
import net from 'node:net';

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

/** A TCP port free on 127.0.0.1 now, for a server a test starts on a port of its choosing later. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(FIRST_PORT, LAST_PORT);
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port between ${FIRST_PORT} and ${LAST_PORT} after 100 tries`);
}
