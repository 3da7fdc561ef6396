import { z } from 'zod';
import { roleSchema } from './roles.js';

/**
 * Claims of an access token (a JWT, RFC 9068 profile, header `typ: at+jwt`). `sub` is a user
 * id, or a service account id when `role` is `service`; `dept` is the user's department, absent
 * when they have none; `scope` is a space-separated list, service accounts only.
 */
export const accessTokenClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.uuid(),
  role: roleSchema,
  dept: z.uuid().optional(),
  scope: z.string().optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(1),
  /** The sign-in (refresh family) a user's token belongs to: signing out or a revocation ends it. */
  sid: z.uuid().optional(),
  /** The OAuth client the token was issued to (RFC 9068 §2.2): a service account's client id, or PEOPLE_CLIENT_ID. */
  client_id: z.string().min(1).optional(),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** `client_id` of the tokens people get by signing in (the portal, /auth/login, the password grant). */
export const PEOPLE_CLIENT_ID = 'desk-portal';
