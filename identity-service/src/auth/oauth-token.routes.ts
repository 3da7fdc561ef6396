import { SERVICE_SCOPES, type ServiceScope, type TokenResponse } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { Request, RequestHandler, Response } from 'express';
import type { IdentityDependencies } from '../dependencies.js';
import {
  clientSecretMatches,
  findServiceAccountByClientId,
  hashClientSecret,
  recordServiceAccountUse,
} from '../service-accounts/service-accounts.repository.js';
import { accessTokenFor } from './issue-tokens.js';
import { login } from './login.use-case.js';
import { refresh } from './refresh.use-case.js';

/** An error of the token endpoint, in RFC 6749 §5.2's own format rather than problem+json. */
class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/** Form parameters; a parameter sent twice is an error (RFC 6749 §3.2). */
function parameter(form: Record<string, unknown>, name: string, required: true): string;
function parameter(form: Record<string, unknown>, name: string, required?: false): string | undefined;
function parameter(form: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `"${name}" is given more than once`);
  if (typeof value !== 'string' || value === '') {
    if (required) throw new OAuthError('invalid_request', `"${name}" is required`);
    return undefined;
  }
  return value;
}

/** Client authentication: HTTP Basic (preferred) or client_id/client_secret in the form, never both (RFC 6749 §2.3.1). */
function clientCredentials(request: Request, form: Record<string, unknown>): { clientId: string; clientSecret: string; viaBasic: boolean } {
  const header = request.get('authorization');
  const formId = parameter(form, 'client_id');
  const formSecret = parameter(form, 'client_secret');
  if (header) {
    if (formSecret) throw new OAuthError('invalid_request', 'authenticate the client one way: Basic header or form, not both');
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    if (separator < 0) throw new OAuthError('invalid_client', 'the Authorization header is not valid Basic credentials', 401, { 'WWW-Authenticate': 'Basic realm="incident-platform"' });
    try {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
      return {
        clientId: decodeURIComponent(decoded.slice(0, separator)),
        clientSecret: decodeURIComponent(decoded.slice(separator + 1)),
        viaBasic: true,
      };
    } catch {
      throw new OAuthError('invalid_client', 'the Basic credentials are not properly encoded', 401, { 'WWW-Authenticate': 'Basic realm="incident-platform"' });
    }
  }
  if (!formId || !formSecret) throw new OAuthError('invalid_client', 'client authentication is required', 401);
  return { clientId: formId, clientSecret: formSecret, viaBasic: false };
}

function fromTokenResponse(tokens: TokenResponse) {
  return { access_token: tokens.accessToken, token_type: 'Bearer', expires_in: tokens.expiresIn, refresh_token: tokens.refreshToken };
}

async function clientCredentialsGrant(deps: IdentityDependencies, request: Request, form: Record<string, unknown>) {
  const { clientId, clientSecret, viaBasic } = clientCredentials(request, form);
  const account = await findServiceAccountByClientId(deps.db, clientId);
  // Hash even for unknown clients, so timing says nothing about which client ids exist.
  const matches = account ? clientSecretMatches(account, clientSecret) : (hashClientSecret(clientSecret), false);
  if (!account || !matches || account.revoked_at) {
    throw new OAuthError('invalid_client', 'the client id or secret is not correct, or the client is revoked', 401, viaBasic ? { 'WWW-Authenticate': 'Basic realm="incident-platform"' } : {});
  }
  const requested = parameter(form, 'scope')?.split(' ').filter(Boolean);
  const granted: ServiceScope[] = requested ? (requested as ServiceScope[]) : account.scopes;
  const unknown = granted.filter((scope) => !(SERVICE_SCOPES as readonly string[]).includes(scope) || !account.scopes.includes(scope));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `not granted to this client: ${unknown.join(' ')}`);
  await recordServiceAccountUse(deps.db, account.id);
  const access = await accessTokenFor(deps, { id: account.id, role: 'service', scopes: granted, clientId: account.client_id });
  return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: granted.join(' ') };
}

/** The grants this token endpoint takes, as its metadata lists them. */
export function grantTypesSupported(deps: Pick<IdentityDependencies, 'config'>): string[] {
  return ['client_credentials', 'refresh_token', ...(deps.config.OAUTH_PASSWORD_GRANT === 'enabled' ? ['password'] : [])];
}

function supportedGrants(deps: IdentityDependencies): string {
  return `use ${grantTypesSupported(deps).join(', ')}`;
}

/** Maps the sign-in use cases' errors onto the token endpoint's vocabulary. */
function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'AUTH.TOO_MANY_ATTEMPTS') return new OAuthError('invalid_grant', error.detail, 429, error.headers ?? {});
  if (error.code.startsWith('AUTH.')) return new OAuthError('invalid_grant', error.detail);
  if (error.code === 'VALIDATION.FAILED') return new OAuthError('invalid_request', error.detail);
  return undefined;
}

/**
 * `POST /auth/token`, the OAuth 2.0 token endpoint (RFC 6749 §3.2) for clients that speak
 * OAuth: the client_credentials and refresh_token grants, and the password grant where
 * OAUTH_PASSWORD_GRANT=enabled; form-encoded, errors as RFC 6749 §5.2 has them.
 */
export function oauthTokenHandler(deps: IdentityDependencies): RequestHandler {
  return async (request: Request, response: Response) => {
    try {
      if (!request.is('application/x-www-form-urlencoded')) {
        throw new OAuthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded');
      }
      const form = (request.body ?? {}) as Record<string, unknown>;
      const grantType = parameter(form, 'grant_type', true);
      switch (grantType) {
        case 'password': {
          if (deps.config.OAUTH_PASSWORD_GRANT !== 'enabled') {
            throw new OAuthError('unsupported_grant_type', `"password" is not enabled here; ${supportedGrants(deps)}`);
          }
          const tokens = await login(deps, {
            email: parameter(form, 'username', true).trim().toLowerCase(),
            password: parameter(form, 'password', true),
            address: request.ip ?? 'unknown',
          });
          response.json(fromTokenResponse(tokens));
          return;
        }
        case 'refresh_token':
          response.json(fromTokenResponse(await refresh(deps, parameter(form, 'refresh_token', true))));
          return;
        case 'client_credentials':
          response.json(await clientCredentialsGrant(deps, request, form));
          return;
        default:
          throw new OAuthError('unsupported_grant_type', `"${grantType}" is not supported; ${supportedGrants(deps)}`);
      }
    } catch (error) {
      const oauth = asOAuthError(error);
      if (!oauth) throw error;
      response.status(oauth.status).set(oauth.headers).json({ error: oauth.error, error_description: oauth.description });
    }
  };
}
