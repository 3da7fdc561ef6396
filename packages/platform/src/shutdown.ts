import { createServer, IncomingMessage, type RequestListener, type Server, ServerResponse, type ServerOptions, STATUS_CODES } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { type Duplex } from 'node:stream';
import { PROBLEM_CATALOG, PROBLEM_CONTENT_TYPE, problemTypeFor } from '@desk/contracts';
import { type Logger } from 'pino';

export interface ListenOptions {
  port: number;
  /** Interface to bind; all interfaces when omitted. */
  host?: string;
  logger: Logger;
}

function listenErrorMessage(error: NodeJS.ErrnoException, port: number): string | undefined {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${port} is already in use: stop the other process or set PORT`;
    case 'EACCES':
      return `Port ${port} needs privileges this process does not have: use a port above 1023 or set PORT`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on port ${port}: the host address is not available on this machine`;
    default:
      return undefined;
  }
}

function isPlainFunction(constructor: unknown): boolean {
  return typeof constructor === 'function' && !/^class\b/.test(Function.prototype.toString.call(constructor));
}

/**
 * Request and response classes whose instances are born with an Express app's prototypes.
 *
 * Express gives every request and response its app's prototype (`app.request`, `app.response`)
 * with `Object.setPrototypeOf` as it enters the app. V8 lets objects whose prototype changed
 * after construction survive young-generation collections (measured with the gateway at
 * 200 req/s: 2–3 MB promoted per scavenge, scavenges of 4–6 ms, a full mark-compact every few
 * seconds; with these classes nothing promoted and scavenges of 0.8–1.6 ms). Node's server builds
 * its requests and responses from the classes it is given, so they start with the app's
 * prototypes and Express's own `setPrototypeOf` finds nothing to change.
 */
function expressServerOptions(app: RequestListener): ServerOptions {
  const { request, response } = app as unknown as { request?: unknown; response?: unknown };
  if (!(request instanceof IncomingMessage) || !(response instanceof ServerResponse)) return {};
  // Node's constructors are plain functions, so a function whose `prototype` is the app's can run
  // them on its own instance. (Reflect.construct would work for classes too, but V8 allocates
  // its objects on a slower path and they survive scavenges again.) Were they ever classes,
  // calling them without `new` would throw: then the server is made as before.
  if (!isPlainFunction(IncomingMessage) || !isPlainFunction(ServerResponse)) return {};
  const initRequest = IncomingMessage as unknown as (this: IncomingMessage, ...args: unknown[]) => void;
  const initResponse = ServerResponse as unknown as (this: ServerResponse, ...args: unknown[]) => void;
  function AppRequest(this: IncomingMessage, socket: unknown): void {
    initRequest.call(this, socket);
  }
  AppRequest.prototype = request;
  function AppResponse(this: ServerResponse, incoming: unknown, options: unknown): void {
    initResponse.call(this, incoming, options);
  }
  AppResponse.prototype = response;
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse };
}

/**
 * A request Node's parser refuses never reaches the app; Node's own answer is a bare status line.
 * Clients get problem+json here too: 431 for a request line or headers over the limit (a very
 * long URL), 400 for the rest. https://nodejs.org/api/http.html#event-clienterror
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const code = tooLarge ? ('HTTP.HEADERS_TOO_LARGE' as const) : ('HTTP.BAD_REQUEST' as const);
  const body = JSON.stringify({
    type: problemTypeFor(code),
    title: PROBLEM_CATALOG[code].title,
    status,
    detail: tooLarge ? 'The URL or the headers are larger than the server accepts; shorten the query or send fewer or smaller headers.' : 'The request is not valid HTTP.',
    code,
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** What a server's connection has done, for a shutdown that closes only what it may. */
interface ConnectionUse {
  openedAt: number;
  /** Requests answered on it. */
  served: number;
  /** Requests it is being answered now. */
  active: number;
}

const CONNECTIONS = Symbol('connections');
type TrackedServer = Server & { [CONNECTIONS]?: Map<Socket, ConnectionUse> };

/** Tracks each connection's requests: `closeServer` then closes idle keep-alive ones, never one whose first request is on its way. */
function trackConnections(server: Server): void {
  const connections = new Map<Socket, ConnectionUse>();
  (server as TrackedServer)[CONNECTIONS] = connections;
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { openedAt: Date.now(), served: 0, active: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const use = connections.get(request.socket);
    if (!use) return;
    use.active += 1;
    response.once('close', () => {
      use.active -= 1;
      use.served += 1;
    });
  });
}

/** Answering is over for draining; see `drain()`. */
let draining = false;

/** True once a shutdown began draining: readiness fails from then on (`/health/ready` answers 503). */
export function isDraining(): boolean {
  return draining;
}

/**
 * How long a kept-alive connection may sit idle before the server closes it (Node's default is
 * 5 s), told to clients as `Keep-Alive: timeout=75`. It is longer than any pool in front of a
 * server keeps an idle connection — Traefik's `idleConnTimeout` (60 s in traefik/*.yml), the
 * gateway's upstream pool (60 s, and a second under what a server tells it) — so an idle
 * connection is always closed by the client. When a server closes one just as the client sends a
 * request on it, the request is lost in the race: an error at the client, or a 502 for a POST
 * that Traefik may not send again.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

/** Starts serving `app`; resolves once the port is bound, with errors an operator can act on. */
export function listen(app: RequestListener, { port, host, logger }: ListenOptions): Promise<Server> {
  const server = createServer(expressServerOptions(app), app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('clientError', answerClientError);
  trackConnections(server);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const message = listenErrorMessage(error, port);
      reject(message ? new Error(message, { cause: error }) : error);
    });
    server.listen({ port, host }, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      logger.info({ port: address.port }, `listening on http://${shownHost}:${address.port}`);
      resolve(server);
    });
  });
}

