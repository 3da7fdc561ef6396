import type { FieldIssue } from '@desk/contracts';
import { context } from '@opentelemetry/api';

// The browser's client of the gateway. The access token lives in memory only (the session
// store); a 401 means it expired or was revoked, so the client asks the session for a new one
// once and repeats the request, and when that fails the person has to sign in again.

/** The members every problem of the platform has; anything else is an extension. */
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', 'errors']);

/** An error the API answered (problem+json, RFC 9457), or a request that never got an answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: FieldIssue[];
  readonly retryAfterSeconds: number | undefined;
  /** The problem's members beyond the standard ones (RFC 9457 extensions), such as a sign-in's `challengeToken`. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string | undefined;
    requestId?: string | undefined;
    fieldErrors?: FieldIssue[];
    retryAfterSeconds?: number | undefined;
    extensions?: Record<string, unknown>;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.extensions = init.extensions ?? {};
  }

  /** Reads a failed response: problem+json when the platform answered, a generic error otherwise (a proxy's HTML page). */
  static async fromResponse(response: Response): Promise<ApiError> {
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (body && typeof body === 'object' && 'title' in body) {
      const problem = body as { title?: unknown; detail?: unknown; code?: unknown; requestId?: unknown; errors?: unknown } & Record<string, unknown>;
      const extensions = Object.fromEntries(Object.entries(problem).filter(([name]) => !PROBLEM_MEMBERS.has(name)));
      return new ApiError({
        status: response.status,
        code: typeof problem.code === 'string' ? problem.code : `HTTP.${response.status}`,
        title: String(problem.title),
        detail: typeof problem.detail === 'string' ? problem.detail : undefined,
        requestId: typeof problem.requestId === 'string' ? problem.requestId : undefined,
        fieldErrors: Array.isArray(problem.errors) ? (problem.errors as FieldIssue[]) : [],
        retryAfterSeconds,
        extensions,
      });
    }
    return new ApiError({ status: response.status, code: `HTTP.${response.status}`, title: response.statusText || `Request failed (${response.status})`, retryAfterSeconds });
  }

  static unreachable(cause: unknown): ApiError {
    const error = new ApiError({
      status: 0,
      code: 'NETWORK.UNREACHABLE',
      title: 'The service desk could not be reached',
      detail: 'Check your connection, then try again. If it keeps happening, the service may be down.',
    });
    error.cause = cause;
    return error;
  }

  static signedOut(): ApiError {
    return new ApiError({ status: 401, code: 'AUTH.SIGNED_OUT', title: 'Your session has ended', detail: 'Sign in again to continue.' });
  }
}

/** The words `describeError` reads from the catalogue (`common.errors`). */
export type ErrorWords = (key: ErrorWordKey | 'adviceTooManyRequests' | 'reference', values?: Record<string, string | number>) => string;
type ErrorWordKey =
  | 'somethingWrong' | 'tryInAMoment' | 'wrongCredentials' | 'sessionEnded' | 'signInAgainToContinue' | 'unreachableTitle' | 'unreachableDetail'
  | 'checkValues' | 'signInAgain' | 'notAllowed' | 'notFound' | 'notPossible' | 'changedMeanwhile' | 'tooLarge' | 'tooManyAttempts'
  | 'adviceForbidden' | 'adviceNotFound' | 'adviceChanged' | 'adviceServer' | 'adviceCheckValues';

/**
 * What a person should read: what went wrong and, where the API says, what to do about it. The
 * API's own `detail` is shown as it wrote it; headings and advice the portal adds are in the
 * person's language (`useDescribeError()` in lib/i18n/errors.ts passes the words).
 */
export function describeError(error: unknown, words: ErrorWords): { title: string; detail: string } {
  if (error instanceof ApiError) {
    const own = PORTAL_ERRORS[error.code];
    if (own) return { title: words(own.title), detail: words(own.detail) };
    const detail = error.detail && error.detail !== error.title ? error.detail : defaultAdvice(error, words);
    return { title: headline(error, words), detail: error.requestId && error.status >= 500 ? words('reference', { detail, requestId: error.requestId }) : detail };
  }
  return { title: words('somethingWrong'), detail: error instanceof Error ? error.message : words('tryInAMoment') };
}

/** Errors the portal itself makes (not the API's answers): said wholly in the person's language. */
const PORTAL_ERRORS: Record<string, { title: ErrorWordKey; detail: ErrorWordKey } | undefined> = {
  'NETWORK.UNREACHABLE': { title: 'unreachableTitle', detail: 'unreachableDetail' },
  'AUTH.SIGNED_OUT': { title: 'sessionEnded', detail: 'signInAgainToContinue' },
};

/** Headings for problems whose title is only the HTTP status's name ("Unauthorized"). */
const HEADLINES_BY_CODE: Record<string, ErrorWordKey> = {
  'AUTH.INVALID_CREDENTIALS': 'wrongCredentials',
  'AUTH.TOKEN_EXPIRED': 'sessionEnded',
  'AUTH.TOKEN_REVOKED': 'sessionEnded',
};
const HEADLINES_BY_STATUS: Record<number, ErrorWordKey> = {
  400: 'checkValues',
  401: 'signInAgain',
  403: 'notAllowed',
  404: 'notFound',
  409: 'notPossible',
  412: 'changedMeanwhile',
  413: 'tooLarge',
  422: 'checkValues',
  429: 'tooManyAttempts',
};
const HTTP_REASONS = new Set(['Bad Request', 'Unauthorized', 'Forbidden', 'Not Found', 'Conflict', 'Precondition Failed', 'Payload Too Large', 'Content Too Large', 'Unprocessable Entity', 'Unprocessable Content', 'Too Many Requests']);

