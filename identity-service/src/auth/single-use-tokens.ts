import { createHash, randomBytes } from 'node:crypto';

/** A mailed link's token: 256 random bits; only its SHA-256 is stored. */
export function newSingleUseToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSingleUseToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
