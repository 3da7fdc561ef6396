import { z } from 'zod';
import { departmentSnapshotSchema, userSnapshotSchema } from './events/snapshots.js';
import { localeSchema } from './locales.js';
import { pageQuerySchema, pageSchema } from './pagination.js';
import { userRoleSchema, type UserRole } from './roles.js';

// HTTP bodies of identity-service. Request bodies are strict: an unknown field is a 400 that names
// it, so a typo (`fullname`) never silently does nothing. Query parameters a route does not know
// are ignored, on every route (caches and cache-busters add their own); a known one with a bad
// value is a 400 naming it.

/** Emails are compared and stored lower-cased: `Ana@Example.com` and `ana@example.com` are one account. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'must be an email address' }))
  .transform((email) => email.toLowerCase());

/**
 * A new password: at least 12 characters (NIST SP 800-63B §3.1.1.2 asks for length, not
 * composition rules). identity-service also refuses passwords that a common-password list holds
 * (`PASSWORD.TOO_COMMON`); that list is large and lives only there.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

export const fullNameSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(200);

/** A user as the API shows it; the password hash never leaves identity-service. */
export const userSchema = userSnapshotSchema;
export type User = z.infer<typeof userSchema>;

export const departmentSchema = departmentSnapshotSchema;
export type Department = z.infer<typeof departmentSchema>;

export const registerBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  fullName: fullNameSchema,
  /** The language to write to the person in (the portal sends the browser's); left out: English until they choose. */
  locale: localeSchema.optional(),
});
export type RegisterBody = z.infer<typeof registerBodySchema>;

/**
 * How self-registration works (identity-service's `REGISTRATION`): `open` makes the account at
 * once; `verified` makes it when the address follows the link mailed to it; `domains` is
 * `verified` for addresses in the listed domains only; `closed` leaves accounts to admins.
 */
export const REGISTRATION_MODES = ['open', 'verified', 'domains', 'closed'] as const;
export const registrationModeSchema = z.enum(REGISTRATION_MODES);
export type RegistrationMode = z.infer<typeof registrationModeSchema>;

/**
 * `POST /auth/register` → 202. The same body for a new address and for one that has an account
 * (or may not register), so the answer never tells which addresses have accounts; it differs
 * only by the desk's registration mode.
 */
export const registrationAcceptedSchema = z.object({
  registration: registrationModeSchema,
  message: z.string(),
});
export type RegistrationAccepted = z.infer<typeof registrationAcceptedSchema>;

/** A single-use token from a mailed link (verification or password reset). */
export const mailedTokenSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(512);

/** `password`: only for a registration made from a mail to the desk, which has none yet (`400 AUTH.PASSWORD_REQUIRED` asks for it). */
export const verifyEmailBodySchema = z.strictObject({ token: mailedTokenSchema, password: passwordSchema.optional() });

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1, { error: 'must not be empty' }).max(PASSWORD_MAX_LENGTH),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const forgotPasswordBodySchema = z.strictObject({ email: emailSchema });

export const resetPasswordBodySchema = z.strictObject({ token: mailedTokenSchema, newPassword: passwordSchema });
export type ResetPasswordBody = z.infer<typeof resetPasswordBodySchema>;

export const loginBodySchema = z.strictObject({
  email: z.string().trim().min(1).max(254).transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const refreshBodySchema = z.strictObject({ refreshToken: z.string().min(1).max(512) });
/** Sign-out ends the sign-in of the refresh token given, or else of the access token presented. */
export const logoutBodySchema = z.strictObject({ refreshToken: z.string().min(1).max(512).optional() });

export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  user: userSchema,
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

// Second factor (TOTP, RFC 6238: 6 digits, 30-second steps, SHA-1 as every authenticator app
// expects) with single-use recovery codes.

export const totpCodeSchema = z
  .string()
  .transform((code) => code.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: 'must be the 6-digit code your authenticator app shows' }));
/** A recovery code as printed (`xxxxx-xxxxx`); spaces, dashes and case do not matter. */
export const recoveryCodeSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(64);
export const challengeTokenSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(512);

/** Bodies that take a second factor take exactly one of a code and a recovery code. */
const oneCode = (body: { code?: string; recoveryCode?: string }) => (body.code === undefined) !== (body.recoveryCode === undefined);
const ONE_CODE = { error: 'send either `code` (from the authenticator app) or `recoveryCode`, not both and not neither', path: ['code'] };

