import assert from 'node:assert/strict';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { PROBLEM_CATALOG, problemDetailsSchema } from '@desk/contracts';
import { LogCapture, waitFor } from '@desk/testing';
import request from 'supertest';
import { z } from 'zod';
import { AppError, parseInput } from './errors.js';
import { createHttpApp, type HttpAppOptions } from './http.js';
import { createLogger } from './logger.js';

const incidentBody = z.strictObject({ title: z.string().min(3), priority: z.enum(['low', 'high']) });

function buildApp(overrides: Partial<HttpAppOptions> = {}) {
  const logs = new LogCapture();
  const logger = createLogger({ service: 'http-test', level: 'debug', destination: logs });
  const app = createHttpApp({ serviceName: 'http-test', logger, ...overrides }, (routes) => {
    routes.post('/incidents', (req, res) => {
      const body = parseInput(incidentBody, req.body, 'body');
      res.status(201).json(body);
    });
    routes.get('/incidents/:id', (req) => {
      throw AppError.notFound('INCIDENT.NOT_FOUND', `Incident ${req.params.id} does not exist.`);
    });
    routes.get('/rate-limited', () => {
      throw AppError.tooManyRequests('AUTH.TOO_MANY_ATTEMPTS', 'Too many attempts.', { retryAfterSeconds: 30 });
    });
    routes.get('/broken', () => {
      throw new Error('connection to secret-db.internal:5432 lost');
    });
    routes.get('/broken-later', async () => {
      await sleep(1);
      throw new Error('async failure with internals');
    });
    routes.post('/notes', (req, res) => {
      res.status(201).json(parseInput(z.strictObject({ text: z.string(), tags: z.array(z.string()).optional() }), req.body, 'body'));
    });
    routes.get('/search', (req, res) => {
      res.json(parseInput(z.object({ q: z.string().optional() }), req.query, 'query'));
    });
    routes.get('/unstorable', () => {
      throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    });
    routes.get('/stray-zod', () => {
      z.object({ name: z.string() }).parse({});
    });
  });
  return { app, logs };
}

function assertProblem(response: request.Response, status: number, code: string) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
  const problem = problemDetailsSchema.parse(response.body);
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  assert.equal(problem.type, `/problems/${code.toLowerCase().replace(/[._]/g, '-')}`);
  assert.equal(problem.requestId, response.headers['x-request-id']);
  return problem;
}

