import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { User } from '@desk/contracts';

export interface EchoedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyLength: number;
  bodySha256: string;
}

/**
 * A real HTTP server standing in for a service behind the gateway: it echoes what reached it
 * (headers, body length and hash), streams server-sent events, can hang, and plays identity's
 * `/internal/users` listing with whatever account changes a test sets.
 */
export class FakeUpstream {
  private server: Server | null = null;
  readonly received: EchoedRequest[] = [];
  changedUsers: User[] = [];
  /** Streams of `/…/stream?hold` open now. */
  openStreams = 0;
  /** Connections the gateway closed (the upstream saw their end before closing them itself). */
  connectionsClosedByClient = 0;
  /** What its /health says of itself (200 either way). */
  healthStatus: 'ok' | 'degraded' = 'ok';
  url = '';

  async start(): Promise<this> {
    // A client that goes away mid-body (the gateway cutting an oversized upload) aborts the read.
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket) => socket.once('end', () => (this.connectionsClosedByClient += 1)));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://upstream');
    if (url.pathname === '/internal/users') {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ items: this.changedUsers, nextCursor: null }));
      return;
    }
    if (url.pathname.endsWith('/stream') && url.searchParams.has('hold')) {
      // A stream that stays open, as notification-service's does: a comment now and then.
      this.received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, bodyLength: 0, bodySha256: '' });
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      response.write(': connected\n\n');
      this.openStreams += 1;
      const timer = setInterval(() => response.write(': tick\n\n'), 200);
      response.on('close', () => {
        clearInterval(timer);
        this.openStreams -= 1;
      });
      return;
    }
    if (url.pathname.endsWith('/stream')) {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        response.write(`id: ${sent}\ndata: {"n":${sent},"at":${Date.now()}}\n\n`);
        if (sent === 3) {
          clearInterval(timer);
          response.end();
        }
      }, 300);
      request.on('close', () => clearInterval(timer));
      return;
    }
    if (url.pathname.endsWith('/hang')) return; // never answers
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const echoed: EchoedRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      bodyLength: body.length,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    };
    this.received.push(echoed);
    if (url.pathname === '/health') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ status: this.healthStatus, checks: { database: { status: 'up', latencyMs: 1 } } }));
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(echoed));
  }

  /** How long an idle kept-alive connection stays open (announced as `Keep-Alive: timeout=…`). */
  setKeepAliveTimeout(ms: number): void {
    this.server!.keepAliveTimeout = ms;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
