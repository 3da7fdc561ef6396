import { timingSafeEqual } from 'node:crypto';
import type { ProblemCode, Role } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Caller } from './caller.js';
import { InvalidTokenError, type AccessTokenVerifier } from './tokens.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate` once the access token is verified. */
    caller?: Caller;
  }
}

const REALM = 'incident-platform';

/**
 * Decides whether a verified token still stands: a service with a user replica refuses tokens
 * of users deactivated, or whose role or department changed, since the token was issued.
 * Returns the reason to refuse, or undefined.
 */
export type CallerCheck = (caller: Caller) => Promise<string | undefined>;

export interface AuthenticateOptions {
  verify: AccessTokenVerifier;
  check?: CallerCheck;
}

// RFC 6750 §3: no error code when the request carried no token at all.
function missingToken(): AppError {
  return AppError.unauthorized('AUTH.TOKEN_MISSING', 'Sign in: this request needs an access token (Authorization: Bearer <token>).', {
    headers: { 'WWW-Authenticate': `Bearer realm="${REALM}"` },
  });
}

function invalidToken(reason: string, code: ProblemCode = 'AUTH.INVALID_TOKEN'): AppError {
  const description = reason.replace(/["\\]/g, '');
  return AppError.unauthorized(code, `The access token is not accepted: ${reason}. Sign in again or refresh the token.`, {
    headers: { 'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"` },
  });
}

export function bearerToken(request: Request): string | undefined {
  const header = request.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return match?.[1] ?? '';
}

/** Verifies the bearer token of every request through it and sets `request.caller`. */
export function authenticate({ verify, check }: AuthenticateOptions): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const token = bearerToken(request);
    if (token === undefined) return next(missingToken());
    if (token === '') return next(invalidToken('the Authorization header is not a Bearer token'));
    verify(token)
      .then(async (caller) => {
        const refused = check ? await check(caller) : undefined;
        if (refused) return next(invalidToken(refused, 'AUTH.TOKEN_REVOKED'));
        request.caller = caller;
        next();
      })
      .catch((error: unknown) => next(error instanceof InvalidTokenError ? invalidToken(error.reason) : error));
  };
}

/** The verified caller of a request that went through `authenticate`. */
export function callerOf(request: Request): Caller {
  if (!request.caller) throw missingToken();
  return request.caller;
}

/** Lets through only callers with one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (request, _response, next) => {
    const caller = callerOf(request);
    if (roles.includes(caller.role)) return next();
    next(AppError.forbidden('AUTH.FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`));
  };
}

/** Lets through users, and service accounts holding `scope`. */
export function requireScope(scope: string): RequestHandler {
  return (request, _response, next) => {
    const caller = callerOf(request);
    if (caller.kind === 'user' || caller.scopes.includes(scope)) return next();
    next(
      AppError.forbidden('AUTH.INSUFFICIENT_SCOPE', `This service account lacks the "${scope}" scope.`, {
        headers: { 'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"` },
      }),
    );
  };
}

/**
 * Guards `/internal/*` listings other services use to rebuild replicas. They are never routed
 * by the gateway; when INTERNAL_API_TOKEN is configured they also need it as a bearer token.
 */
export function requireInternalToken(expected: string | undefined): RequestHandler {
  return (request, _response, next) => {
    if (!expected) return next();
    const given = Buffer.from(bearerToken(request) ?? '');
    const wanted = Buffer.from(expected);
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return next();
    next(AppError.unauthorized('AUTH.INTERNAL_TOKEN', 'This internal endpoint needs the internal API token.'));
  };
}

/** What the platform knows of an account now, from wherever a service keeps it. */
export interface AccountState {
  isActive: boolean;
  role: string;
  departmentId: string | null;
}

/**
 * Why a verified token no longer describes its user — deactivated, or a role or department
 * other than the token says — or undefined while it still does. One rule for identity-service
 * (its own table), the other services (their replicas) and the gateway (recent changes).
 */
export function accountChangeReason(caller: Caller, account: AccountState): string | undefined {
  if (!account.isActive) return 'the account is deactivated';
  if (account.role !== caller.role || account.departmentId !== caller.departmentId) {
    return "the account's role or department has changed; sign in again";
  }
  return undefined;
}

/** Accounts a replica changed since a moment, and the replica's clock when it was asked. */
export interface ReplicaChanges {
  ids: string[];
  asOf: Date;
}

export interface ReplicaAccountCheckOptions {
  /** The account as the replica holds it now; undefined when not replicated (yet). */
  find: (userId: string) => Promise<AccountState | undefined>;
  /**
   * Ids of the accounts the replica wrote at or after `since`. With it, an account looked up
   * stays cached for `ttlMs` and is dropped as soon as a poll (at most every `pollMs`, driven by
   * requests) sees it changed; without it, each lookup is trusted for `ttlMs` only.
   */
  changedSince?: (since: Date) => Promise<ReplicaChanges>;
  /** Default 2 s without changedSince, 5 min with it. */
  ttlMs?: number;
  /** Default 1 s. */
  pollMs?: number;
  /** Called when a poll fails; lookups are then trusted for 2 s only until one succeeds. */
  onPollError?: (error: unknown) => void;
}

/** Lookups trusted without a change feed, or while the feed fails. */
const SHORT_TTL_MS = 2_000;
/** Replica writes committed this long after their clock read are still seen by the next poll. */
const POLL_OVERLAP_MS = 30_000;

/**
 * The check for services that keep a replica of users: each user's state is looked up once and
 * cached — for 2 s, or, given a change feed, until the replica changes the account (seen within
 * about `pollMs`), so a busy desk's requests cost no lookup while a deactivation or a move to
 * another department still takes effect within a second or two. A user not replicated yet
 * passes: the signature is all there is to go on.
 */
export function replicaAccountCheck(options: ReplicaAccountCheckOptions): CallerCheck {
  const { find, changedSince, pollMs = 1_000, onPollError } = options;
  const ttlMs = options.ttlMs ?? (changedSince ? 5 * 60_000 : SHORT_TTL_MS);
  const recent = new Map<string, { account: AccountState | undefined; at: number }>();
  // The change feed: since when to ask next (the replica's clock), when the last poll succeeded.
  let since = new Date(Date.now() - POLL_OVERLAP_MS);
  let polledAt = 0;
  let pollStartedAt = 0;
  let polling = false;
  const poll = () => {
    if (!changedSince || polling || Date.now() - pollStartedAt < pollMs) return;
    polling = true;
    pollStartedAt = Date.now();
    const startedAt = pollStartedAt;
    changedSince(since)
      .then(({ ids, asOf }) => {
        for (const id of ids) recent.delete(id);
        since = new Date(asOf.getTime() - POLL_OVERLAP_MS);
        polledAt = startedAt;
      })
      .catch((error: unknown) => onPollError?.(error))
      .finally(() => {
        polling = false;
      });
  };
  const lookup = async (id: string) => {
    const now = Date.now();
    poll();
    const hit = recent.get(id);
    // Without a recent successful poll, a cached account is as good as its first 2 s.
    const feedWorks = changedSince !== undefined && now - polledAt < Math.max(10 * pollMs, SHORT_TTL_MS);
    const maxAge = feedWorks ? ttlMs : Math.min(ttlMs, SHORT_TTL_MS);
    if (hit && now - hit.at < maxAge) return hit.account;
    const account = await find(id);
    recent.delete(id);
    recent.set(id, { account, at: now });
    if (recent.size > 10_000) recent.delete(recent.keys().next().value!);
    return account;
  };
  return async (caller) => {
    if (caller.kind === 'service') return undefined;
    const account = await lookup(caller.id);
    return account ? accountChangeReason(caller, account) : undefined;
  };
}