describe('problem+json errors', () => {
  it('when a route throws an AppError, then its fields become the problem, titled by the problem catalogue', async () => {
    const { app } = buildApp();
    const response = await request(app).get('/incidents/42');
    const problem = assertProblem(response, 404, 'INCIDENT.NOT_FOUND');
    assert.deepEqual(Object.keys(response.body as object).sort(), ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
    assert.equal(problem.instance, '/incidents/42', 'the occurrence: the resource asked for');
    assert.equal(problem.title, 'No such incident');
    assert.equal(problem.detail, 'Incident 42 does not exist.');
    assert.equal(problem.type, '/problems/incident-not-found');
  });

  it('when a client follows a problem\'s type, then it finds the page saying what it means and what to do, as HTML or JSON', async () => {
    const { app } = buildApp();
    const problem = assertProblem(await request(app).get('/incidents/42'), 404, 'INCIDENT.NOT_FOUND');
    const page = await request(app).get(problem.type).expect(200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    assert.match(page.text, /<h1>No such incident<\/h1>/);
    assert.match(page.text, /What to do<\/dt><dd>Check the id or key/);
    const json = await request(app).get(problem.type).set('Accept', 'application/json').expect(200);
    assert.deepEqual(json.body, { code: 'INCIDENT.NOT_FOUND', type: problem.type, ...PROBLEM_CATALOG['INCIDENT.NOT_FOUND'] });
    assert.equal(json.headers.vary, 'Accept');

    const index = await request(app).get('/problems').set('Accept', 'application/json').expect(200);
    assert.deepEqual(
      (index.body as { items: { code: string }[] }).items.map((item) => item.code).sort(),
      Object.keys(PROBLEM_CATALOG).sort(),
    );
    assert.match((await request(app).get('/problems').expect(200)).text, /<a href="\/problems\/incident-not-found">INCIDENT\.NOT_FOUND<\/a>/);
    assertProblem(await request(app).get('/problems/no-such-thing'), 404, 'HTTP.NOT_FOUND');
  });

  it('when a text field holds a NUL character, then the request is a 400 naming each such field, wherever it is', async () => {
    const { app } = buildApp();
    const body = await request(app).post('/notes').send({ text: 'a\u0000b', tags: ['ok', 'x\u0000'] });
    const problem = assertProblem(body, 400, 'VALIDATION.FAILED');
    assert.deepEqual(problem.errors, [
      { location: 'body', path: '/text', message: 'Must not contain the NUL character (U+0000)' },
      { location: 'body', path: '/tags/1', message: 'Must not contain the NUL character (U+0000)' },
    ]);
    const query = await request(app).get('/search').query({ q: 'disk\u0000full' });
    assert.deepEqual(assertProblem(query, 400, 'VALIDATION.FAILED').errors?.map((issue) => `${issue.location}:${issue.path}`), ['query:/q']);
    // what reaches the database some other way is still the client's error, not a 500
    assertProblem(await request(app).get('/unstorable'), 400, 'VALIDATION.UNSTORABLE_TEXT');
  });

  it('when a body is JSON but not an object, then the problem says so instead of calling it invalid JSON', async () => {
    const { app } = buildApp();
    for (const [raw, kind] of [['"a title"', 'a string'], ['42', 'a number'], ['null', 'null'], ['true', 'a boolean']] as const) {
      const response = await request(app).post('/notes').set('Content-Type', 'application/json').send(raw);
      const problem = assertProblem(response, 400, 'VALIDATION.FAILED');
      assert.equal(problem.detail, `The request body is JSON, but ${kind}; send a JSON object.`);
    }
    assertProblem(await request(app).post('/notes').set('Content-Type', 'application/json').send('{"text":'), 400, 'HTTP.MALFORMED_JSON');
  });

  it('when a body comes without a Content-Type or with one the API does not speak, then it is a 415 saying what to send', async () => {
    const { app } = buildApp();
    const plain = await request(app).post('/notes').set('Content-Type', 'text/plain').send('{"text":"hello"}');
    assert.match(assertProblem(plain, 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE').detail ?? '', /"text\/plain" is not accepted; send application\/json/);
    const none = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const server = app.listen(0, () => {
        const req = http.request({ port: (server.address() as AddressInfo).port, method: 'POST', path: '/notes', headers: { 'Content-Length': '16' } }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => server.close(() => resolve({ status: res.statusCode ?? 0, body: text })));
        });
        req.on('error', reject);
        req.end('{"text":"hello"}');
      });
    });
    assert.equal(none.status, 415);
    assert.match(none.body, /The body has no Content-Type/);
    // a JSON body, and a request with no body at all, are not affected
    assert.equal((await request(app).post('/notes').send({ text: 'hello' })).status, 201);
    assertProblem(await request(app).post('/notes'), 400, 'VALIDATION.FAILED');
  });

  it('when an AppError carries headers, then they are sent with the problem', async () => {
    const { app } = buildApp();
    const response = await request(app).get('/rate-limited');
    assertProblem(response, 429, 'AUTH.TOO_MANY_ATTEMPTS');
    assert.equal(response.headers['retry-after'], '30');
  });

  it('when the body fails validation, then every field is named, unknown keys included', async () => {
    const { app } = buildApp();
    const response = await request(app).post('/incidents').send({ title: 'ok', extra: 1, other: true });
    const problem = assertProblem(response, 400, 'VALIDATION.FAILED');
    assert.deepEqual(problem.errors?.map((issue) => `${issue.location}:${issue.path}`).sort(), [
      'body:/extra',
      'body:/other',
      'body:/priority',
      'body:/title',
    ]);
  });

  it('when the body is valid JSON with a +json media type, then the route receives it parsed', async () => {
    const { app } = buildApp();
    const response = await request(app)
      .post('/incidents')
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ title: 'Printer on fire', priority: 'high' }));
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { title: 'Printer on fire', priority: 'high' });
  });

  it('when the JSON is malformed, then 400 HTTP.MALFORMED_JSON', async () => {
    const { app } = buildApp();
    const response = await request(app).post('/incidents').set('Content-Type', 'application/json').send('{"title": ');
    const problem = assertProblem(response, 400, 'HTTP.MALFORMED_JSON');
    assert.match(problem.detail ?? '', /^The request body is not valid JSON: /);
  });

  it('when the body is 2 MB, then 413 under the default 1 MB limit, naming the limit', async () => {
    const { app } = buildApp();
    const response = await request(app)
      .post('/incidents')
      .send({ title: 'x'.repeat(2 * 1024 * 1024), priority: 'low' });
    const problem = assertProblem(response, 413, 'HTTP.PAYLOAD_TOO_LARGE');
    assert.equal(problem.detail, 'The request body is larger than the limit of 1 MB.');
  });

  it('when a smaller body limit is configured, then it is enforced for JSON and forms', async () => {
    const { app } = buildApp({ bodyLimit: '1kb' });
    const json = await request(app).post('/incidents').send({ title: 'x'.repeat(2000), priority: 'low' });
    assert.equal(assertProblem(json, 413, 'HTTP.PAYLOAD_TOO_LARGE').detail, 'The request body is larger than the limit of 1 kB.');
    const form = await request(app).post('/incidents').type('form').send({ title: 'x'.repeat(2000) });
    assertProblem(form, 413, 'HTTP.PAYLOAD_TOO_LARGE');
    const small = await request(app).post('/incidents').send({ title: 'small', priority: 'low' });
    assert.equal(small.status, 201);
  });

  it('when the charset is not supported, then 415', async () => {
    const { app } = buildApp();
    const response = await request(app)
      .post('/incidents')
      .set('Content-Type', 'application/json; charset=klingon')
      .send('{}');
    assertProblem(response, 415, 'HTTP.UNSUPPORTED_CHARSET');
  });

  it('when no route matches, then 404 HTTP.NOT_FOUND', async () => {
    const { app } = buildApp();
    const response = await request(app).delete('/nowhere');
    const problem = assertProblem(response, 404, 'HTTP.NOT_FOUND');
    assert.equal(problem.detail, 'No route matches DELETE /nowhere.');
  });

  for (const path of ['/broken', '/broken-later']) {
    it(`when ${path} throws a plain Error, then 500 without its message or stack, and the error is logged`, async () => {
      const { app, logs } = buildApp();
      const response = await request(app).get(path);
      const problem = assertProblem(response, 500, 'INTERNAL.UNEXPECTED');
      assert.equal(problem.title, 'Something went wrong on our side');
      assert.equal(problem.detail, 'An unexpected error occurred; quote the requestId when reporting it.');
      assert.doesNotMatch(response.text, /secret-db|internals|at .*\.ts/);
      const logged = logs.find((line) => line.level === 'error');
      assert.equal(logged.length, 1);
      const err = logged[0]!.err as { message: string; stack: string };
      assert.match(err.message, /secret-db|internals/);
      assert.match(err.stack, /http\.test\.ts/);
      assert.equal(logged[0]!.requestId, problem.requestId);
    });
  }

  it('when a ZodError escapes a route, then it is still a 400 VALIDATION.FAILED', async () => {
    const { app } = buildApp();
    const response = await request(app).get('/stray-zod');
    const problem = assertProblem(response, 400, 'VALIDATION.FAILED');
    assert.deepEqual(problem.errors?.map((issue) => issue.path), ['/name']);
  });
});