/** The second step of a sign-in: the challenge from `401 AUTH.MFA_REQUIRED` and either a code or a recovery code. */
export const mfaLoginBodySchema = z
  .strictObject({ challengeToken: challengeTokenSchema, code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
  .refine(oneCode, ONE_CODE);
export type MfaLoginBody = z.infer<typeof mfaLoginBodySchema>;

/** Starts enrolment in the middle of a sign-in that must have a second factor (`401 AUTH.MFA_ENROLMENT_REQUIRED`). */
export const mfaLoginSetupBodySchema = z.strictObject({ challengeToken: challengeTokenSchema });

/** Tokens of a sign-in that finished with a second factor; `recoveryCodes` when it enrolled one (shown once). */
export const mfaTokenResponseSchema = tokenResponseSchema.extend({
  recoveryCodes: z.array(z.string()).optional().describe('Only when this sign-in enrolled the second factor: the recovery codes, shown this once.'),
});
export type MfaTokenResponse = z.infer<typeof mfaTokenResponseSchema>;

/** A secret to add to an authenticator app; enrolment finishes when a code from it is confirmed. */
export const mfaSetupSchema = z.object({
  secret: z.string().describe('Base32, for typing into the app by hand.'),
  otpauthUri: z.string().describe('`otpauth://totp/...` (what the QR code holds).'),
  qrCode: z.string().describe('The otpauth URI as a QR code: an `data:image/svg+xml` URL for an `<img>`.'),
  expiresAt: z.iso.datetime().describe('Confirm a code before this time, or start again.'),
});
export type MfaSetup = z.infer<typeof mfaSetupSchema>;

export const mfaStatusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.iso.datetime().nullable(),
  recoveryCodesLeft: z.number().int().min(0),
  /** True when the account must have a second factor (an admin while `ADMIN_MFA=required`): it cannot be turned off. */
  required: z.boolean(),
});
export type MfaStatus = z.infer<typeof mfaStatusSchema>;

const currentPasswordSchema = z.string().min(1, { error: 'must not be empty' }).max(PASSWORD_MAX_LENGTH);
export const mfaSetupBodySchema = z.strictObject({ currentPassword: currentPasswordSchema });
export const mfaEnableBodySchema = z.strictObject({ code: totpCodeSchema });
/** Turning the second factor off or replacing the recovery codes needs the password and a current code (or a recovery code). */
export const mfaConfirmBodySchema = z
  .strictObject({ currentPassword: currentPasswordSchema, code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
  .refine(oneCode, ONE_CODE);
export type MfaConfirmBody = z.infer<typeof mfaConfirmBodySchema>;
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()).describe('Each works once; shown this once.') });

export const departmentNameSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(100);
export const departmentDescriptionSchema = z.string().trim().max(2000).nullable();

export const createDepartmentBodySchema = z.strictObject({
  name: departmentNameSchema,
  description: departmentDescriptionSchema.optional(),
});
export const updateDepartmentBodySchema = z
  .strictObject({ name: departmentNameSchema.optional(), description: departmentDescriptionSchema.optional() })
  .refine((body) => Object.keys(body).length > 0, { error: 'give at least one field to change' });

export const createUserBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  fullName: fullNameSchema,
  role: userRoleSchema,
  departmentId: z.uuid().nullable().optional(),
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/** Staff and managers work a department's incidents: without a department they would see none. Reporters and admins may have none. */
export const ROLES_IN_A_DEPARTMENT: readonly UserRole[] = ['staff', 'manager'];
export const DEPARTMENT_REQUIRED_MESSAGE = 'Staff members and managers belong to a department: choose one.';

/** The administrator's New user form: the API's body, plus the department rule the identity service enforces, checked before sending. */
export const createUserFormSchema = createUserBodySchema.superRefine((body, context) => requireDepartmentForRole(body, context));

/** The department rule, for a form that holds a role and a department. */
function requireDepartmentForRole(body: { role: UserRole; departmentId?: string | null }, context: z.RefinementCtx): void {
  if (ROLES_IN_A_DEPARTMENT.includes(body.role) && !body.departmentId) {
    context.addIssue({ code: 'custom', path: ['departmentId'], message: DEPARTMENT_REQUIRED_MESSAGE });
  }
}

