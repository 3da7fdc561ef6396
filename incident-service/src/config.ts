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
  /**
   * Signs the one-click rating links of resolution mails (notification-service signs them,
   * incident-service accepts them); the same value on both. Unset: the mails link to the
   * incident's page, where the reporter rates after signing in.
   */
  SATISFACTION_LINK_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
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
  /** Where attachments are stored: `fs` (ATTACHMENT_DIR, one machine) or `s3` (S3-compatible object storage, shared by replicas). */
  ATTACHMENT_STORAGE: z.enum(['fs', 's3'], { error: 'must be fs or s3' }).default('fs'),
  /** The directory attachments are kept in with ATTACHMENT_STORAGE=fs. */
  ATTACHMENT_DIR: z.string().min(1).default('.data/attachments'),
  /** The largest file one attachment may be; a larger upload is refused with 413 and nothing kept. */
  ATTACHMENT_MAX_BYTES: configFields.byteSize('25mb'),
  /** Uploads one instance takes at once; more are answered 503 with Retry-After, so a few large uploads cannot starve the rest. */
  ATTACHMENT_CONCURRENT_UPLOADS: configFields.integer({ min: 1, max: 1000, default: 16 }),
  /** How often stored attachments are scanned and thumbnailed, and deleted ones removed from the store, when nothing asked for it sooner. */
  ATTACHMENT_JOB_INTERVAL: configFields.durationMs(10_000),
  /** With ATTACHMENT_STORAGE=s3: the endpoint of an S3-compatible server (unset: AWS S3 in S3_REGION). */
  S3_ENDPOINT: configFields.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Created at first use when missing. */
  S3_BUCKET: z.string().min(3).default('desk-attachments'),
  /** Unset: the AWS SDK's own chain (environment, instance or pod role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path (`endpoint/bucket/key`), as most S3-compatible servers want; false for virtual-hosted AWS buckets. */
  S3_FORCE_PATH_STYLE: configFields.boolean(true),
  /** A clamd to scan every upload with (`tcp://host:3310` or `unix:///run/clamav/clamd.ctl`): files are held until scanned clean. Unset: no scan. */
  CLAMD_URL: configFields.url(['tcp:', 'unix:']).optional(),
  /** How long one scan may take before it is tried again later. */
  CLAMD_TIMEOUT: configFields.durationMs(60_000),
  /** Mail in: the port of the SMTP listener that turns mail into incidents and replies into comments. Unset: no listener. */
  INBOUND_SMTP_PORT: configFields.integer({ min: 0, max: 65535 }).optional(),
  /** The interface it listens on. */
  INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  /** A PEM certificate and its key (files): the listener then offers STARTTLS. Unset: plain SMTP, for a listener behind the organisation's mail server. */
  INBOUND_TLS_CERT_FILE: z.string().min(1).optional(),
  INBOUND_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The desk's address: mail to it files an incident in INBOUND_CATEGORY. */
  INBOUND_ADDRESS: z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an email address' })).default('desk@example.com'),
  /** The category (by name) mail to INBOUND_ADDRESS is filed in. Unset: the oldest active category. */
  INBOUND_CATEGORY: z.string().trim().min(1).optional(),
  /** More addresses, each filing in a category of its own: `it@example.com=Network; hr@example.com=Payroll`. */
  INBOUND_ROUTES: z.string().default(''),
  /**
   * Mail from an address no active account has: `refuse` (550: the sender's server tells them), or
   * `register` (kept; the address is mailed a link to become a reporter, and the mail is filed as
   * theirs once they have: a reporter pending verification).
   */
  INBOUND_UNKNOWN_SENDERS: z.enum(['refuse', 'register'], { error: 'must be refuse or register' }).default('refuse'),
  /** The largest mail taken, attachments included; a larger one is refused (552) while it is sent. */
  INBOUND_MAX_BYTES: configFields.byteSize('30mb'),
  /** Mails one sender may send in an hour; more are deferred (450), so a mail loop cannot flood the desk. */
  INBOUND_RATE_LIMIT: configFields.integer({ min: 1, max: 100_000, default: 30 }),
  /** How often mail that could not be filed at once is tried again, and mail of senders still registering is looked at. */
  INBOUND_RETRY_INTERVAL: configFields.durationMs(15_000),
});

export type IncidentConfig = z.infer<typeof incidentConfigSchema>;