describe('request ids and security headers', () => {
  it('when no request id is sent, then one is generated and echoed', async () => {
    const { app } = buildApp();
    const response = await request(app).get('/incidents/1');
    assert.match(response.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('when a sane request id is sent, then it is kept', async () => {
    const { app } = buildApp();
    const response = await request(app).get('/incidents/1').set('X-Request-Id', 'gateway:abc-123.4_5');
    assert.equal(response.headers['x-request-id'], 'gateway:abc-123.4_5');
    assert.equal((response.body as { requestId: string }).requestId, 'gateway:abc-123.4_5');
  });

  for (const [label, incoming] of [
    ['with forbidden characters', 'abc"}\n{"admin":true'],
    ['longer than 128 characters', 'a'.repeat(129)],
  ] as const) {
    it(`when the incoming request id is ${label}, then it is replaced`, async () => {
      const { app } = buildApp();
      const response = await request(app).get('/incidents/1').set('X-Request-Id', incoming.replace('\n', ' '));
      assert.match(response.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    });
  }

  it('when any response is sent, then helmet security headers are present', async () => {
    const { app } = buildApp();
    const response = await request(app).get('/incidents/1');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.ok(response.headers['strict-transport-security']);
    assert.ok(response.headers['content-security-policy']);
    assert.equal(response.headers['x-powered-by'], undefined);
  });
});

describe('request logs', () => {
  function appLoggingFromHandler() {
    const logs = new LogCapture();
    const logger = createLogger({ service: 'http-test', destination: logs });
    const app = createHttpApp({ serviceName: 'http-test', logger }, (routes) => {
      routes.post('/echo', async (req, res) => {
        logger.info('handler received the body');
        await sleep(5);
        logger.info('handler finished waiting');
        res.json({ received: req.body as unknown });
      });
    });
    return { app, logs };
  }

  it('when a handler logs before and after an await, then every line of the request has its requestId and traceId', async () => {
    const { app, logs } = appLoggingFromHandler();
    const response = await request(app).post('/echo').send({ hello: 'world' });
    assert.equal(response.status, 200);
    const requestId = response.headers['x-request-id'];
    assert.deepEqual(
      logs.lines.map((line) => line.msg),
      ['handler received the body', 'handler finished waiting', 'request completed'],
    );
    const traceIds = new Set(logs.lines.map((line) => line.traceId));
    assert.equal(traceIds.size, 1);
    assert.match(String([...traceIds][0]), /^[0-9a-f]{32}$/);
    for (const line of logs.lines) {
      assert.equal(line.requestId, requestId);
      assert.equal(line.service, 'http-test');
    }
    const access = logs.lines.at(-1)!;
    assert.equal(access.method, 'POST');
    assert.equal(access.path, '/echo');
    assert.equal(access.status, 200);
    assert.equal(typeof access.durationMs, 'number');
  });

  it('when the caller sends a traceparent, then its trace id is the one logged', async () => {
    const { app, logs } = appLoggingFromHandler();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(app).post('/echo').set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`).send({});
    assert.ok(logs.lines.length >= 3);
    assert.ok(logs.lines.every((line) => line.traceId === traceId));
  });

  it('when two requests overlap, then their lines do not share ids', async () => {
    const { app, logs } = appLoggingFromHandler();
    const [first, second] = await Promise.all([
      request(app).post('/echo').send({ n: 1 }),
      request(app).post('/echo').send({ n: 2 }),
    ]);
    for (const response of [first, second]) {
      const own = logs.find((line) => line.requestId === response.headers['x-request-id']);
      assert.equal(own.length, 3);
      assert.equal(new Set(own.map((line) => line.traceId)).size, 1);
    }
  });

  it('when a request fails with a server error, then its access log line is a warning with the code', async () => {
    const { app, logs } = buildApp();
    await request(app).get('/broken');
    const access = logs.find((line) => line.path === '/broken' && line.status === 500);
    assert.equal(access.length, 1);
    assert.equal(access[0]!.level, 'warn');
    assert.equal(access[0]!.code, 'INTERNAL.UNEXPECTED');
  });

  it('when the client disconnects before the response, then the access log says so, with the request id', async () => {
    const logs = new LogCapture();
    const logger = createLogger({ service: 'http-test', destination: logs });
    let handlerStarted = false;
    const app = createHttpApp({ serviceName: 'http-test', logger }, (routes) => {
      routes.get('/slow', async (_req, res) => {
        handlerStarted = true;
        await sleep(200);
        res.json({});
      });
    });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const clientRequest = http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/slow' });
      clientRequest.on('error', () => {});
      await waitFor('the handler to start', () => handlerStarted);
      clientRequest.destroy();
      const [line] = await waitFor('the access log line', () => {
        const found = logs.find((entry) => entry.msg === 'request aborted by the client');
        return found.length > 0 && found;
      });
      assert.equal(line?.aborted, true);
      assert.equal(line?.path, '/slow');
      assert.match(String(line?.requestId), /^[0-9a-f-]{36}$/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