/**
 * The administrator's Edit user form: every field the dialog shows, with the department rule; the
 * portal sends only what changed (`PATCH /users/{id}`).
 */
export const editUserFormSchema = z
  .object({ fullName: fullNameSchema, role: userRoleSchema, departmentId: z.uuid().nullable(), isActive: z.boolean() })
  .superRefine(requireDepartmentForRole);

/** The administrator's department dialog: an empty description is sent as none. */
export const departmentFormSchema = z.object({
  name: z.string().trim().min(1, { error: 'Give the department a name.' }).max(100, { error: 'Keep the name under 100 characters.' }),
  description: z.string().trim().max(2000, { error: 'Keep the description under 2000 characters.' }),
});

/** What a person may change of their own account (`PATCH /auth/me`): the name others see. */
export const updateProfileBodySchema = z.strictObject({ fullName: fullNameSchema });
export type UpdateProfileBody = z.infer<typeof updateProfileBodySchema>;

export const updateUserBodySchema = z
  .strictObject({
    fullName: fullNameSchema.optional(),
    role: userRoleSchema.optional(),
    departmentId: z.uuid().nullable().optional(),
    isActive: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'give at least one field to change' });
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/** What a list of users and a count of them filter on (both ask the same question). */
const userFilterShape = {
  role: userRoleSchema.optional(),
  departmentId: z.uuid().optional(),
  isActive: booleanQuery.optional(),
  q: z.string().trim().min(1).max(200).optional(),
};

export const listUsersQuerySchema = pageQuerySchema.extend(userFilterShape);
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

/** `GET /users/count`: how many users the list with these filters holds, up to a cap. */
export const countUsersQuerySchema = z.object(userFilterShape);
export type UserFilterQuery = z.infer<typeof countUsersQuerySchema>;

/** A count of users stops at this: a figure reads "10,000+" beyond it, and counting reads at most this many rows. */
export const USER_COUNT_CAP = 10_000;

export const userCountSchema = z.object({
  count: z.number().int().nonnegative().describe(`How many match, at most ${USER_COUNT_CAP}.`),
  capped: z.boolean().describe('More than `count` match: counting stopped at the cap.'),
});
export type UserCount = z.infer<typeof userCountSchema>;

export const userPageSchema = pageSchema(userSchema);

/** What other systems may be allowed to do with a service account's token. */
export const SERVICE_SCOPES = ['incidents:read', 'incidents:write', 'users:read', 'analytics:read'] as const;
export const serviceScopeSchema = z.enum(SERVICE_SCOPES);
export type ServiceScope = z.infer<typeof serviceScopeSchema>;

export const serviceAccountSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  clientId: z.string(),
  scopes: z.array(serviceScopeSchema),
  isActive: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

export const createServiceAccountBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(serviceScopeSchema).min(1, { error: 'give at least one scope' }),
});

/** The administrator's New service account form: the API's rule, said for people. */
export const serviceAccountFormSchema = z.object({
  name: z.string().trim().min(1, { error: 'Name it after the system that uses it.' }).max(100, { error: 'Keep the name under 100 characters.' }),
  scopes: z.array(serviceScopeSchema).min(1, { error: 'Choose at least one thing it may do.' }),
});

/** Returned once, at creation: the secret is stored only as a hash. */
export const createdServiceAccountSchema = serviceAccountSchema.extend({ clientSecret: z.string() });

/** `GET /auth/me`: a person, or another system signed in with client credentials. */
export const meSchema = z.discriminatedUnion('kind', [
  userSchema.extend({ kind: z.literal('user') }),
  serviceAccountSchema.extend({ kind: z.literal('service') }),
]);

export const internalUsersQuerySchema = pageQuerySchema.extend({
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/**
 * `GET /internal/revocations`: the deny list of access tokens. A `session` is one sign-in (the
 * refresh family every token of it names as `sid`), ended by sign-out, a password change or
 * reset, a reuse of its refresh token, or a change to the account; a `service-account` is one
 * revoked by an admin. Ordered by `revokedAt`.
 */
export const revocationSchema = z.object({
  kind: z.enum(['session', 'service-account']),
  id: z.uuid(),
  revokedAt: z.iso.datetime({ offset: true }),
});
export type Revocation = z.infer<typeof revocationSchema>;

export const internalRevocationsQuerySchema = internalUsersQuerySchema;
