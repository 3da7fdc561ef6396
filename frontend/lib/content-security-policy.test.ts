import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, newNonce } from './content-security-policy';

const directive = (policy: string, name: string) => policy.split('; ').find((entry) => entry.startsWith(`${name} `)) ?? '';

test('when built for production, then scripts need the nonce, and nothing inline or eval runs', () => {
  const policy = contentSecurityPolicy({ nonce: 'abc123', apiUrl: 'https://api.desk.example/', development: false });
  assert.equal(directive(policy, 'script-src'), "script-src 'self' 'nonce-abc123' 'strict-dynamic'");
  assert.equal(directive(policy, 'connect-src'), "connect-src 'self' https://api.desk.example");
  assert.equal(directive(policy, 'object-src'), "object-src 'none'");
  assert.equal(directive(policy, 'frame-ancestors'), "frame-ancestors 'none'");
  assert.doesNotMatch(policy, /unsafe-eval/);
});

test('when in development, then eval is allowed for React\'s tools, still no inline scripts', () => {
  const scripts = directive(contentSecurityPolicy({ nonce: 'n', apiUrl: 'http://localhost:8080', development: true }), 'script-src');
  assert.match(scripts, /'unsafe-eval'/);
  assert.doesNotMatch(scripts, /unsafe-inline/);
});

test('each nonce is new: 128 random bits', () => {
  const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
});
