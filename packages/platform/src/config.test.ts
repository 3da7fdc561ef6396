import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, configFields, loadConfig } from './config.js';

const repositoryRoot = path.resolve(__dirname, '../../..');

const serviceSchema = baseConfigSchema.extend({
  PORT: configFields.port(4002),
  DATABASE_URL: configFields.postgresUrl(),
  AMQP_URL: configFields.amqpUrl().optional(),
});

function configErrorOf(work: () => unknown): ConfigError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('when optional variables are absent, then their defaults apply and values are typed', () => {
    const config = loadConfig(serviceSchema, { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    assert.deepEqual(config, {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      SHUTDOWN_DRAIN_MS: 0,
      BODY_LIMIT: '1mb',
      PORT: 4002,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
  });

  it('when a required variable is missing and another is malformed, then one line names both', () => {
    const error = configErrorOf(() => loadConfig(serviceSchema, { PORT: 'abc' }));
    assert.equal(
      error.message,
      'Invalid configuration: PORT must be an integer from 0 to 65535 (got "abc"); ' +
        'DATABASE_URL is required (a postgres:// connection string)',
    );
    assert.ok(!error.message.includes('\n'));
  });

  it('when several variables are wrong, then each is named with what is expected', () => {
    const error = configErrorOf(() =>
      loadConfig(serviceSchema, {
        NODE_ENV: 'staging',
        LOG_LEVEL: 'loud',
        SHUTDOWN_TIMEOUT_MS: 'soon',
        BODY_LIMIT: 'huge',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318',
        PORT: '70000',
        DATABASE_URL: 'mysql://root@db/app',
        AMQP_URL: 'http://rabbit',
      }),
    );
    assert.deepEqual(error.problems, [
      'NODE_ENV must be one of development, test, production (got "staging")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'SHUTDOWN_TIMEOUT_MS must be a duration in milliseconds such as 10000, or with a unit: 500ms, 10s, 2m, 1h, 30d (got "soon")',
      'BODY_LIMIT must be a size such as 512kb, 1mb or a number of bytes (got "huge")',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http:// or https:// URL (got "jaeger:4318")',
      'PORT must be an integer from 0 to 65535 (got "70000")',
      'DATABASE_URL must be a postgres:// connection string (got "mysql://root@db/app")',
      'AMQP_URL must be an amqp:// or amqps:// URL (got "http://rabbit")',
    ]);
  });

  it('when a rejected connection string holds a password, then the message masks it', () => {
    const error = configErrorOf(() =>
      loadConfig(serviceSchema, { DATABASE_URL: 'mysql://app:hunter2@db/app', AMQP_URL: 'http://guest:guest@rabbit' }),
    );
    assert.ok(!error.message.includes('hunter2'), error.message);
    assert.ok(!error.message.includes('guest@'), error.message);
    assert.ok(error.message.includes('mysql://app:***@db/app'), error.message);
  });

  it('when a variable is set to an empty string, then it counts as not set', () => {
    const config = loadConfig(serviceSchema, { DATABASE_URL: 'postgres://db/app', PORT: '', AMQP_URL: ' ' });
    assert.equal(config.PORT, 4002);
    assert.equal(config.AMQP_URL, undefined);
  });

  it('when fields use the other builders, then their spellings and units are understood', () => {
    const schema = z.object({
      ENABLED: configFields.boolean(false),
      DISABLED: configFields.boolean(true),
      RETRIES: configFields.integer({ min: 1, max: 10, default: 3 }),
      POLL: configFields.durationMs(1000),
      GRACE: configFields.durationMs(1000),
      MODE: configFields.enum(['fast', 'safe'], 'safe'),
      PUBLIC_URL: configFields.url(),
    });
    const config = loadConfig(schema, {
      ENABLED: 'YES',
      DISABLED: '0',
      POLL: '2m',
      GRACE: '250',
      MODE: 'fast',
      PUBLIC_URL: 'https://desk.example.com',
    });
    assert.deepEqual(config, {
      ENABLED: true,
      DISABLED: false,
      RETRIES: 3,
      POLL: 120_000,
      GRACE: 250,
      MODE: 'fast',
      PUBLIC_URL: 'https://desk.example.com',
    });
  });

  it('when a plain zod field guarding a secret fails, then it is named without echoing the value', () => {
    const schema = z.object({ JWT_SECRET: z.string().min(32), RETRIES: configFields.integer({ min: 1 }) });
    const error = configErrorOf(() => loadConfig(schema, { JWT_SECRET: 'short-secret', RETRIES: '0' }));
    assert.equal(
      error.message,
      'Invalid configuration: JWT_SECRET must be at least 32 characters long; RETRIES must be an integer of at least 1 (got "0")',
    );
  });
});

describe('published example values in production', () => {
  const schema = baseConfigSchema.extend({
    SIGNING_KEY_SECRET: z.string().min(32),
    DATABASE_URL: configFields.postgresUrl(),
    ADMIN_PASSWORD: z.string().min(8).optional(),
  });
  const good = { SIGNING_KEY_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://svc:s3cret-of-our-own@db:5432/desk' };

  it('when a secret is a change-me placeholder, then production refuses it naming the variable and not the value', () => {
    const env = { ...good, NODE_ENV: 'production', SIGNING_KEY_SECRET: 'change-me-signing-key-secret-at-least-32-characters' };
    assert.throws(
      () => loadConfig(schema, env),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 1 &&
        error.problems[0]!.startsWith('SIGNING_KEY_SECRET holds a "change-me" placeholder') &&
        !error.message.includes('at-least-32-characters'),
    );
  });

  it('when a connection string carries an example or demo password, then production refuses it, in any case', () => {
    for (const DATABASE_URL of ['postgres://svc:change-me-identity-db@db:5432/desk', 'postgres://svc:CHANGEME@db/desk', 'postgres://svc:demo-password@db/desk']) {
      assert.throws(() => loadConfig(schema, { ...good, NODE_ENV: 'production', DATABASE_URL }), /DATABASE_URL holds/, DATABASE_URL);
    }
  });

  it('when the bootstrap admin password is a demo password, then production refuses it', () => {
    assert.throws(() => loadConfig(schema, { ...good, NODE_ENV: 'production', ADMIN_PASSWORD: 'admin-password' }), /ADMIN_PASSWORD holds the demo password/);
  });

  it('when the values are of our own, or the environment is not production, then they are accepted', () => {
    assert.equal(loadConfig(schema, { ...good, NODE_ENV: 'production' }).SIGNING_KEY_SECRET, good.SIGNING_KEY_SECRET);
    assert.equal(loadConfig(schema, { ...good, NODE_ENV: 'development', ADMIN_PASSWORD: 'admin-password' }).ADMIN_PASSWORD, 'admin-password');
  });
});

describe('loadConfigOrExit', () => {
  it('when the configuration is invalid, then the process prints one line to stderr and exits 1', () => {
    const script = [
      "const { loadConfigOrExit, baseConfigSchema, configFields } = require('@desk/platform');",
      'loadConfigOrExit(baseConfigSchema.extend({ DATABASE_URL: configFields.postgresUrl() }));',
      "process.stdout.write('still running');",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '-e', script], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'chatty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(child.status, 1, child.stderr);
    assert.equal(child.stdout, '');
    assert.equal(
      child.stderr,
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty"); ' +
        'DATABASE_URL is required (a postgres:// connection string)\n',
    );
  });
});
