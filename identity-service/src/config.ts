import { baseConfigSchema, configFields } from '@desk/platform';
import { z } from 'zod';
import { parseRegistrationPolicy, type RegistrationPolicy } from './registration/registration-policy.js';

export const SERVICE_NAME = 'identity-service';

export const identityConfigSchema = baseConfigSchema
  .extend({
    PORT: configFields.port(4001),
    DATABASE_URL: configFields.postgresUrl(),
    AMQP_URL: configFields.amqpUrl().optional(),
    /** Prefix of every exchange and queue name on the broker: environments sharing one stay apart. */
    AMQP_NAMESPACE: configFields.brokerNamespace(),
    /** `iss` of every token; verifiers compare it exactly. */
    JWT_ISSUER: configFields.issuer(),
    /**
     * The OAuth password grant at /auth/token (a client handling people's passwords): off unless
     * enabled; people sign in at /auth/login, other systems use client_credentials.
     */
    OAUTH_PASSWORD_GRANT: configFields.enum(['enabled', 'disabled'], 'disabled'),
    /**
     * `required`: admins must sign in with a second factor (TOTP); one without is led through
     * setting it up at sign-in, and cannot turn it off. `optional`: anyone may turn it on.
     */
    ADMIN_MFA: configFields.enum(['optional', 'required'], 'optional'),
    /** `aud` of every token. */
    JWT_AUDIENCE: z.string().min(1).default('incident-platform'),
    ACCESS_TOKEN_TTL: configFields.durationMs(15 * 60_000),
    /** Absolute lifetime of a sign-in: refreshing never extends it. */
    REFRESH_TOKEN_TTL: configFields.durationMs(30 * 86_400_000),
    /** How long one signing key signs before a new one takes over. */
    SIGNING_KEY_ROTATION: configFields.durationMs(30 * 86_400_000),
    /** Encrypts the private signing keys at rest. Keep it in a secret store; losing it signs everyone out. */
    SIGNING_KEY_SECRET: z.string({ error: 'is required (at least 32 random characters)' }).min(32, {
      error: 'must be at least 32 characters (use e.g. `openssl rand -base64 48`)',
    }),
    /** The bootstrap admin, created on start when no admin exists. */
    ADMIN_EMAIL: z.email({ error: 'must be an email address' }).optional(),
    ADMIN_PASSWORD: z.string().min(12, { error: 'must be at least 12 characters' }).max(128).optional(),
    ADMIN_FULL_NAME: z.string().min(1).max(200).default('Administrator'),
    /** Bearer token `/internal/*` listings require; unset means reachable by network only. */
    INTERNAL_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    /**
     * Who may sign up: `open`, `verified` (a mailed link makes the account), `domains:<d1>,<d2>`
     * (verified, for addresses in those domains only) or `closed`. Unset: `verified` in
     * production, `open` otherwise.
     */
    REGISTRATION: z
      .string()
      .trim()
      .optional()
      .transform((value, context): RegistrationPolicy | undefined => {
        if (value === undefined || value === '') return undefined;
        const policy = parseRegistrationPolicy(value);
        if (typeof policy === 'string') {
          context.addIssue({ code: 'custom', message: policy });
          return z.NEVER;
        }
        return policy;
      }),
    /** Express `trust proxy`: whose X-Forwarded-For to believe for client addresses (the gateway). */
    TRUST_PROXY: z.string().min(1).default('loopback'),
  })
  .refine((config) => Boolean(config.ADMIN_EMAIL) === Boolean(config.ADMIN_PASSWORD), {
    error: 'and ADMIN_EMAIL go together: set both or neither',
    path: ['ADMIN_PASSWORD'],
  });

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

/** The registration policy in force: REGISTRATION, or `verified` in production and `open` elsewhere when unset. */
export function registrationPolicyOf(config: Pick<IdentityConfig, 'REGISTRATION' | 'NODE_ENV'>): RegistrationPolicy {
  return config.REGISTRATION ?? { mode: config.NODE_ENV === 'production' ? 'verified' : 'open' };
}
