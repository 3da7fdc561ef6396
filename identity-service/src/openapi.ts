import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  auditEntryPageSchema,
  auditQuerySchema,
  serviceAccountPageSchema,
  departmentListSchema,
  acceptedMessageSchema,
  changePasswordBodySchema,
  forgotPasswordBodySchema,
  registrationAcceptedSchema,
  resetPasswordBodySchema,
  verifyEmailBodySchema,
  createDepartmentBodySchema,
  createServiceAccountBodySchema,
  createUserBodySchema,
  createdServiceAccountSchema,
  departmentSchema,
  countUsersQuerySchema,
  listUsersQuerySchema,
  loginBodySchema,
  logoutBodySchema,
  mfaConfirmBodySchema,
  mfaEnableBodySchema,
  mfaLoginBodySchema,
  mfaLoginSetupBodySchema,
  mfaSetupBodySchema,
  mfaSetupSchema,
  mfaStatusSchema,
  mfaTokenResponseSchema,
  recoveryCodesSchema,
  meSchema,
  pageQuerySchema,
  refreshBodySchema,
  registerBodySchema,
  serviceAccountSchema,
  SERVICE_SCOPES,
  tokenResponseSchema,
  updateDepartmentBodySchema,
  updateProfileBodySchema,
  updateLocaleBodySchema,
  updateUserBodySchema,
  USER_COUNT_CAP,
  userCountSchema,
  userPageSchema,
  userSchema,
} from '@desk/contracts';
import type { ApiDescription, ApiOperation, ApiResponse } from '@desk/platform';
import { z } from 'zod';

// The public HTTP API of identity-service, described with the contracts its routes parse with.
// `/internal/*` (replica rebuilds, never routed by the gateway), `/health` and `/metrics` are
// deliberately absent. openapi.test.ts fails when a route is added here or in a router but not
// in both.

/** The service's package version: `src/` and `dist/` both sit next to its package.json. */
const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

// Path parameters the routers parse with local schemas: the same checks, described.
const userIdParams = z.object({ id: z.uuid().describe('The user\'s id.') });
const departmentIdParams = z.object({ id: z.uuid().describe('The department\'s id.') });
const serviceAccountIdParams = z.object({ id: z.uuid().describe('The service account\'s id.') });

/** `GET /.well-known/jwks.json`: public keys only (RFC 7517), each with `kid`, `alg` and `use: sig`. */
const jwksSchema = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.string().describe('Key type: `OKP` for the Ed25519 keys signing access tokens.'),
      kid: z.string().describe('Matches the `kid` header of the access tokens this key signed.'),
      alg: z.string().describe('`EdDSA`.'),
      use: z.literal('sig'),
      crv: z.string().optional(),
      x: z.string().optional(),
    }),
  ),
}).meta({ id: 'Jwks', examples: [{ keys: [{ kty: 'OKP', kid: 'k-2026-03', alg: 'EdDSA', use: 'sig', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }] }] });

