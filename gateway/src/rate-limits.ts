import { AppError } from '@desk/platform';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

function limitExceeded(request: Request, windowMs: number): AppError {
  const resetTime = (request as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const retryAfterSeconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(windowMs / 1000);
  return AppError.tooManyRequests('GATEWAY.RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

function perMinute(limit: number, identifier: string, keyOf: (request: Request) => string): RequestHandler {
  const windowMs = 60_000;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier,
    keyGenerator: keyOf,
    handler: (request, _response, next) => next(limitExceeded(request, windowMs)),
  });
}

const address = (request: Request) => `address:${ipKeyGenerator(request.ip ?? '')}`;

/**
 * Requests per minute per caller: the token's subject when signed in, otherwise the client
 * address — which comes from X-Forwarded-For only when the request came through a configured
 * proxy (`trust proxy`), so a client cannot pick a new address per request. Counters live in
 * each replica's memory: with N replicas behind a round-robin balancer a caller gets up to N
 * times the limit, a bound worth the absence of a shared store.
 */
export function perCallerLimit(limit: number): RequestHandler {
  return perMinute(limit, 'requests', (request) => (request.caller ? `caller:${request.caller.id}` : address(request)));
}

/**
 * Requests per minute per client address, counted before the token is looked at: a flood of
 * requests with garbage tokens costs the gateway a counter, not a signature check each, and is
 * answered 429 once over budget. Generous, since an office shares one address; signed-in callers
 * then also meet their own per-caller limit.
 */
export function perAddressLimit(limit: number): RequestHandler {
  return perMinute(limit, 'addresses', address);
}

/** The tighter limit for signing up and in, per client address: credential stuffing stops here. */
export function credentialLimit(limit: number): RequestHandler {
  return perMinute(limit, 'credentials', address);
}

/**
 * Event streams opened per minute per caller and stream path. Holding streams is capped by the
 * stream supervisor (the oldest goes); this caps opening them, which is what costs: each open is
 * verified, proxied and set up upstream before the cap can push an older one out. Per path, as a
 * portal tab opens one of each kind: loading it does not spend twice from one budget.
 */
export function streamOpenLimit(limit: number): RequestHandler {
  return perMinute(limit, 'stream-opens', (request) => `${request.caller ? `caller:${request.caller.id}` : address(request)}:${request.baseUrl}`);
}

/**
 * The portal's span uploads per minute per caller: it sends a batch every few seconds at most, so
 * this is far above an honest browser and keeps a dishonest one from filling the trace store.
 */
export function traceUploadLimit(limit: number): RequestHandler {
  return perMinute(limit, 'trace-uploads', (request) => (request.caller ? `caller:${request.caller.id}` : address(request)));
}
