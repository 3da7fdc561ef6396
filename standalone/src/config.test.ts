import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '@desk/platform';
import { isLoopback, standaloneConfigSchema } from './config.js';

describe('standalone launcher configuration', () => {
  test('when HOST is this machine, then the demo passwords are fine', () => {
    for (const HOST of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) {
      assert.ok(isLoopback(HOST), HOST);
      assert.equal(loadConfig(standaloneConfigSchema, { HOST }).HOST, HOST);
    }
  });

  test('when HOST reaches the network while demo passwords are in use, then the launcher refuses, saying what to do', () => {
    for (const env of [{ HOST: '0.0.0.0' }, { HOST: '192.168.1.20', SEED_DEMO: 'false' }, { HOST: '::', SEED_DEMO: 'false', ADMIN_PASSWORD: 'demo-password' }]) {
      assert.throws(
        () => loadConfig(standaloneConfigSchema, env),
        (error: unknown) => error instanceof ConfigError && /^HOST is reachable from the network while demo passwords are in use/.test(error.problems[0]!) && error.message.includes('ALLOW_DEMO_PASSWORDS_ON_NETWORK=true'),
        JSON.stringify(env),
      );
    }
  });

  test('when the demo is off and the admin password is their own, or they say so, then a network HOST is accepted', () => {
    assert.equal(loadConfig(standaloneConfigSchema, { HOST: '0.0.0.0', SEED_DEMO: 'false', ADMIN_PASSWORD: 'a passphrase of our own' }).HOST, '0.0.0.0');
    assert.equal(loadConfig(standaloneConfigSchema, { HOST: '0.0.0.0', ALLOW_DEMO_PASSWORDS_ON_NETWORK: 'true' }).HOST, '0.0.0.0');
  });
});
