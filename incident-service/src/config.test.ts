import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@desk/platform';
import { incidentConfigSchema } from './config.js';

test('when only DATABASE_URL is set, then the defaults are the documented ones', () => {
  const config = loadConfig(incidentConfigSchema, { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
  assert.equal(config.PORT, 4002);
  assert.equal(config.AUTO_CLOSE_DAYS, 7);
  assert.equal(config.SLA_CHECK_INTERVAL, 30_000);
  assert.equal(config.IDENTITY_URL, 'http://127.0.0.1:4001');
});

test('when values are missing or wrong, then one line names each', () => {
  assert.throws(() => loadConfig(incidentConfigSchema, {}), /DATABASE_URL is required/);
  assert.throws(
    () => loadConfig(incidentConfigSchema, { DATABASE_URL: 'mysql://x', AUTO_CLOSE_DAYS: '0', IDENTITY_URL: 'nope' }),
    (error: Error) => /DATABASE_URL must be a postgres:\/\//.test(error.message) && /AUTO_CLOSE_DAYS/.test(error.message) && /IDENTITY_URL/.test(error.message) && !error.message.includes('\n'),
  );
});
