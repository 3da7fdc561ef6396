import { baseConfigSchema, configFields } from '@desk/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'gateway';

const originList = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(z.array(z.url({ error: 'must be a comma-separated list of origins such as http://localhost:3000' })));

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: configFields.port(8080),
  /** /metrics and the detailed /health: for Prometheus and the cluster, never published. */
  INTERNAL_PORT: configFields.port(9464),
  /** Where INTERNAL_PORT listens: all interfaces in a container, loopback when run on a host. */
  INTERNAL_HOST: z.string().min(1).default('0.0.0.0'),
  IDENTITY_URL: configFields.url().default('http://127.0.0.1:4001'),
  INCIDENT_URL: configFields.url().default('http://127.0.0.1:4002'),
  /** Unset until the service is deployed: its routes then answer 503. */
  NOTIFICATION_URL: configFields.url().optional(),
  ANALYTICS_URL: configFields.url().optional(),
  JWT_ISSUER: configFields.issuer(),
  JWT_AUDIENCE: z.string().min(1).default('incident-platform'),
  /** How long an upstream may take to start answering before the client gets 504. */
  UPSTREAM_TIMEOUT: configFields.durationMs(10_000),
  /** The largest upload (`POST /incidents/{id}/attachments`) passed on; incident-service holds each file to its own ATTACHMENT_MAX_BYTES (25mb). */
  UPLOAD_BODY_LIMIT: configFields.byteSize('26mb'),
  /** Browser origins allowed to call the API (the web portal). */
  CORS_ORIGINS: originList.default(['http://localhost:3000']),
  /** Express `trust proxy`: whose X-Forwarded-For to believe (Traefik's addresses); nobody else's. */
  TRUST_PROXY: z.string().min(1).default('loopback'),
  /** Requests per minute per caller (token subject, else client address). */
  RATE_LIMIT_PER_MINUTE: configFields.integer({ min: 1, max: 1_000_000, default: 600 }),
  /** Requests per minute per client address, counted before authentication (garbage tokens included). */
  ADDRESS_RATE_LIMIT_PER_MINUTE: configFields.integer({ min: 1, max: 1_000_000, default: 3000 }),
  /** Requests per minute per client address to login, register, refresh and token. */
  AUTH_RATE_LIMIT_PER_MINUTE: configFields.integer({ min: 1, max: 100_000, default: 30 }),
  /** Span uploads (POST /telemetry/traces) per minute per signed-in person, apart from RATE_LIMIT_PER_MINUTE. */
  TRACE_UPLOADS_PER_MINUTE: configFields.integer({ min: 1, max: 100_000, default: 60 }),
  /** Event streams of one path (GET /notifications/stream, GET /incidents/stream) one caller may hold open through this gateway; one more closes the oldest. */
  STREAMS_PER_CALLER: configFields.integer({ min: 1, max: 100, default: 5 }),
  /**
   * Event streams of one path one caller may open per minute through this gateway: a burst of opens beyond it
   * is answered 429 at the cost of a counter, before any upstream work, so it cannot slow others.
   */
  STREAM_OPENS_PER_MINUTE: configFields.integer({ min: 1, max: 100_000, default: 20 }),
  /** How often the account check is run again for every event stream held open: a refused caller's streams end within this. */
  STREAM_CHECK_INTERVAL: configFields.durationMs(2_000),
  /** Bearer token for identity's /internal listing, which tells the gateway about changed accounts. */
  INTERNAL_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** How often the gateway asks identity-service which accounts changed. */
  ACCOUNT_CHANGES_POLL_INTERVAL: configFields.durationMs(2_000),
  /** How often to fetch revoked sign-ins and service accounts (the deny list) from identity-service. */
  REVOCATIONS_POLL_INTERVAL: configFields.durationMs(1_000),
  /** Must cover identity-service's ACCESS_TOKEN_TTL: changes older than that concern only expired tokens. */
  ACCESS_TOKEN_TTL: configFields.durationMs(15 * 60_000),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
