import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM, type SigningKey } from '@desk/auth';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { SecretBox } from './secret-box.js';

interface SigningKeyRow {
  kid: string;
  algorithm: string;
  public_jwk: JWK;
  private_key_encrypted: string;
  created_at: Date;
  retires_at: Date;
  expires_at: Date;
}

export interface SigningKeyStoreOptions {
  db: Knex;
  logger: Logger;
  /** SIGNING_KEY_SECRET: private keys are stored encrypted under a key derived from it. */
  secret: string;
  /** How long a key signs before the next one takes over. */
  rotationIntervalMs: number;
  /** Access token lifetime: a retired key keeps verifying this long (plus a margin). */
  accessTokenTtlMs: number;
  now?: () => Date;
}

/** Clock skew between services, added to how long a retired key stays published. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * The keys that sign access tokens, kept in the database so a restart (or another replica)
 * signs with the same key and nobody is signed out. Ed25519 keys rotate: a new key takes over
 * after `rotationIntervalMs`, and the retired one stays in the JWKS until every token it signed
 * has expired, so verifiers never see a valid token with an unknown key.
 */
export class SigningKeyStore {
  private readonly box: SecretBox;
  private readonly now: () => Date;
  private current: { row: SigningKeyRow; key: SigningKey } | null = null;

  constructor(private readonly options: SigningKeyStoreOptions) {
    this.box = new SecretBox(options.secret, 'desk signing keys');
    this.now = options.now ?? (() => new Date());
  }

  /** The key to sign with now, rotating first when the current one has retired. */
  async signingKey(): Promise<SigningKey> {
    if (this.current && this.current.row.retires_at > this.now()) return this.current.key;
    const row = (await this.newestSigningRow()) ?? (await this.rotateIfStill(() => this.newestSigningRow()));
    this.current = { row, key: { kid: row.kid, privateKey: await this.decryptPrivateKey(row) } };
    return this.current.key;
  }

  /** Retires the current key now and starts signing with a new one (after a suspected leak, say). */
  async rotate(): Promise<SigningKey> {
    await this.rotateIfStill(() => Promise.resolve(undefined));
    this.current = null;
    return this.signingKey();
  }

  /** The public keys verifiers may meet: every key not yet past its expiry, newest first. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const rows = await this.options.db<SigningKeyRow>('signing_keys')
      .select('kid', 'algorithm', 'public_jwk')
      .where('expires_at', '>', this.now())
      .orderBy('created_at', 'desc');
    return { keys: rows.map((row) => ({ ...row.public_jwk, kid: row.kid, alg: row.algorithm, use: 'sig' })) };
  }

  /** A key resolver for verifying tokens inside identity-service itself, without HTTP. */
  verificationKeys(): JWTVerifyGetKey {
    let cached: { jwks: JWTVerifyGetKey; kids: Set<string> } | null = null;
    return async (header, token) => {
      if (!cached || !header.kid || !cached.kids.has(header.kid)) {
        const { keys } = await this.jwks();
        cached = { jwks: createLocalJWKSet({ keys }), kids: new Set(keys.map((key) => key.kid!)) };
      }
      return cached.jwks(header, token);
    };
  }

  private async newestSigningRow(db: Knex | Knex.Transaction = this.options.db): Promise<SigningKeyRow | undefined> {
    return db<SigningKeyRow>('signing_keys')
      .select('*')
      .where('retires_at', '>', this.now())
      .orderBy('created_at', 'desc')
      .first();
  }

  /**
   * Creates a key unless `stillNeeded` finds one made meanwhile: replicas that notice the
   * rotation together take an advisory lock, and all but the first find its key.
   */
  private async rotateIfStill(existing: () => Promise<SigningKeyRow | undefined>): Promise<SigningKeyRow> {
    return this.options.db.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext('identity.signing_keys'))");
      const found = await existing();
      if (found) return found;
      const now = this.now();
      // Retire whatever still signs, keeping it published until its last token expires.
      await trx('signing_keys')
        .where('retires_at', '>', now)
        .update({ retires_at: now, expires_at: new Date(now.getTime() + this.options.accessTokenTtlMs + EXPIRY_MARGIN_MS) });
      const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
      const retiresAt = new Date(now.getTime() + this.options.rotationIntervalMs);
      const [row] = await trx<SigningKeyRow>('signing_keys')
        .insert({
          kid: randomUUID(),
          algorithm: ACCESS_TOKEN_ALGORITHM,
          public_jwk: await exportJWK(publicKey),
          private_key_encrypted: this.box.seal(JSON.stringify(await exportJWK(privateKey))),
          created_at: now,
          retires_at: retiresAt,
          expires_at: new Date(retiresAt.getTime() + this.options.accessTokenTtlMs + EXPIRY_MARGIN_MS),
        })
        .returning('*');
      this.options.logger.info({ kid: row!.kid, retiresAt: retiresAt.toISOString() }, 'new signing key in use');
      return row!;
    });
  }

  private async decryptPrivateKey(row: SigningKeyRow): Promise<CryptoKey | KeyObject> {
    try {
      const jwk = JSON.parse(this.box.open(row.private_key_encrypted)) as JWK;
      return (await importJWK(jwk, row.algorithm)) as CryptoKey;
    } catch (error) {
      throw new Error(
        `Cannot decrypt signing key ${row.kid}: SIGNING_KEY_SECRET is not the secret it was stored with. ` +
          'Restore the previous secret, or delete the rows of identity.signing_keys to start over (everyone signs in again).',
        { cause: error },
      );
    }
  }
}
