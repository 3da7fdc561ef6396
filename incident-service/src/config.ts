import { baseConfigSchema, configFields } from '@desk/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'incident-service';

export const incidentConfigSchema = baseConfigSchema.extend({
  PORT: configFields.port(4002),
  DATABASE_URL: configFields.postgresUrl(),
  AMQP_URL: configFields.amqpUrl().optional(),
  /** Prefix of every exchange and queue name on the broker: environments sharing one stay apart. */
  AMQP_NAMESPACE: configFields.brokerNamespace(),
  /** identity-service: its JWKS verifies tokens, its /internal listings rebuild the replicas. */
  IDENTITY_URL: configFields.url().default('http://127.0.0.1:4001'),
  JWT_ISSUER: configFields.issuer(),
  JWT_AUDIENCE: z.string().min(1).default('incident-platform'),
  INTERNAL_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** RESOLVED incidents close by themselves after this many days. */
  AUTO_CLOSE_DAYS: configFields.integer({ min: 1, max: 365, default: 7 }),
  /** An incident waiting on its reporter is resolved after this many of its department's working days without a reply. */
  WAITING_AUTO_RESOLVE_DAYS: configFields.integer({ min: 1, max: 90, default: 5 }),
  /** How often breached SLAs and incidents due to auto-close are looked for. */
  SLA_CHECK_INTERVAL: configFields.durationMs(30_000),
  /** How often the user and department replicas are reconciled with identity-service. */
  REPLICA_SYNC_INTERVAL: configFields.durationMs(5 * 60_000),
  TRUST_PROXY: z.string().min(1).default('loopback'),
  /** Live change streams one user may hold open at once (per replica); one more closes the oldest, which is told why. */
  STREAMS_PER_USER: configFields.integer({ min: 1, max: 100, default: 5 }),
  /** How often open live streams run the account check again (deactivation, role change): they end within this. */
  STREAM_CHECK_INTERVAL: configFields.durationMs(2_000),
  /** Comments on the live stream that keep idle connections (and proxies) from timing out. */
  SSE_HEARTBEAT_INTERVAL: configFields.durationMs(15_000),
});

export type IncidentConfig = z.infer<typeof incidentConfigSchema>;
