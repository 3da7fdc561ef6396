import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { passwordWeakness } from './password-policy.js';

describe('password policy', () => {
  test('passwords from the common-password list, alone or with predictable changes, are refused', () => {
    for (const password of ['password1234', 'Password123!', 'qwertyuiop123', 'iloveyou12345', '123456789012', 'aaaaaaaaaaaa', 'letmein12345']) {
      assert.ok(passwordWeakness(password), `${password} should be refused`);
    }
    assert.match(passwordWeakness('baseball1234')!, /list of common or breached passwords|too easy/);
  });

  test('the person\'s own name and address count against the password', () => {
    assert.equal(passwordWeakness('ana.silva.2024'), undefined);
    assert.match(passwordWeakness('ana.silva.2024', ['ana.silva@example.com', 'Ana Silva'])!, /must not contain your email address or name/);
    assert.match(passwordWeakness('My-AnaSilva-desk', ['ana.silva@example.com', 'Ana Silva'])!, /must not contain/);
  });

  test('long passwords of unrelated words pass', () => {
    for (const password of ['correct horse battery', 'kettle-orbit-meadow', 'demo-password-2026', 'harbour lantern 42']) {
      assert.equal(passwordWeakness(password), undefined, password);
    }
  });
});
