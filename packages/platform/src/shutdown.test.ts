import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http, { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { LogCapture, waitFor } from '@desk/testing';
import express from 'express';
import { createLogger } from './logger.js';
import { closeServer, createShutdown, KEEP_ALIVE_TIMEOUT_MS, listen } from './shutdown.js';

const repositoryRoot = path.resolve(__dirname, '../../..');

function quietLogger() {
  const logs = new LogCapture();
  return { logs, logger: createLogger({ service: 'shutdown-test', destination: logs }) };
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

interface ClientResponse {
  status: number;
  body: string;
}

function get(port: number, path: string, agent?: http.Agent): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe('listen', () => {
  it('when a URL or the headers are too large for the parser, then 431 problem+json, not a bare status line', async () => {
    const { logger } = quietLogger();
    const server = await listen(express().get('/x', (_request, response) => response.send('ok')), { port: 0, host: '127.0.0.1', logger });
    try {
      const response = await fetch(`http://127.0.0.1:${portOf(server)}/x?q=${'a'.repeat(20_000)}`);
      assert.equal(response.status, 431);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      const problem = (await response.json()) as { status: number; code: string; detail: string };
      assert.equal(problem.status, 431);
      assert.equal(problem.code, 'HTTP.HEADERS_TOO_LARGE');
      assert.match(problem.detail, /shorten the query/);
      assert.equal((await fetch(`http://127.0.0.1:${portOf(server)}/x`)).status, 200, 'the server goes on');
    } finally {
      await closeServer(server, { deadlineMs: 100 });
    }
  });

  it("when a client keeps a connection idle past Node's default 5 s, then the server has not closed it: clients are told timeout=75 and close first", async () => {
    const { logger } = quietLogger();
    const server = await listen(express().get('/x', (_request, response) => response.send('ok')), { port: 0, host: '127.0.0.1', logger });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      server.on('connection', (socket) => sockets.add(socket));
      const first = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port: portOf(server), path: '/x', agent }, resolve).on('error', reject));
      first.resume();
      assert.equal(first.headers['keep-alive'], `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
      await sleep(5_500);
      assert.equal((await get(portOf(server), '/x', agent)).status, 200);
      assert.equal(sockets.size, 1, 'the second request went over the first connection, still open');
    } finally {
      agent.destroy();
      await closeServer(server, { deadlineMs: 100 });
    }
  });

  it('when the port is taken, then it rejects with a message naming the port and the fix', async () => {
    const { logger } = quietLogger();
    const first = await listen(express(), { port: 0, host: '127.0.0.1', logger });
    try {
      await assert.rejects(listen(express(), { port: portOf(first), host: '127.0.0.1', logger }), {
        message: `Port ${portOf(first)} is already in use: stop the other process or set PORT`,
      });
    } finally {
      await closeServer(first, { deadlineMs: 100 });
    }
  });

  it('when it serves an Express app, then requests and responses are born with the app\'s prototypes, and the app works as before', async () => {
    const { logger } = quietLogger();
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/echo', (request, response) => {
      response.status(201).json({ header: request.get('x-probe'), ip: request.ip, path: request.path });
    });
    const server = await listen(app, { port: 0, host: '127.0.0.1', logger });
    const seen: { request: object | null; response: object | null }[] = [];
    // runs before Express has touched them
    server.prependListener('request', (request, response) => seen.push({ request: Object.getPrototypeOf(request), response: Object.getPrototypeOf(response) }));
    try {
      const answer = await new Promise<ClientResponse & { type?: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: portOf(server), path: '/echo?x=1', headers: { 'x-probe': 'yes', 'x-forwarded-for': '203.0.113.9' } }, (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }));
          })
          .on('error', reject);
      });
      assert.equal(answer.status, 201);
      assert.match(answer.type ?? '', /^application\/json/);
      assert.deepEqual(JSON.parse(answer.body), { header: 'yes', ip: '203.0.113.9', path: '/echo' });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.request, app.request, 'the request was made with a prototype Express had to change');
      assert.equal(seen[0]!.response, app.response, 'the response was made with a prototype Express had to change');
    } finally {
      await closeServer(server, { deadlineMs: 100 });
    }
  });

  it('when it serves a plain listener, then requests and responses are Node\'s own', async () => {
    const { logger } = quietLogger();
    const prototypes: object[] = [];
    const server = await listen(
      (request, response) => {
        prototypes.push(Object.getPrototypeOf(request) as object, Object.getPrototypeOf(response) as object);
        response.end('plain');
      },
      { port: 0, host: '127.0.0.1', logger },
    );
    try {
      assert.deepEqual(await get(portOf(server), '/'), { status: 200, body: 'plain' });
      assert.deepEqual(prototypes, [http.IncomingMessage.prototype, http.ServerResponse.prototype]);
    } finally {
      await closeServer(server, { deadlineMs: 100 });
    }
  });
});

describe('closeServer', () => {
  it('when a request is in flight, then it completes while new connections are refused', async () => {
    const { logger } = quietLogger();
    let slowRequestArrived = false;
    const app = express().get('/slow', async (_req, res) => {
      slowRequestArrived = true;
      await sleep(300);
      res.send('finished');
    });
    const server = await listen(app, { port: 0, host: '127.0.0.1', logger });
    const port = portOf(server);

    const keepAlive = new http.Agent({ keepAlive: true });
    try {
      const inFlight = get(port, '/slow', keepAlive);
      await waitFor('the slow request to reach the handler', () => slowRequestArrived);
      const closed = closeServer(server, { deadlineMs: 5000, logger });

      await assert.rejects(get(port, '/slow'), { code: 'ECONNREFUSED' });
      assert.deepEqual(await inFlight, { status: 200, body: 'finished' });
      // the connection turned idle after its response: closed at once, not after keepAliveTimeout
      const answeredAt = performance.now();
      await closed;
      assert.ok(performance.now() - answeredAt < 1000, 'the drained keep-alive connection held the server open');
      assert.equal(server.listening, false);
    } finally {
      keepAlive.destroy();
    }
  });

  it('when a keep-alive connection is idle, then closing does not wait for it to time out', async () => {
    const { logger } = quietLogger();
    const server = await listen(
      express().get('/', (_req, res) => res.send('ok')),
      { port: 0, host: '127.0.0.1', logger },
    );
    const agent = new http.Agent({ keepAlive: true });
    try {
      await get(portOf(server), '/', agent);
      const startedAt = performance.now();
      await closeServer(server, { deadlineMs: 5000, logger });
      assert.ok(performance.now() - startedAt < 1000, 'an idle keep-alive connection held the server open');
    } finally {
      agent.destroy();
    }
  });

  it('when a request never ends, then the deadline closes its connection', async () => {
    const { logs, logger } = quietLogger();
    let hangingRequestArrived = false;
    const app = express().get('/hang', () => {
      hangingRequestArrived = true;
    });
    const server = await listen(app, { port: 0, host: '127.0.0.1', logger });
    const hanging = get(portOf(server), '/hang');
    const outcome = hanging.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await waitFor('the hanging request to reach the handler', () => hangingRequestArrived);

    const startedAt = performance.now();
    await closeServer(server, { deadlineMs: 200, logger });
    const elapsed = performance.now() - startedAt;
    assert.ok(elapsed >= 190 && elapsed < 1500, `closed after ${Math.round(elapsed)} ms`);
    assert.equal(await outcome, 'ECONNRESET');
    assert.equal(logs.find((line) => line.level === 'warn').length, 1);
  });
});

describe('createShutdown', () => {
  afterEach(() => {
    // a failing step sets a failing exit code, which would fail this test file
    process.exitCode = undefined;
  });

  it('when run, then steps run in reverse order of registration, and a failing one does not stop the rest', async () => {
    const { logs, logger } = quietLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1000 });
    const order: string[] = [];
    shutdown.add('telemetry', () => {
      order.push('telemetry');
    });
    shutdown.add('database', async () => {
      await sleep(5);
      order.push('database');
    });
    shutdown.add('bus', () => {
      order.push('bus');
      throw new Error('channel already closed');
    });
    shutdown.add('http', async () => {
      await sleep(5);
      order.push('http');
    });

    await shutdown.run('test');
    assert.deepEqual(order, ['http', 'bus', 'database', 'telemetry']);
    assert.equal(process.exitCode, 1);
    const failure = logs.find((line) => line.level === 'error');
    assert.equal(failure.length, 1);
    assert.equal(failure[0]!.step, 'bus');
    assert.equal((failure[0]!.err as { message: string }).message, 'channel already closed');
  });

  it('when a step hangs, then it is abandoned at the timeout and the next step still runs', async () => {
    const { logs, logger } = quietLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 100 });
    let databaseClosed = false;
    shutdown.add('database', () => {
      databaseClosed = true;
    });
    shutdown.add('bus', () => new Promise<void>(() => {}));

    await shutdown.run('test');
    assert.equal(databaseClosed, true);
    assert.equal(process.exitCode, 1);
    const failure = logs.find((line) => line.level === 'error')[0];
    assert.equal((failure?.err as { message: string }).message, 'did not finish within 100 ms');
  });

  it('when run twice, then the steps run once and both callers get the same promise', async () => {
    const { logger } = quietLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 1000 });
    let runs = 0;
    shutdown.add('database', async () => {
      await sleep(5);
      runs += 1;
    });
    const first = shutdown.run('SIGTERM');
    const second = shutdown.run('SIGINT');
    assert.equal(first, second);
    await first;
    assert.equal(runs, 1);
    assert.equal(process.exitCode, 0);
  });

  it('when a server is registered, then shutdown drains it through closeServer', async () => {
    const { logger } = quietLogger();
    const server = await listen(
      express().get('/', (_req, res) => res.send('ok')),
      { port: 0, host: '127.0.0.1', logger },
    );
    const shutdown = createShutdown({ logger, timeoutMs: 1000 });
    shutdown.add('http', () => shutdown.closeServer(server));
    await shutdown.run('test');
    assert.equal(server.listening, false);
  });
});

describe('installSignalHandlers', () => {
  function runFixture(signals: NodeJS.Signals[]): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', path.join(__dirname, 'test-support', 'signal-fixture.ts')],
      { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (chunk.includes('"ready"')) {
        for (const signal of signals) child.kill(signal);
      }
    });
    return new Promise((resolve) => {
      child.on('exit', (code) => {
        const lines = output
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code, lines });
      });
    });
  }

  it('when SIGTERM arrives, then the steps run and the process exits 0 by itself', async () => {
    const { code, lines } = await runFixture(['SIGTERM']);
    assert.equal(code, 0);
    assert.deepEqual(
      lines.filter((line) => line.step !== undefined).map((line) => line.msg),
      ['shutdown: closed slow step', 'shutdown: closed server'],
    );
  });

  it('when a second signal arrives during shutdown, then the process exits 1 at once', async () => {
    const { code, lines } = await runFixture(['SIGTERM', 'SIGINT']);
    assert.equal(code, 1);
    assert.ok(lines.some((line) => line.msg === 'second signal during shutdown; exiting now'));
    assert.ok(!lines.some((line) => line.msg === 'shutdown complete'));
  });
});
