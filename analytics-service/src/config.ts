import { baseConfigSchema, configFields } from '@desk/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'analytics-service';

export const analyticsConfigSchema = baseConfigSchema.extend({
  PORT: configFields.port(4004),
  DATABASE_URL: configFields.postgresUrl(),
  AMQP_URL: configFields.amqpUrl().optional(),
  /** Prefix of every exchange and queue name on the broker: environments sharing one stay apart. */
  AMQP_NAMESPACE: configFields.brokerNamespace(),
  /** identity-service: its JWKS verifies tokens, its /internal listings rebuild the name replicas. */
  IDENTITY_URL: configFields.url().default('http://127.0.0.1:4001'),
  /** incident-service: its /internal listing is what a rebuild of the facts replays. */
  INCIDENT_URL: configFields.url().default('http://127.0.0.1:4002'),
  JWT_ISSUER: configFields.issuer(),
  JWT_AUDIENCE: z.string().min(1).default('incident-platform'),
  INTERNAL_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** How often the in-memory query model picks up facts written by any replica of this service. */
  FACTS_REFRESH_INTERVAL: configFields.durationMs(1_000),
  /**
   * How old the model a query runs on may be: a query catches up first when the last catch-up is
   * older. 0 makes every query read what committed just before it.
   */
  FACTS_MAX_STALENESS: configFields.durationMs(250),
  /** How often the department and user name replicas are reconciled with identity-service. */
  REPLICA_SYNC_INTERVAL: configFields.durationMs(5 * 60_000),
  TRUST_PROXY: z.string().min(1).default('loopback'),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
