import { baseConfigSchema, configFields, DEMO_PASSWORDS } from '@desk/platform';
import { z } from 'zod';

/** What `npm start` reads; each service also reads its own variables (see each service's README.md). */
export const standaloneConfigSchema = baseConfigSchema.extend({
  /** Quiet by default: the launcher prints what a person needs; set info or debug to see the services' logs. */
  LOG_LEVEL: configFields.logLevel('warn'),
  /** Where the embedded database, generated secrets and the mailbox live. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** An existing Postgres to use instead of the embedded one. */
  DATABASE_URL: configFields.postgresUrl().optional(),
  /** RabbitMQ to use instead of the in-process event bus. */
  AMQP_URL: configFields.amqpUrl().optional(),
  EMBEDDED_POSTGRES_PORT: configFields.port(54329),
  /** A real SMTP server to send mail through; without it mail lands in DATA_DIR/mail. */
  SMTP_URL: configFields.url(['smtp:', 'smtps:']).optional(),
  /** Port of the local mailbox's SMTP server (0: any free port). */
  MAILBOX_PORT: configFields.port(0),
  /** Mail in: the SMTP listener where mail to the desk (INBOUND_ADDRESS) becomes incidents and replies comments (0: any free port). */
  INBOUND_SMTP_PORT: configFields.port(2525),
  GATEWAY_PORT: configFields.port(8080),
  /** The gateway's metrics and detailed health, always on loopback (0: any free port). */
  GATEWAY_INTERNAL_PORT: configFields.port(0),
  IDENTITY_PORT: configFields.port(4001),
  INCIDENT_PORT: configFields.port(4002),
  NOTIFICATION_PORT: configFields.port(4003),
  ANALYTICS_PORT: configFields.port(4004),
  /** The web portal (Next.js): its port, and whether to serve it at all. */
  PORTAL_PORT: configFields.port(3000),
  PORTAL: configFields.boolean(true),
  /** The gateway's address as browsers reach it; by default the gateway on this machine. */
  PUBLIC_API_URL: configFields.url().optional(),
  /** Address the services bind to: this machine only, by default. */
  HOST: z.string().min(1).default('127.0.0.1'),
  SEED_DEMO: configFields.boolean(true),
  /** Weeks of back-dated history the demo organisation starts with (0: today's incidents only). */
  DEMO_HISTORY_WEEKS: configFields.integer({ min: 0, max: 26, default: 8 }),
  ADMIN_EMAIL: z.email({ error: 'must be an email address' }).default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(8, { error: 'must be at least 8 characters' }).max(128).default(DEMO_PASSWORDS[0]),
  /** Serve on a non-loopback HOST although demo passwords are in use (anyone on the network could sign in as admin). */
  ALLOW_DEMO_PASSWORDS_ON_NETWORK: configFields.boolean(false),
}).refine(
  (config) => isLoopback(config.HOST) || config.ALLOW_DEMO_PASSWORDS_ON_NETWORK || !demoPasswordsInUse(config),
  {
    error:
      'is reachable from the network while demo passwords are in use (the demo data, or the default ADMIN_PASSWORD): ' +
      'set SEED_DEMO=false and an ADMIN_PASSWORD of your own, keep HOST=127.0.0.1, or set ALLOW_DEMO_PASSWORDS_ON_NETWORK=true',
    path: ['HOST'],
  },
);

export type StandaloneConfig = z.infer<typeof standaloneConfigSchema>;

/** Every demo user signs in with this password (the admin's is ADMIN_PASSWORD). */
export const DEMO_PASSWORD: string = DEMO_PASSWORDS[1];

/** This machine only: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function demoPasswordsInUse(config: { SEED_DEMO: boolean; ADMIN_PASSWORD: string }): boolean {
  return config.SEED_DEMO || (DEMO_PASSWORDS as readonly string[]).includes(config.ADMIN_PASSWORD);
}