/** A connection that has not sent its first request this long after opening is closed by a shutdown. */
const FIRST_REQUEST_GRACE_MS = 1_000;

/**
 * Stops `server` gracefully: no new connections; requests in flight finish, each answered with
 * `Connection: close`; keep-alive connections are closed once idle; a connection that was opened
 * but has not sent its request yet gets a second to send it (closing it would reset a request
 * that is on its way). At `deadlineMs` whatever is left is cut off.
 */
export function closeServer(server: Server, { deadlineMs, logger }: { deadlineMs: number; logger?: Logger }): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const connections = (server as TrackedServer)[CONNECTIONS];
  return new Promise((resolve) => {
    // A keep-alive connection may still bring another request after close(): answer it with
    // `Connection: close` so the client reconnects to another replica.
    const closeAfterResponse = (_request: IncomingMessage, response: ServerResponse) => {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    };
    // ahead of the app's own listener, which may answer synchronously
    server.prependListener('request', closeAfterResponse);
    const sweep = () => {
      if (!connections) {
        server.closeIdleConnections();
        return;
      }
      const now = Date.now();
      for (const [socket, use] of connections) {
        if (use.active === 0 && (use.served > 0 || now - use.openedAt > FIRST_REQUEST_GRACE_MS)) socket.destroy();
      }
    };
    const idleSweep = setInterval(sweep, 100);
    const deadline = setTimeout(() => {
      logger?.warn({ deadlineMs }, 'requests still running at the shutdown deadline; closing their connections');
      server.closeAllConnections();
    }, deadlineMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      server.off('request', closeAfterResponse);
      resolve();
    });
    sweep();
  });
}

export interface ShutdownOptions {
  logger: Logger;
  /** How long each step may take before it is abandoned and the next one starts. */
  timeoutMs: number;
  /**
   * On SIGTERM, how long readiness fails while the service still serves, before the steps run
   * (SHUTDOWN_DRAIN_MS): load balancers stop routing here first. Not on SIGINT (a person at a terminal).
   */
  drainMs?: number;
}

export interface Shutdown {
  /** Registers a step; steps run in reverse order of registration, like nested `finally` blocks. */
  add(name: string, step: () => Promise<void> | void): void;
  /** `closeServer` with a deadline inside this shutdown's step timeout: `add('http', () => shutdown.closeServer(server))`. */
  closeServer(server: Server): Promise<void>;
  /** SIGTERM or SIGINT start the shutdown; a second signal exits at once with status 1. */
  installSignalHandlers(): void;
  /** Runs the steps once; later calls return the same promise. Sets `process.exitCode`. */
  run(reason: string): Promise<void>;
}

/** How long the process may take to exit by itself after a signal-triggered shutdown. */
const EXIT_GRACE_MS = 1000;

/**
 * Graceful shutdown for `main.ts`: the HTTP server stops taking requests and drains, then the
 * bus, the database pool and telemetry close, each bounded so a stuck step cannot keep the pod
 * from terminating before Kubernetes kills it.
 */
export function createShutdown({ logger, timeoutMs, drainMs = 0 }: ShutdownOptions): Shutdown {
  const steps: { name: string; step: () => Promise<void> | void }[] = [];
  let running: Promise<void> | undefined;

  async function runStep(name: string, step: () => Promise<void> | void): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const startedAt = performance.now();
    try {
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([Promise.resolve().then(step), timedOut]);
      logger.info({ step: name, durationMs: Math.round(performance.now() - startedAt) }, `shutdown: closed ${name}`);
      return true;
    } catch (error) {
      logger.error({ step: name, err: error }, `shutdown: closing ${name} failed`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async function runAll(reason: string): Promise<void> {
    logger.info({ reason }, 'shutting down');
    let failures = 0;
    for (const { name, step } of [...steps].reverse()) {
      if (!(await runStep(name, step))) failures += 1;
    }
    if (failures > 0) process.exitCode = 1;
    else process.exitCode ??= 0;
    logger.info({ reason, failedSteps: failures }, 'shutdown complete');
  }

  const shutdown: Shutdown = {
    add(name, step) {
      steps.push({ name, step });
    },

    closeServer(server) {
      // leaves a tenth of the step's time for the forced close to complete within it
      return closeServer(server, { deadlineMs: Math.floor(timeoutMs * 0.9), logger });
    },

    run(reason) {
      running ??= runAll(reason);
      return running;
    },

    installSignalHandlers() {
      const onSignal = (signal: NodeJS.Signals) => {
        if (running) {
          logger.warn({ signal }, 'second signal during shutdown; exiting now');
          process.exit(1);
        }
        draining = true;
        const drained =
          signal === 'SIGTERM' && drainMs > 0
            ? (logger.info({ drainMs }, 'draining: readiness fails, serving on until load balancers stop routing here'), new Promise((resolve) => setTimeout(resolve, drainMs)))
            : Promise.resolve();
        running = drained.then(() => runAll(signal));
        void running.then(() => {
          // Everything registered is closed; a leftover timer or socket should not keep the
          // process alive until Kubernetes kills it. Unref'd, so a clean exit is not delayed.
          setTimeout(() => {
            logger.warn('the process did not exit after shutdown; something still holds the event loop');
            process.exit();
          }, EXIT_GRACE_MS).unref();
        });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
  };
  return shutdown;
}