function headline(error: ApiError, words: ErrorWords): string {
  const byCode = error.code ? HEADLINES_BY_CODE[error.code] : undefined;
  if (byCode) return words(byCode);
  const byStatus = HEADLINES_BY_STATUS[error.status];
  if (HTTP_REASONS.has(error.title) && byStatus) return words(byStatus);
  return error.title;
}

function defaultAdvice(error: ApiError, words: ErrorWords): string {
  if (error.status === 429) return words('adviceTooManyRequests', { seconds: error.retryAfterSeconds ?? -1 });
  if (error.status === 403) return words('adviceForbidden');
  if (error.status === 404) return words('adviceNotFound');
  if (error.status === 412) return words('adviceChanged');
  if (error.status >= 500) return words('adviceServer');
  return words('adviceCheckValues');
}

/** Where the client gets and renews access tokens: the session store in the browser. */
export interface TokenSource {
  /** The access token in memory, or null (after a page load, before the first refresh). */
  current(): string | null;
  /** A new access token from the session cookie, or null when the session is over. */
  refresh(): Promise<string | null>;
  /** The session is over: the person must sign in again. */
  expired(): void;
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(
    readonly baseUrl: string,
    private readonly tokens: TokenSource,
    fetchImpl?: typeof fetch,
  ) {
    this.fetchImpl = fetchImpl ?? ((...args) => fetch(...args));
  }

  url(path: string, query: Record<string, QueryValue> = {}): string {
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      if (Array.isArray(value)) {
        if (value.length > 0) url.searchParams.set(name, value.join(','));
      } else {
        url.searchParams.set(name, String(value));
      }
    }
    return url.toString();
  }

  /** Sends the request with the access token; on 401 renews the token once and sends it again. Throws ApiError on anything but 2xx. */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, options.query);
    // The browser keeps no context across `await`: the request joins the action (a traced click)
    // that called it even when a token renewal came first (lib/telemetry).
    const traceContext = context.active();
    const attempt = async (token: string): Promise<Response> => {
      try {
        return await context.with(traceContext, () => this.fetchImpl(url, {
          method: options.method ?? 'GET',
          headers: {
            Accept: 'application/json',
            ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...options.headers,
            Authorization: `Bearer ${token}`,
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
          ...(options.signal ? { signal: options.signal } : {}),
        }));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw ApiError.unreachable(error);
      }
    };

    const token = this.tokens.current() ?? (await this.tokens.refresh());
    if (!token) {
      this.tokens.expired();
      throw ApiError.signedOut();
    }
    let response = await attempt(token);
    if (response.status === 401) {
      const renewed = await this.tokens.refresh();
      if (!renewed) {
        this.tokens.expired();
        throw ApiError.signedOut();
      }
      response = await attempt(renewed);
      if (response.status === 401) {
        this.tokens.expired();
        throw await ApiError.fromResponse(response);
      }
    }
    if (!response.ok) throw await ApiError.fromResponse(response);
    return response;
  }

  /**
   * Sends a multipart/form-data body (a file upload) and reports the bytes sent as they go:
   * XMLHttpRequest, because fetch has no upload progress. The same token handling as send():
   * on 401 the token is renewed once and the upload starts again. Throws ApiError on anything
   * but 2xx; resolves with the parsed JSON answer.
   */
  async upload<T>(path: string, form: FormData, { onProgress, signal }: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {}): Promise<T> {
    const url = this.url(path);
    const attempt = (token: string) =>
      new Promise<{ status: number; text: string; retryAfter: string | null }>((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open('POST', url);
        request.setRequestHeader('Accept', 'application/json');
        request.setRequestHeader('Authorization', `Bearer ${token}`);
        request.upload.onprogress = (event) => {
          if (event.lengthComputable) onProgress?.(event.loaded, event.total);
        };
        request.onload = () => resolve({ status: request.status, text: request.responseText, retryAfter: request.getResponseHeader('retry-after') });
        request.onerror = () => reject(ApiError.unreachable(new Error('the upload was cut off')));
        request.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
        signal?.addEventListener('abort', () => request.abort(), { once: true });
        request.send(form);
      });
    const asResponse = ({ status, text, retryAfter }: { status: number; text: string; retryAfter: string | null }) =>
      new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) } });

    const token = this.tokens.current() ?? (await this.tokens.refresh());
    if (!token) {
      this.tokens.expired();
      throw ApiError.signedOut();
    }
    let answer = await attempt(token);
    if (answer.status === 401) {
      const renewed = await this.tokens.refresh();
      if (!renewed) {
        this.tokens.expired();
        throw ApiError.signedOut();
      }
      answer = await attempt(renewed);
    }
    if (answer.status < 200 || answer.status >= 300) throw await ApiError.fromResponse(asResponse(answer));
    return (answer.text ? JSON.parse(answer.text) : undefined) as T;
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