/** `GET /.well-known/oauth-authorization-server` (RFC 8414). */
const authorizationServerMetadataSchema = z
  .object({
    issuer: z.string().describe('The `iss` of every access token, and the base URL this document is found under.'),
    token_endpoint: z.string(),
    jwks_uri: z.string(),
    grant_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    scopes_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()).describe('Empty: there is no authorization endpoint.'),
    service_documentation: z.string(),
  })
  .meta({
    id: 'AuthorizationServerMetadata',
    examples: [
      {
        issuer: 'https://api.desk.example.com',
        token_endpoint: 'https://api.desk.example.com/auth/token',
        jwks_uri: 'https://api.desk.example.com/.well-known/jwks.json',
        grant_types_supported: ['client_credentials', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: ['incidents:read', 'incidents:write', 'users:read', 'analytics:read'],
        response_types_supported: [],
        service_documentation: 'https://api.desk.example.com/docs',
      },
    ],
  });

// `POST /auth/token` speaks OAuth 2.0 (RFC 6749), not the platform's camelCase JSON: the route
// reads these form fields itself, so they are described here. Unknown parameters are ignored
// (RFC 6749 §3.2).
const scopeParameter = z
  .string()
  .describe(`Space-separated subset of the client's scopes (${SERVICE_SCOPES.join(', ')}); all of them when left out.`)
  .optional();
const tokenFormSchema = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('password'),
    username: z.string().describe('The account\'s email address.'),
    password: z.string(),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string().describe('A refresh token from an earlier response; it is used up (rotated).'),
  }),
  z.object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().describe('With client_secret, when the client does not use HTTP Basic authentication.').optional(),
    client_secret: z.string().optional(),
    scope: scopeParameter,
  }),
]).meta({ id: 'OAuthTokenRequest', examples: [{ grant_type: 'client_credentials', client_id: 'sa_8f3k2m9q', client_secret: 'cs_Zq8x1Vw4n7Rt2Yp5Ks9Lm3Hd', scope: 'incidents:read incidents:write' }] });
const oauthTokenSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive().describe('Seconds until the access token expires.'),
  refresh_token: z.string().describe('Password and refresh_token grants only.').optional(),
  scope: z.string().describe('client_credentials grant only: the scopes granted.').optional(),
}).meta({ id: 'OAuthToken', examples: [{ access_token: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl', token_type: 'Bearer', expires_in: 900, scope: 'incidents:read incidents:write' }] });
/** RFC 6749 §5.2: the token endpoint's errors are not problem+json. */
const oauthErrorSchema = z.object({
  error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unsupported_grant_type', 'invalid_scope']),
  error_description: z.string(),
}).meta({ id: 'OAuthError', examples: [{ error: 'invalid_client', error_description: 'The client credentials are not valid.' }] });

const noStore = { 'Cache-Control': { description: '`no-store`: token responses are never cached (RFC 6749 §5.1).', schema: { type: 'string' } } };
const location = (what: string) => ({ Location: { description: `The new ${what}'s URL.`, schema: { type: 'string' } } });
const json = (description: string, schema: z.ZodType, headers?: ApiResponse['headers']): ApiResponse => ({ description, schema, ...(headers ? { headers } : {}) });

const keys: ApiOperation[] = [
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'Public keys that verify access tokens',
    description:
      'The JSON Web Key Set (RFC 7517) of the keys identity-service signs access tokens with (EdDSA, Ed25519). ' +
      'Verify a token with the key whose `kid` matches the token header, pinning `alg: EdDSA` and checking `iss`, `aud` and `exp`. ' +
      'Keys rotate without downtime: a new key appears here before it signs anything, a retired one stays until the tokens it signed have expired. ' +
      'Cache for at most the `Cache-Control` max-age (5 minutes) and refetch when a token names an unknown `kid`.',
    auth: 'public',
    responses: {
      200: json('The current key set.', jwksSchema, { 'Cache-Control': { description: '`public, max-age=300`.', schema: { type: 'string' } } }),
    },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-authorization-server',
    summary: 'OAuth 2.0 authorization server metadata',
    description:
      'What an OAuth client needs to find its way (RFC 8414): the `issuer` (the platform\'s public URL, `JWT_ISSUER`, and the `iss` of ' +
      'every token), the token endpoint, the key set, the grants it takes (`client_credentials` and `refresh_token`; `password` only where ' +
      'the installation enables it) and the scopes service accounts can hold. Reachable without a token, so discovery in libraries such ' +
      'as oauth4webapi and openid-client works.',
    auth: 'public',
    responses: {
      200: json('The metadata.', authorizationServerMetadataSchema, { 'Cache-Control': { description: '`public, max-age=300`.', schema: { type: 'string' } } }),
    },
  },
];

const auth: ApiOperation[] = [
  {
    method: 'post',
    path: '/auth/register',
    summary: 'Register as a reporter',
    description:
      'Self-registration as a **reporter** without a department, by the desk\'s `REGISTRATION` policy. The answer is `202` with the same body ' +
      'for a new address and for one that has an account (its owner is told by mail, the account is untouched), so it never reveals who has an account. ' +
      '`open`: a new account is usable at once (sign in next). `verified`: the address is mailed a single-use link (24 hours) and the account is made ' +
      'when it is followed (`POST /auth/verify`); until then the address gets no other mail and cannot sign in. `domains`: as `verified`, for addresses ' +
      'in the allowed domains only; others get the same answer and nothing else. `closed`: nothing happens (admins create accounts). ' +
      'An address is sent at most 3 such mails an hour.\n\n' +
      'Errors: `400 VALIDATION.FAILED` (unknown or invalid fields, password of 12 to 128 characters), `422 PASSWORD.TOO_COMMON`.',
    auth: 'public',
    body: registerBodySchema,
    responses: { 202: json('Accepted; what happens next depends only on the registration mode.', registrationAcceptedSchema) },
    errors: [400, 422],
  },
  {
    method: 'post',
    path: '/auth/verify',
    summary: 'Verify an address and finish registering',
    description:
      'The token of the link mailed by `POST /auth/register` in `verified` or `domains` mode; it works once. Publishes `user.registered`.\n\n' +
      'Errors: `400 AUTH.VERIFICATION_LINK_INVALID` (unknown, used or expired), `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: verifyEmailBodySchema,
    responses: { 204: { description: 'The account exists now: sign in.' } },
    errors: [400],
  },
  {
    method: 'post',
    path: '/auth/password',
    summary: 'Change your own password',
    description:
      'Needs the current password. Ends every session of the account (all refresh tokens), so sign in again with the new password; ' +
      'the person is told by mail.\n\n' +
      'Errors: `422 PASSWORD.CURRENT_INCORRECT`, `422 PASSWORD.TOO_COMMON`, `400 VALIDATION.FAILED` (new password of 12 to 128 characters), ' +
      '`401` (not signed in), `403 AUTH.FORBIDDEN` (a service account).',
    auth: 'bearer',
    body: changePasswordBodySchema,
    responses: { 204: { description: 'Changed; every session has ended.' } },
    errors: [400, 401, 403, 422],
  },
  {
    method: 'post',
    path: '/auth/password/forgot',
    summary: 'Ask for a password reset link',
    description:
      'An active account with this address is mailed a single-use link to `/reset-password` that lasts 30 minutes (a newer link replaces it). ' +
      'The answer is the same `202` whether or not an account exists; an address is sent at most 3 such mails an hour.\n\n' +
      'Errors: `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: forgotPasswordBodySchema,
    responses: { 202: json('Accepted.', acceptedMessageSchema) },
    errors: [400],
  },
  {
    method: 'post',
    path: '/auth/password/reset',
    summary: 'Choose a new password with a mailed link',
    description:
      'The token of a link from `POST /auth/password/forgot` or an admin\'s `POST /users/{id}/password-reset`; it works once. ' +
      'Ends every session of the account; the person is told by mail.\n\n' +
      'Errors: `400 PASSWORD.RESET_LINK_INVALID` (unknown, used or expired), `422 PASSWORD.TOO_COMMON`, `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: resetPasswordBodySchema,
    responses: { 204: { description: 'The password is changed: sign in with it.' } },
    errors: [400, 422],
  },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with email and password',
    description:
      'Returns a short-lived access token (a JWT to send as `Authorization: Bearer ...`), a refresh token and the account. ' +
      'Attempts are throttled per account, per client address and per both: each attempt is counted before the password is verified, ' +
      'a failure keeps its count, a success gives it back; the budgets refill one attempt at a time (5 per account and address, then one every 3 minutes).\n\n' +
      'With two-step sign-in on, a right password is answered `401 AUTH.MFA_REQUIRED` carrying `challengeToken` and `expiresIn` ' +
      '(5 minutes): finish with `POST /auth/login/mfa`. An admin without a second factor while `ADMIN_MFA=required` gets ' +
      '`401 AUTH.MFA_ENROLMENT_REQUIRED` with a challenge: `POST /auth/login/mfa/setup`, then `POST /auth/login/mfa` with a code. ' +
      'Until the second step succeeds the attempt stays counted against the budgets.\n\n' +
      'Errors: `401 AUTH.INVALID_CREDENTIALS` — one answer for an unknown email, a wrong password and a deactivated account; ' +
      '`429 AUTH.TOO_MANY_ATTEMPTS` with `Retry-After` after repeated failures; `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: loginBodySchema,
    responses: { 200: json('Signed in.', tokenResponseSchema, noStore) },
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/auth/login/mfa',
    summary: 'Finish a sign-in with a second factor',
    description:
      'The `challengeToken` of `401 AUTH.MFA_REQUIRED` (or `AUTH.MFA_ENROLMENT_REQUIRED`) and either the 6-digit `code` of the authenticator app ' +
      'or a `recoveryCode` (each works once; the person is mailed when one is used). A code works once and within about 30 seconds either side. ' +
      'A challenge takes 5 wrong codes, and every try also counts against the sign-in budgets of `POST /auth/login`. ' +
      'Finishing an enrolment challenge turns the factor on and the answer carries `recoveryCodes`, shown this once.\n\n' +
      'Errors: `401 AUTH.MFA_CODE_INVALID` (try again), `401 AUTH.MFA_CHALLENGE_INVALID` (sign in again), ' +
      '`409 MFA.SETUP_EXPIRED` (enrolment without a live setup), `429 AUTH.TOO_MANY_ATTEMPTS`, `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: mfaLoginBodySchema,
    responses: { 200: json('Signed in.', mfaTokenResponseSchema, noStore) },
    errors: [400, 401, 409, 429],
  },
  {
    method: 'post',
    path: '/auth/login/mfa/setup',
    summary: 'Set up a second factor during a sign-in that requires one',
    description:
      'For `401 AUTH.MFA_ENROLMENT_REQUIRED`: a new secret for an authenticator app (as text, an `otpauth://` URI and a QR code). ' +
      'Confirm it with a code at `POST /auth/login/mfa` within 15 minutes.\n\n' +
      'Errors: `401 AUTH.MFA_CHALLENGE_INVALID`, `409 MFA.ALREADY_ENABLED` (the challenge wants a code, not an enrolment), `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: mfaLoginSetupBodySchema,
    responses: { 200: json('A secret to add to the app.', mfaSetupSchema, noStore) },
    errors: [400, 401, 409],
  },
  {
    method: 'get',
    path: '/auth/mfa',
    summary: 'Your two-step sign-in',
    description: 'Whether it is on, since when, how many recovery codes are unused, and whether your role must have it.\n\nErrors: `401`, `403 AUTH.FORBIDDEN` (a service account).',
    auth: 'bearer',
    responses: { 200: json('The status.', mfaStatusSchema) },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/auth/mfa/setup',
    summary: 'Start turning two-step sign-in on',
    description:
      'Needs the current password. Answers a new secret for an authenticator app (text, `otpauth://` URI, QR code); ' +
      'it waits 15 minutes for `POST /auth/mfa/enable` with a code from the app. A waiting setup is replaced.\n\n' +
      'Errors: `422 PASSWORD.CURRENT_INCORRECT`, `409 MFA.ALREADY_ENABLED`, `401`, `403 AUTH.FORBIDDEN` (a service account), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: mfaSetupBodySchema,
    responses: { 200: json('A secret to add to the app.', mfaSetupSchema, noStore) },
    errors: [400, 401, 403, 409, 422],
  },
  {
    method: 'post',
    path: '/auth/mfa/enable',
    summary: 'Turn two-step sign-in on with a code from the app',
    description:
      'Confirms the setup with a current code; from now on signing in needs a code. Answers 10 recovery codes, shown this once. ' +
      'The person is told by mail.\n\n' +
      'Errors: `422 MFA.CODE_INCORRECT`, `409 MFA.SETUP_EXPIRED`, `409 MFA.ALREADY_ENABLED`, `401`, `403 AUTH.FORBIDDEN`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: mfaEnableBodySchema,
    responses: { 200: json('On; the recovery codes.', recoveryCodesSchema, noStore) },
    errors: [400, 401, 403, 409, 422],
  },
  {
    method: 'post',
    path: '/auth/mfa/recovery-codes',
    summary: 'Replace your recovery codes',
    description:
      'Needs the current password and a code from the app (or an unused recovery code). The old codes stop working; the 10 new ones are shown this once.\n\n' +
      'Errors: `422 PASSWORD.CURRENT_INCORRECT`, `422 MFA.CODE_INCORRECT`, `409 MFA.NOT_ENABLED`, `401`, `403 AUTH.FORBIDDEN`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: mfaConfirmBodySchema,
    responses: { 200: json('The new recovery codes.', recoveryCodesSchema, noStore) },
    errors: [400, 401, 403, 409, 422],
  },
  {
    method: 'post',
    path: '/auth/mfa/disable',
    summary: 'Turn two-step sign-in off',
    description:
      'Needs the current password and a code from the app (or an unused recovery code). The secret and the recovery codes are deleted; ' +
      'the person is told by mail. Admins cannot while `ADMIN_MFA=required`.\n\n' +
      'Errors: `409 MFA.REQUIRED`, `409 MFA.NOT_ENABLED`, `422 PASSWORD.CURRENT_INCORRECT`, `422 MFA.CODE_INCORRECT`, `401`, `403 AUTH.FORBIDDEN`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: mfaConfirmBodySchema,
    responses: { 204: { description: 'Off.' } },
    errors: [400, 401, 403, 409, 422],
  },
  {
    method: 'post',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Refresh tokens rotate: each works once and the response carries its successor. ' +
      'Presenting one a second time means it leaked, so the whole sign-in it belongs to is revoked and the user must sign in again.\n\n' +
      'Errors: `401 AUTH.INVALID_REFRESH_TOKEN` (unknown, revoked, expired, or the account is deactivated), ' +
      '`401 AUTH.REFRESH_TOKEN_REUSED`, `400 VALIDATION.FAILED`.',
    auth: 'public',
    body: refreshBodySchema,
    responses: { 200: json('New access and refresh tokens.', tokenResponseSchema, noStore) },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'Sign out: end a sign-in and stop its tokens',
    description:
      'Ends the sign-in the given refresh token belongs to, or — without a body — the sign-in of the user access token presented ' +
      '(`Authorization: Bearer`). Every refresh token of that sign-in is revoked, and its access tokens (which name it as `sid`) ' +
      'are refused by the gateway and every service within seconds. An unknown refresh token is accepted silently (RFC 7009 §2.2).\n\n' +
      'Errors: `400 VALIDATION.FAILED` (neither a refresh token nor a user access token), `401 AUTH.INVALID_TOKEN` (an access token was sent and is not valid).',
    auth: 'public',
    body: logoutBodySchema,
    responses: { 204: { description: 'Signed out.' } },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/auth/token',
    summary: 'OAuth 2.0 token endpoint (password, refresh_token, client_credentials)',
    description:
      'For clients that speak OAuth 2.0 (RFC 6749 §3.2): parameters are form-encoded, responses and errors use OAuth\'s snake_case fields. ' +
      'Other internal systems use `client_credentials` with the client id and secret of a service account, preferably as HTTP Basic ' +
      '(`Authorization: Basic base64(client_id:client_secret)`), else as `client_id`/`client_secret` form fields — never both. ' +
      'Their access token carries the granted scopes and no refresh token.\n\n' +
      'Errors (`{ error, error_description }`): `400 invalid_request` (missing or repeated parameter, not form-encoded), ' +
      '`400 invalid_grant` (wrong credentials or refresh token), `400 unsupported_grant_type`, `400 invalid_scope`, ' +
      '`401 invalid_client` (wrong, revoked or missing client credentials), `429 invalid_grant` with `Retry-After` after repeated failed passwords.',
    auth: 'public',
    body: tokenFormSchema,
    bodyContentType: 'application/x-www-form-urlencoded',
    responses: {
      200: json('Tokens.', oauthTokenSchema, noStore),
      400: json('invalid_request, invalid_grant, unsupported_grant_type or invalid_scope.', oauthErrorSchema, noStore),
      401: json('invalid_client: the client credentials are wrong, revoked or missing.', oauthErrorSchema, {
        ...noStore,
        'WWW-Authenticate': { description: '`Basic realm="incident-platform"` when the client authenticated with HTTP Basic.', schema: { type: 'string' } },
      }),
      429: json('invalid_grant: too many failed sign-ins for this account or address.', oauthErrorSchema, {
        ...noStore,
        'Retry-After': { description: 'Seconds to wait.', schema: { type: 'string' } },
      }),
    },
  },
  {
    method: 'get',
    path: '/auth/me',
    summary: 'The signed-in caller',
    description:
      'The account the access token belongs to, as it is now: a person (`kind: user`) or a service account (`kind: service`). ' +
      'A token of an account deactivated, or whose role or department changed since it was issued, is refused (`401 AUTH.TOKEN_REVOKED`).',
    auth: 'bearer',
    responses: { 200: json('The caller.', meSchema) },
  },
  {
    method: 'patch',
    path: '/auth/me',
    summary: 'Change your own name',
    description:
      'A person changes the name others see on incidents, lists and mails. The change is audited and reaches every service as any ' +
      'change of the account does (`user.updated`).\n\n' +
      'Errors: `400 VALIDATION.FAILED` (`fullName` empty or over 200 characters, or an unknown field), `401` (not signed in), ' +
      '`403 AUTH.FORBIDDEN` (a service account).',
    auth: 'bearer',
    body: updateProfileBodySchema,
    responses: { 200: json('The account, renamed.', userSchema) },
    errors: [400, 401, 403],
  },
];

const users: ApiOperation[] = [
  {
    method: 'put',
    path: '/users/me/locale',
    summary: 'Choose your language',
    description:
      'A person chooses the language (`en` or `de`) they read the portal and their mails in. Until they do, `locale` is null: the portal ' +
      'follows the browser and mails are in English. The change is audited and reaches every service as any change of the account does ' +
      '(`user.updated` naming `locale`), so the next mail is written in it.\n\n' +
      'Errors: `400 VALIDATION.FAILED` (`locale` missing or not a supported language, or an unknown field), `401` (not signed in), ' +
      '`403 AUTH.FORBIDDEN` (a service account).',
    auth: 'bearer',
    body: updateLocaleBodySchema,
    responses: { 200: json('The account, with its language.', userSchema) },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/users',
    summary: 'List users',
    description:
      'The directory, ordered by name, filtered and cursor-paginated. Admins see everyone; managers only their own department ' +
      '(without `departmentId`, or with their own); service accounts with the `users:read` scope everyone.\n\n' +
      'Errors: `403 USER.FORBIDDEN` (staff and reporters), `403 USER.FORBIDDEN_DEPARTMENT` (a manager asking for another department), ' +
      '`403 AUTH.INSUFFICIENT_SCOPE` (service account without `users:read`), `400 VALIDATION.FAILED` (including a cursor this list did not produce).',
    auth: 'bearer',
    query: listUsersQuerySchema,
    responses: { 200: json('A page of users.', userPageSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/users/count',
    summary: 'Count users',
    description:
      'How many users `GET /users` with the same filters lists (the same callers refused, the same scope for the rest: admins and service accounts ' +
      `with \`users:read\` everyone, managers their own department), counted up to ${USER_COUNT_CAP}: beyond that \`capped\` is true and the figure reads ` +
      `"${USER_COUNT_CAP.toLocaleString('en')}+". For dashboards, where a figure links to the list it counts.\n\n` +
      'Errors: `403 USER.FORBIDDEN` (staff and reporters), `403 USER.FORBIDDEN_DEPARTMENT` (a manager asking for another department), ' +
      '`403 AUTH.INSUFFICIENT_SCOPE` (service account without `users:read`), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    query: countUsersQuerySchema,
    responses: { 200: json('How many users match.', userCountSchema) },
    errors: [400, 403],
  },
  {
    method: 'post',
    path: '/users',
    summary: 'Create a user of any role (admin)',
    description:
      'Admins open accounts, e.g. for staff and managers, who must belong to a department. Publishes `user.registered`.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN` (not an admin), `409 USER.EMAIL_TAKEN` (names `/email` in `errors`), `422 PASSWORD.TOO_COMMON`, `422 USER.DEPARTMENT_REQUIRED` (staff or manager without `departmentId`), ' +
      '`422 USER.DEPARTMENT_NOT_FOUND`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: createUserBodySchema,
    responses: { 201: json('The new user.', userSchema, location('user')) },
    errors: [400, 403, 409, 422],
  },
  {
    method: 'post',
    path: '/users/{id}/password-reset',
    summary: 'Send a person a password reset link (admin)',
    description:
      'Mails the person a single-use link to choose a new password (30 minutes) and ends all their sessions at once; ' +
      'their current password still signs in until they reset it.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN` (not an admin), `404 USER.NOT_FOUND`, `409 USER.INACTIVE` (deactivated account), `400 VALIDATION.FAILED` (id not a UUID).',
    auth: 'bearer',
    params: userIdParams,
    responses: { 202: json('Sent.', acceptedMessageSchema) },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/users/{id}/mfa',
    summary: 'Whether a person has two-step sign-in (admin)',
    description: 'Errors: `403 AUTH.FORBIDDEN` (not an admin), `404 USER.NOT_FOUND`, `400 VALIDATION.FAILED` (id not a UUID).',
    auth: 'bearer',
    params: userIdParams,
    responses: { 200: json('The status.', mfaStatusSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'post',
    path: '/users/{id}/mfa-reset',
    summary: "Remove a person's second factor (admin)",
    description:
      'For a lost phone: deletes the person\'s TOTP secret and recovery codes and ends all their sessions; they are told by mail and the audit ' +
      'trail records it (`user.mfa_reset`). Their next sign-in needs only the password, or enrols a new factor where their role requires one.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN` (not an admin), `404 USER.NOT_FOUND`, `409 MFA.NOT_ENABLED` (nothing to reset), `400 VALIDATION.FAILED` (id not a UUID).',
    auth: 'bearer',
    params: userIdParams,
    responses: { 204: { description: 'Reset; their sessions have ended.' } },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/users/{id}',
    summary: 'Get a user',
    description:
      'Everyone may read their own account. Admins and `users:read` service accounts read anyone; managers the people of their department — ' +
      'an account outside a manager\'s department is `404 USER.NOT_FOUND`, not 403, so its existence is not revealed.\n\n' +
      'Errors: `403 USER.FORBIDDEN` (staff or reporter reading someone else), `404 USER.NOT_FOUND`, `400 VALIDATION.FAILED` (id not a UUID).',
    auth: 'bearer',
    params: userIdParams,
    responses: { 200: json('The user.', userSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'patch',
    path: '/users/{id}',
    summary: 'Change a user: name, role, department, active (admin)',
    description:
      'Only fields whose value differs are changed; they are named in the `user.updated` (or `user.deactivated`) event. ' +
      'A change of role, department or activation also ends the user\'s sign-ins and makes their current access tokens stop working at once.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `404 USER.NOT_FOUND`, `409 USER.LAST_ADMIN` (demoting or deactivating the last active admin), ' +
      '`422 USER.DEPARTMENT_REQUIRED`, `422 USER.DEPARTMENT_NOT_FOUND`, `400 VALIDATION.FAILED` (including an empty body).',
    auth: 'bearer',
    params: userIdParams,
    body: updateUserBodySchema,
    responses: { 200: json('The user as it is now.', userSchema) },
    errors: [400, 403, 404, 409, 422],
  },
];

const departments: ApiOperation[] = [
  {
    method: 'get',
    path: '/departments',
    summary: 'List departments',
    description:
      'Every department, by name, for forms and filters. Any signed-in person; service accounts with the `users:read` scope. ' +
      'Not paginated: an organisation has few.\n\nErrors: `403 AUTH.INSUFFICIENT_SCOPE`.',
    auth: 'bearer',
    responses: { 200: json('All departments.', departmentListSchema) },
    errors: [403],
  },
  {
    method: 'get',
    path: '/departments/{id}',
    summary: 'Get a department',
    description:
      'Any signed-in person; service accounts with the `users:read` scope.\n\n' +
      'Errors: `403 AUTH.INSUFFICIENT_SCOPE`, `404 DEPARTMENT.NOT_FOUND`, `400 VALIDATION.FAILED` (id not a UUID).',
    auth: 'bearer',
    params: departmentIdParams,
    responses: { 200: json('The department.', departmentSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'post',
    path: '/departments',
    summary: 'Create a department (admin)',
    description: 'Publishes `department.created`.\n\nErrors: `403 AUTH.FORBIDDEN`, `409 DEPARTMENT.NAME_TAKEN` (names are unique in any letter case; names `/name` in `errors`), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: createDepartmentBodySchema,
    responses: { 201: json('The new department.', departmentSchema, location('department')) },
    errors: [400, 403, 409],
  },
  {
    method: 'patch',
    path: '/departments/{id}',
    summary: 'Rename or describe a department (admin)',
    description:
      'Only fields whose value differs are changed (and published in `department.updated`); departments are never deleted.\n\n' +
      'Errors: `403 AUTH.FORBIDDEN`, `404 DEPARTMENT.NOT_FOUND`, `409 DEPARTMENT.NAME_TAKEN` (names `/name` in `errors`), `400 VALIDATION.FAILED` (including an empty body).',
    auth: 'bearer',
    params: departmentIdParams,
    body: updateDepartmentBodySchema,
    responses: { 200: json('The department as it is now.', departmentSchema) },
    errors: [400, 403, 404, 409],
  },
];

const serviceAccountsIntro = 'Admins only (`403 AUTH.FORBIDDEN` for anyone else). ';
const serviceAccounts: ApiOperation[] = [
  {
    method: 'post',
    path: '/service-accounts',
    summary: 'Create a service account for another system (admin)',
    description:
      serviceAccountsIntro +
      'The response holds the `clientSecret` this one time; only its hash is kept. The other system signs in at `POST /auth/token` with ' +
      '`grant_type=client_credentials`, and its tokens carry the scopes given here.\n\n' +
      'Errors: `409 SERVICE_ACCOUNT.NAME_TAKEN` (names `/name` in `errors`), `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    body: createServiceAccountBodySchema,
    responses: {
      201: json('The new service account with its client secret.', createdServiceAccountSchema, {
        'Cache-Control': { description: '`no-store`: the secret is shown once.', schema: { type: 'string' } },
      }),
    },
    errors: [400, 403, 409],
  },
  {
    method: 'get',
    path: '/service-accounts',
    summary: 'List service accounts (admin)',
    description: serviceAccountsIntro + 'Newest first, cursor-paginated, revoked ones included. Secrets are never shown.',
    auth: 'bearer',
    query: pageQuerySchema,
    responses: { 200: json('A page of service accounts.', serviceAccountPageSchema) },
    errors: [400, 403],
  },
  {
    method: 'get',
    path: '/service-accounts/{id}',
    summary: 'Get a service account (admin)',
    description: serviceAccountsIntro + 'Shows when it was last used.\n\nErrors: `404 SERVICE_ACCOUNT.NOT_FOUND`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    params: serviceAccountIdParams,
    responses: { 200: json('The service account.', serviceAccountSchema) },
    errors: [400, 403, 404],
  },
  {
    method: 'post',
    path: '/service-accounts/{id}/secret',
    summary: 'Rotate a service account\'s secret (admin)',
    description:
      serviceAccountsIntro +
      'Issues a new client secret, shown in the response this one time; the old secret stops working at once (tokens already issued ' +
      'run until they expire). Recorded in the audit trail.\n\n' +
      'Errors: `404 SERVICE_ACCOUNT.NOT_FOUND`, `409 SERVICE_ACCOUNT.REVOKED`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    params: serviceAccountIdParams,
    responses: {
      200: json('The service account with its new client secret.', createdServiceAccountSchema, {
        'Cache-Control': { description: '`no-store`: the secret is shown once.', schema: { type: 'string' } },
      }),
    },
    errors: [400, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/service-accounts/{id}',
    summary: 'Revoke a service account (admin)',
    description:
      serviceAccountsIntro +
      'It can no longer get tokens. identity-service refuses the tokens it already holds at once; other services accept them until they expire (minutes).\n\n' +
      'Errors: `404 SERVICE_ACCOUNT.NOT_FOUND`, `400 VALIDATION.FAILED`.',
    auth: 'bearer',
    params: serviceAccountIdParams,
    responses: { 204: { description: 'Revoked.' } },
    errors: [400, 403, 404],
  },
];

const audit: ApiOperation[] = [
  {
    method: 'get',
    path: '/admin/audit',
    summary: 'The audit trail of administrative changes (admin)',
    description:
      'Every administrative change, newest first: users (creation, role, department, activation, profile), departments, ' +
      'categories and SLA policies, service accounts (creation, revocation), password and MFA resets. Each entry names the ' +
      'actor, the time, the address the request came from, the target, and its state before and after (never a secret or ' +
      'a password hash). An entry is written in the transaction of the change it records. Filters combine; the cursor ' +
      'continues the same filters.\n\nErrors: `400 VALIDATION.FAILED` (naming the parameter), `403 AUTH.FORBIDDEN` for anyone but an admin.',
    auth: 'bearer',
    query: auditQuerySchema,
    responses: {
      200: json('A page of audit entries.', auditEntryPageSchema, {
        'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } },
      }),
    },
    errors: [400, 403],
  },
];

export const identityApi: ApiDescription = {
  title: 'identity-service',
  version,
  tag: { name: 'Identity', description: 'Accounts and sign-in: registration, passwords and OAuth tokens (client credentials for service accounts), users, departments, service accounts and the keys that verify access tokens.' },
  description:
    'Accounts, departments, sign-in and tokens of the incident platform. Access tokens are EdDSA-signed JWTs, verifiable with ' +
    '`/.well-known/jwks.json`; send them as `Authorization: Bearer <token>`. Errors are `application/problem+json` (RFC 9457) ' +
    'with a stable `code` to switch on, except at the OAuth token endpoint. Every bearer-protected operation may answer ' +
    '`401 AUTH.TOKEN_MISSING`, `401 AUTH.INVALID_TOKEN` or `401 AUTH.TOKEN_REVOKED` (the account changed since the token was issued).',
  operations: [...keys, ...auth, ...users, ...departments, ...serviceAccounts, ...audit],
};
