import type { CallerCheck } from '@desk/auth';
import type { HttpMetrics } from '@desk/platform';
import type { GatewayConfig } from './config.js';
import type { EventStreamSupervisor } from './event-streams.js';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';

// What the service's routes and use cases are built from. Its own module, so that they import
// it without importing app.ts, which imports them.
export interface GatewayDependencies {
  config: GatewayConfig;
  logger: Logger;
  /** Refuses tokens of accounts changed since issue (see AccountChanges). */
  accountCheck: CallerCheck;
  /** Token keys: identity's JWKS by default; tests pass their own. */
  verificationKeys?: JWTVerifyGetKey;
  /** The event streams held open, re-checked and capped (started and stopped with the gateway). */
  streams: EventStreamSupervisor;
  /** The registry the public app records into and the internal port's /metrics serves. */
  metrics?: HttpMetrics;
}
