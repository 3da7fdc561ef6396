import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRegistrationPolicy, registrationPath } from './registration-policy.js';

describe('registration policy', () => {
  test('REGISTRATION values parse to a mode; domains are lower-cased and deduplicated', () => {
    assert.deepEqual(parseRegistrationPolicy('open'), { mode: 'open' });
    assert.deepEqual(parseRegistrationPolicy(' Verified '), { mode: 'verified' });
    assert.deepEqual(parseRegistrationPolicy('closed'), { mode: 'closed' });
    assert.deepEqual(parseRegistrationPolicy('domains:Example.com, @example.org,example.com'), { mode: 'domains', domains: ['example.com', 'example.org'] });
  });

  test('a value that is no mode, or domains without a valid domain, is explained', () => {
    assert.match(parseRegistrationPolicy('public') as string, /must be open, verified, closed or domains/);
    assert.match(parseRegistrationPolicy('domains:') as string, /at least one domain/);
    assert.match(parseRegistrationPolicy('domains:example.com,not a domain') as string, /"not a domain" is not a domain name/);
  });

  test('each mode decides by the address alone', () => {
    assert.equal(registrationPath({ mode: 'open' }, 'a@x.example'), 'create-now');
    assert.equal(registrationPath({ mode: 'verified' }, 'a@x.example'), 'verify-by-mail');
    assert.equal(registrationPath({ mode: 'closed' }, 'a@x.example'), 'refuse');
    const domains = { mode: 'domains' as const, domains: ['example.com'] };
    assert.equal(registrationPath(domains, 'ana@example.com'), 'verify-by-mail');
    assert.equal(registrationPath(domains, 'ana@EXAMPLE.COM'), 'verify-by-mail');
    assert.equal(registrationPath(domains, 'ana@mail.example.com'), 'refuse');
    assert.equal(registrationPath(domains, 'ana@example.com.evil.test'), 'refuse');
  });
});
