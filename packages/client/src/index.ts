import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** The platform's named schemas: `Schemas['Incident']`, `Schemas['CreateIncidentBody']`, `Schemas['Problem']`... */
export type Schemas = components['schemas'];
export type Incident = Schemas['Incident'];
export type IncidentPage = Schemas['IncidentPage'];
export type CreateIncidentBody = Schemas['CreateIncidentBody'];
export type Problem = Schemas['Problem'];
export type OAuthToken = Schemas['OAuthToken'];

export type DeskClient = Client<paths>;

/** An access token, or a function giving one for each request (see `clientCredentials`). */
export type AccessToken = string | (() => string | Promise<string>);

export interface DeskClientOptions {
  /** The gateway: `https://desk.example.com`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` with every request. */
  accessToken?: AccessToken;
  /** Another fetch (a test's, a proxy-aware one); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client for the platform's public API: `client.GET('/incidents', { params: { query: { status: ['OPEN'] } } })`
 * knows the paths, parameters, bodies and answers (`data` on 2xx, `error`, a Problem, otherwise).
 */
export function createDeskClient(options: DeskClientOptions): DeskClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const { accessToken } = options;
  if (accessToken !== undefined) {
    const bearer: Middleware = {
      async onRequest({ request }) {
        request.headers.set('Authorization', `Bearer ${typeof accessToken === 'string' ? accessToken : await accessToken()}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
}

export interface ClientCredentialsOptions {
  baseUrl: string;
  /** A service account's client id and secret (`POST /service-accounts` answers them, the secret once). */
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for: all of the account's when left out. */
  scope?: string;
  fetch?: typeof globalThis.fetch;
}

/** Asked for again this long before a token expires, so a request never leaves with a stale one. */
const EXPIRY_MARGIN_MS = 30_000;

export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(`POST /auth/token answered ${status} ${error}: ${description}`);
    this.name = 'TokenRequestError';
  }
}

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 §4.4) at `POST /auth/token`, the client
 * authenticated with HTTP Basic: a function giving a valid access token, asking for a new one
 * when the last is about to expire. Pass it as `accessToken` to `createDeskClient`.
 */
export function clientCredentials(options: ClientCredentialsOptions): () => Promise<string> {
  const fetchToken = options.fetch ?? globalThis.fetch;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic.
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const response = await fetchToken(new URL('/auth/token', options.baseUrl), {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    });
    const body = (await response.json().catch(() => ({}))) as Partial<OAuthToken & Schemas['OAuthError']>;
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new TokenRequestError(response.status, body.error ?? 'invalid_response', body.error_description ?? 'no access token in the answer');
    }
    current = { token: body.access_token, renewAt: Date.now() + (body.expires_in ?? 0) * 1000 - EXPIRY_MARGIN_MS };
    return body.access_token;
  }

  return async () => {
    if (current && Date.now() < current.renewAt) return current.token;
    // Requests made while a token is being fetched wait for that one.
    pending ??= request().finally(() => (pending = undefined));
    return pending;
  };
}
