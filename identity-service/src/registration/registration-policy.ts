import type { RegistrationMode } from '@desk/contracts';

/** The desk's self-registration rule, from `REGISTRATION`. */
export type RegistrationPolicy =
  | { mode: 'open' | 'verified' | 'closed' }
  | { mode: 'domains'; domains: string[] };

/** What happens to one self-registration, by the address alone (whether it has an account is decided later). */
export type RegistrationPath = 'create-now' | 'verify-by-mail' | 'refuse';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `open` | `verified` | `closed` | `domains:<d1>,<d2>`; a string says what is wrong. */
export function parseRegistrationPolicy(value: string): RegistrationPolicy | string {
  const text = value.trim().toLowerCase();
  if (text === 'open' || text === 'verified' || text === 'closed') return { mode: text };
  if (text.startsWith('domains:')) {
    const domains = text
      .slice('domains:'.length)
      .split(',')
      .map((domain) => domain.trim().replace(/^@/, ''))
      .filter(Boolean);
    if (domains.length === 0) return 'domains: needs at least one domain, e.g. domains:example.com,example.org';
    const bad = domains.find((domain) => !DOMAIN.test(domain));
    if (bad) return `"${bad}" is not a domain name`;
    return { mode: 'domains', domains: [...new Set(domains)] };
  }
  return 'must be open, verified, closed or domains:<comma-separated domains>';
}

/**
 * The path a registration for `email` takes. In `domains` mode only addresses whose domain is
 * one of the list (exactly; a subdomain is another domain) may register, and they verify by
 * mail like in `verified` mode.
 */
export function registrationPath(policy: RegistrationPolicy, email: string): RegistrationPath {
  switch (policy.mode) {
    case 'open':
      return 'create-now';
    case 'verified':
      return 'verify-by-mail';
    case 'closed':
      return 'refuse';
    case 'domains': {
      const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
      return policy.domains.includes(domain) ? 'verify-by-mail' : 'refuse';
    }
  }
}

/** The 202 body's message: one per mode, the same for every address. */
export function registrationMessage(mode: RegistrationMode): string {
  switch (mode) {
    case 'open':
      return 'Thanks. If the address is new, its account is ready: sign in. If it has an account already, we have told its owner by mail.';
    case 'verified':
      return 'Check your mail: we sent the address a link to finish registering. The link lasts 24 hours.';
    case 'domains':
      return 'If the address may register here, we sent it a link to finish registering (valid 24 hours). Check your mail.';
    case 'closed':
      return 'Self-registration is closed on this desk: ask an administrator for an account.';
  }
}
