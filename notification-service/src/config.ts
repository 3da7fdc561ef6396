import { baseConfigSchema, configFields } from '@desk/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'notification-service';

export const notificationConfigSchema = baseConfigSchema.extend({
  PORT: configFields.port(4003),
  DATABASE_URL: configFields.postgresUrl(),
  AMQP_URL: configFields.amqpUrl().optional(),
  /** Prefix of every exchange and queue name on the broker: environments sharing one stay apart. */
  AMQP_NAMESPACE: configFields.brokerNamespace(),
  /** identity-service: its JWKS verifies tokens, its /internal listings rebuild the user replica. */
  IDENTITY_URL: configFields.url().default('http://127.0.0.1:4001'),
  /** incident-service: its /internal listing rebuilds the incident replica. */
  INCIDENT_URL: configFields.url().default('http://127.0.0.1:4002'),
  JWT_ISSUER: configFields.issuer(),
  JWT_AUDIENCE: z.string().min(1).default('incident-platform'),
  INTERNAL_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Where mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. */
  SMTP_URL: configFields.url(['smtp:', 'smtps:']),
  /** The sender of every mail; its domain also names Message-IDs. */
  MAIL_FROM: z.string().min(3).default('Service Desk <desk@example.com>'),
  /** The web portal: links in mails and notifications point at `<PUBLIC_APP_URL>/incidents/<key>`. */
  PUBLIC_APP_URL: configFields.url().default('http://localhost:3000'),
  /** Sending attempts per mail before it is marked FAILED (a permanent SMTP refusal fails at once). */
  MAIL_MAX_ATTEMPTS: configFields.integer({ min: 1, max: 50, default: 10 }),
  /** Wait before the first retry; it doubles with each attempt, up to MAIL_RETRY_MAX_DELAY. */
  MAIL_RETRY_DELAY: configFields.durationMs(10_000),
  MAIL_RETRY_MAX_DELAY: configFields.durationMs(15 * 60_000),
  /** Mails sent at once (also the SMTP connections kept open). */
  MAIL_CONCURRENCY: configFields.integer({ min: 1, max: 50, default: 20 }),
  /** How often mail due for a (re)try is looked for, besides right after each event. */
  MAIL_POLL_INTERVAL: configFields.durationMs(5_000),
  /** Live streams one user may hold open at once (per replica); one more closes the oldest, which is told why. */
  STREAMS_PER_USER: configFields.integer({ min: 1, max: 100, default: 5 }),
  /** How often open live streams run the account check again (deactivation, role change): they end within this. */
  STREAM_CHECK_INTERVAL: configFields.durationMs(2_000),
  /** Comments on the live stream that keep idle connections (and proxies) from timing out. */
  SSE_HEARTBEAT_INTERVAL: configFields.durationMs(15_000),
  /** How often the user and incident replicas are reconciled with their owners. */
  REPLICA_SYNC_INTERVAL: configFields.durationMs(5 * 60_000),
  TRUST_PROXY: z.string().min(1).default('loopback'),
});

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
