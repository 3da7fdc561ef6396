import type { Role } from '@desk/contracts';

/** Who is making a request, as proven by a verified access token. */
export interface Caller {
  kind: 'user' | 'service';
  /** User id, or service account id. */
  id: string;
  role: Role;
  /** The user's department; null for users without one and for service accounts. */
  departmentId: string | null;
  /** Service accounts' scopes; empty for users. */
  scopes: string[];
  /** The token's `jti`. */
  tokenId: string;
  /** The sign-in (`sid`) a user's token belongs to; null for service accounts. */
  sessionId: string | null;
  /** The OAuth client the token was issued to (`client_id`); null for tokens from before it was set. */
  clientId: string | null;
  issuedAt: Date;
  expiresAt: Date;
}
