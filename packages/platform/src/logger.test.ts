import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { LogCapture } from '@desk/testing';
import { createLogger, currentContext, runInContext } from './logger.js';

function captured() {
  const logs = new LogCapture();
  return { logs, logger: createLogger({ service: 'logger-test', level: 'debug', destination: logs }) };
}

describe('createLogger', () => {
  it('when a line is logged, then it is JSON with the service, an ISO time and the level name', () => {
    const { logs, logger } = captured();
    logger.info({ incidentId: 'INC-000001' }, 'incident created');
    const [line] = logs.lines;
    assert.equal(line?.service, 'logger-test');
    assert.equal(line?.level, 'info');
    assert.equal(line?.msg, 'incident created');
    assert.equal(line?.incidentId, 'INC-000001');
    assert.match(String(line?.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('when secrets are logged, then they are redacted at the top level, one level down and in request headers', () => {
    const { logs, logger } = captured();
    logger.info(
      {
        password: 'hunter2',
        passwordHash: '$argon2id$...',
        refreshToken: 'rt',
        accessToken: 'at',
        clientSecret: 'cs',
        authorization: 'Bearer abc',
        body: { password: 'hunter2', email: 'ann@example.com' },
        req: { headers: { authorization: 'Bearer abc', cookie: 'session=1', accept: 'application/json' } },
      },
      'login attempt',
    );
    const line = JSON.stringify(logs.lines[0]);
    for (const secret of ['hunter2', 'argon2id', '"rt"', '"at"', '"cs"', 'Bearer', 'session=1']) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    assert.ok(line.includes('ann@example.com'));
    assert.ok(line.includes('application/json'));
  });
});

describe('runInContext', () => {
  it('when a message handler runs in a context, then every line it logs, across awaits, carries the event and trace ids', async () => {
    const { logs, logger } = captured();
    const traceId = 'a'.repeat(32);
    await runInContext({ eventId: 'evt-1', traceId }, async () => {
      logger.info('handling event');
      await sleep(2);
      setImmediate(() => logger.debug('from a callback'));
      await sleep(2);
      logger.info('handled event');
    });
    logger.info('outside any context');
    assert.deepEqual(
      logs.lines.map((line) => [line.msg, line.eventId, line.traceId]),
      [
        ['handling event', 'evt-1', traceId],
        ['from a callback', 'evt-1', traceId],
        ['handled event', 'evt-1', traceId],
        ['outside any context', undefined, undefined],
      ],
    );
    assert.ok(!('requestId' in logs.lines[0]!));
  });

  it('when a context is opened inside another, then the inner one replaces it', () => {
    runInContext({ requestId: 'req-1', traceId: 'b'.repeat(32) }, () => {
      runInContext({ eventId: 'evt-2' }, () => {
        assert.deepEqual(currentContext(), { eventId: 'evt-2' });
      });
      assert.equal(currentContext()?.requestId, 'req-1');
    });
    assert.equal(currentContext(), undefined);
  });
});
