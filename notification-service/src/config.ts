import { baseConfigSchema, configFields } from '@desk/platform';
import { z } from 'zod';
import { isValidCidr } from './webhooks/address-guard.js';

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
  /**
   * Signs the one-click rating links of resolution mails (notification-service signs them,
   * incident-service accepts them); the same value on both. Unset: the mails link to the
   * incident's page, where the reporter rates after signing in.
   */
  SATISFACTION_LINK_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  /** Where mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. */
  SMTP_URL: configFields.url(['smtp:', 'smtps:']),
  /** The sender of every mail; its domain also names Message-IDs. */
  MAIL_FROM: z.string().min(3).default('Service Desk <desk@example.com>'),
  /**
   * Reply-To of mails about an incident: the desk's inbound address (incident-service's
   * INBOUND_ADDRESS), where a reply becomes a comment. Unset: replies go to MAIL_FROM.
   */
  MAIL_REPLY_TO: z.string().min(3).optional(),
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
  /**
   * Networks webhooks may reach although they are private, loopback or link-local (comma-separated
   * CIDRs such as `10.20.0.0/16,127.0.0.1/32`); every other such address is refused, checked when
   * each delivery connects. Empty by default: webhooks reach the public internet only.
   */
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .transform((text, context) => {
      const networks = text.split(',').map((part) => part.trim()).filter(Boolean);
      for (const network of networks) {
        if (!isValidCidr(network)) {
          context.addIssue({ code: 'custom', message: `must be comma-separated CIDRs such as 10.0.0.0/8 or fd00::/8 (got "${network}")` });
          return z.NEVER;
        }
      }
      return networks;
    }),
  /** How long one delivery attempt may take, connecting and answering, before it counts as failed. */
  WEBHOOK_TIMEOUT: configFields.durationMs(10_000),
  /** Deliveries in flight at once (per replica), and to any one endpoint: a slow receiver cannot hold up the others. */
  WEBHOOK_CONCURRENCY: configFields.integer({ min: 1, max: 200, default: 32 }),
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: configFields.integer({ min: 1, max: 100, default: 8 }),
  /** Wait before the first retry; it doubles with each attempt (±20 % jitter), up to WEBHOOK_RETRY_MAX_DELAY. */
  WEBHOOK_RETRY_DELAY: configFields.durationMs(5_000),
  WEBHOOK_RETRY_MAX_DELAY: configFields.durationMs(2 * 3600_000),
  /** A delivery is retried until this long after it was first due (or redelivered); then it is FAILED. */
  WEBHOOK_RETRY_WINDOW: configFields.durationMs(25 * 3600_000),
  /** An endpoint whose every attempt failed for this long, and at least WEBHOOK_DISABLE_FAILURES times in a row, is disabled and its owner told. */
  WEBHOOK_DISABLE_AFTER: configFields.durationMs(72 * 3600_000),
  WEBHOOK_DISABLE_FAILURES: configFields.integer({ min: 1, max: 10_000, default: 20 }),
  /** After a secret rotation, how long the previous secret keeps signing next to the new one (unless the request says otherwise). */
  WEBHOOK_SECRET_OVERLAP: configFields.durationMs(24 * 3600_000),
  /** How often deliveries due for a (re)try are looked for, besides right after each event. */
  WEBHOOK_POLL_INTERVAL: configFields.durationMs(1_000),
});

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
