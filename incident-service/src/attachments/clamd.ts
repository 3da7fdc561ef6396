import net from 'node:net';
import type { Readable } from 'node:stream';

export type ScanResult = { clean: true } | { clean: false; signature: string };

/**
 * A clamd client for the one command the platform needs: INSTREAM over clamd's socket protocol
 * (https://docs.clamav.net/manual/Usage/Scanning.html#clamd). The file is sent in chunks, each
 * prefixed with its length as a 4-byte big-endian number, ended by a zero length; clamd answers
 * `stream: OK`, `stream: <signature> FOUND`, or an error. Nothing is written to clamd's disk.
 * (The `clamscan` package wants clamd's command-line tools on this machine as well; a socket is
 * all a container has.)
 */
export class Clamd {
  constructor(
    private readonly url: URL,
    private readonly timeoutMs: number,
  ) {}

  private connect(): net.Socket {
    if (this.url.protocol === 'unix:') return net.createConnection({ path: decodeURIComponent(this.url.pathname) });
    return net.createConnection({ host: this.url.hostname, port: Number(this.url.port || 3310) });
  }

  scan(content: Readable): Promise<ScanResult> {
    return new Promise<ScanResult>((resolve, reject) => {
      const socket = this.connect();
      let reply = '';
      let settled = false;
      const finish = (error: Error | null, result?: ScanResult) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        content.destroy();
        if (error) reject(error);
        else resolve(result!);
      };
      socket.setTimeout(this.timeoutMs, () => finish(new Error(`clamd did not answer within ${this.timeoutMs} ms`)));
      socket.on('error', (error) => finish(error));
      socket.on('data', (data: Buffer) => {
        reply += data.toString('utf8');
        if (!reply.includes('\0')) return;
        const answer = reply.slice(0, reply.indexOf('\0')).trim();
        const found = /^stream: (.+) FOUND$/.exec(answer);
        if (answer === 'stream: OK') finish(null, { clean: true });
        else if (found) finish(null, { clean: false, signature: found[1]! });
        else finish(new Error(`clamd: ${answer}`));
      });
      socket.on('end', () => finish(new Error(`clamd closed the connection${reply ? `: ${reply.replace(/\0/g, '').trim()}` : ''}`)));
      socket.once('connect', () => {
        socket.write('zINSTREAM\0');
        content.on('data', (chunk: Buffer) => {
          const length = Buffer.alloc(4);
          length.writeUInt32BE(chunk.length);
          socket.write(length);
          if (!socket.write(chunk)) {
            content.pause();
            socket.once('drain', () => content.resume());
          }
        });
        content.once('end', () => socket.write(Buffer.alloc(4)));
        content.once('error', (error) => finish(error));
      });
    });
  }

  /** For /health: PING answered with PONG. */
  ping(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const socket = this.connect();
      socket.setTimeout(5_000, () => {
        socket.destroy();
        reject(new Error('clamd did not answer PING'));
      });
      socket.on('error', reject);
      socket.once('connect', () => socket.write('zPING\0'));
      socket.on('data', (data: Buffer) => {
        socket.destroy();
        if (data.toString('utf8').startsWith('PONG')) resolve();
        else reject(new Error(`clamd answered PING with ${data.toString('utf8')}`));
      });
    });
  }
}
