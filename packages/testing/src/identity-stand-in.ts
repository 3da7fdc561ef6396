import { randomUUID } from 'node:crypto';
import { signAccessToken, type SigningKey } from '@desk/auth';
import { buildEvent, type EventEnvelope, type Role, type UserRole, type UserSnapshot } from '@desk/contracts';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey } from 'jose';

const SOURCE = '/identity-service';

export interface TokenSubject {
  id: string;
  role: Role;
  departmentId?: string | null;
  scopes?: string[];
}

/**
 * identity-service as the other services' tests need it: a signing key of its own (the service
 * under test verifies with `jwks`), access tokens, and the events identity publishes about
 * users and departments. The harness publishes the events on its bus and waits its own way.
 */
export class IdentityStandIn {
  private constructor(
    private readonly key: SigningKey,
    /** Give it to the service as its verification keys. */
    readonly jwks: JWTVerifyGetKey,
    private readonly claims: { issuer: string; audience: string },
  ) {}

  static async create(claims: { issuer: string; audience: string }): Promise<IdentityStandIn> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'EdDSA' }] });
    return new IdentityStandIn({ kid: 'test-key', privateKey }, jwks, claims);
  }

  /** An access token as identity-service signs them (10 minutes unless told otherwise). */
  async tokenFor(subject: TokenSubject, { ttlSeconds = 600 }: { ttlSeconds?: number } = {}): Promise<string> {
    return (await signAccessToken(subject, this.key, { ...this.claims, ttlSeconds })).token;
  }

  /** A new account: a unique email, `Test <role> <4 characters>` as its name, active. */
  newUser(role: UserRole, departmentId: string | null = null, overrides: Partial<UserSnapshot> = {}): UserSnapshot {
    const now = new Date().toISOString();
    return {
      id: randomUUID(),
      email: `${role}-${randomUUID().slice(0, 8)}@example.com`,
      fullName: `Test ${role} ${randomUUID().slice(0, 4)}`,
      role,
      departmentId,
      isActive: true,
      createdAt: now,
      updatedAt: now,
      ...overrides,
    };
  }

  /** The account after a change: newer by a second, so replicas take it over the old one. */
  changed(user: UserSnapshot, changes: Partial<UserSnapshot>): UserSnapshot {
    return { ...user, ...changes, updatedAt: new Date(Date.parse(user.updatedAt) + 1000).toISOString() };
  }

  /** `user.registered` for a new account; for a changed one `user.updated`, or `user.deactivated` when it is no longer active. */
  userEvent(user: UserSnapshot, kind: 'registered' | 'changed'): EventEnvelope {
    if (kind === 'registered') return buildEvent('user.registered', { source: SOURCE, subject: user.id, data: { user } });
    if (!user.isActive) return buildEvent('user.deactivated', { source: SOURCE, subject: user.id, data: { user } });
    return buildEvent('user.updated', { source: SOURCE, subject: user.id, data: { user, changedFields: ['role'] } });
  }

  /** `department.created` for a new department. */
  departmentEvent(name: string): EventEnvelope<'department.created'> {
    const now = new Date().toISOString();
    const department = { id: randomUUID(), name, description: null, createdAt: now, updatedAt: now };
    return buildEvent('department.created', { source: SOURCE, subject: department.id, data: { department } });
  }
}
