import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '@desk/platform';
import { identityConfigSchema } from './config.js';

const valid = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', SIGNING_KEY_SECRET: 'x'.repeat(32) };

test('when the required variables are set, then the rest take their defaults', () => {
  const config = loadConfig(identityConfigSchema, valid);
  assert.equal(config.PORT, 4001);
  assert.equal(config.ACCESS_TOKEN_TTL, 15 * 60_000);
  assert.equal(config.REFRESH_TOKEN_TTL, 30 * 86_400_000);
  assert.equal(config.JWT_ISSUER, 'http://localhost:8080');
  assert.equal(config.OAUTH_PASSWORD_GRANT, 'disabled');
  assert.equal(config.AMQP_URL, undefined);
});

test('when JWT_ISSUER is not a URL, then it is refused (it is the OAuth issuer clients discover)', () => {
  assert.throws(() => loadConfig(identityConfigSchema, { ...valid, JWT_ISSUER: 'incident-platform' }), /JWT_ISSUER must be/);
  assert.equal(loadConfig(identityConfigSchema, { ...valid, JWT_ISSUER: 'https://api.desk.example.com/' }).JWT_ISSUER, 'https://api.desk.example.com');
});

test('when the database URL and the signing secret are missing, then one line names both', () => {
  assert.throws(
    () => loadConfig(identityConfigSchema, {}),
    (error: unknown) =>
      error instanceof ConfigError &&
      !error.message.includes('\n') &&
      /DATABASE_URL is required/.test(error.message) &&
      /SIGNING_KEY_SECRET is required/.test(error.message),
  );
});

test('when the signing secret is short, or only one of ADMIN_EMAIL / ADMIN_PASSWORD is set, then it says what is expected', () => {
  assert.throws(() => loadConfig(identityConfigSchema, { ...valid, SIGNING_KEY_SECRET: 'short' }), /SIGNING_KEY_SECRET must be at least 32 characters/);
  assert.throws(() => loadConfig(identityConfigSchema, { ...valid, ADMIN_EMAIL: 'admin@example.com' }), /ADMIN_PASSWORD and ADMIN_EMAIL go together/);
  assert.throws(() => loadConfig(identityConfigSchema, { ...valid, ACCESS_TOKEN_TTL: 'soon' }), /ACCESS_TOKEN_TTL must be a duration/);
});
