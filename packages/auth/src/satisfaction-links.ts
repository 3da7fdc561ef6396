import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'desk-satisfaction-link';
const ISSUER = 'incident-platform';
/** How long the links in a resolution mail work. */
export const SATISFACTION_LINK_TTL_SECONDS = 30 * 24 * 3600;

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/**
 * The token of a one-click rating link: it stands for one incident's reporter, and only for
 * rating that incident. notification-service puts it in the resolution mail; incident-service
 * accepts it at `PUT /satisfaction/{token}`. Both hold SATISFACTION_LINK_SECRET (HS256).
 */
export async function signSatisfactionLink(secret: string, subject: { incidentId: string; reporterId: string }, ttlSeconds = SATISFACTION_LINK_TTL_SECONDS): Promise<string> {
  return new SignJWT({ iid: subject.incidentId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject.reporterId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(keyOf(secret));
}

/** The incident and reporter a link's token stands for, or undefined when it is not one of ours or has expired. */
export async function verifySatisfactionLink(secret: string, token: string): Promise<{ incidentId: string; reporterId: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.iid !== 'string' || typeof payload.sub !== 'string') return undefined;
    return { incidentId: payload.iid, reporterId: payload.sub };
  } catch {
    return undefined;
  }
}
