import { STATUS_CODES } from 'node:http';
import { PROBLEM_CATALOG, PROBLEM_CONTENT_TYPE, problemTypeFor, type ProblemDetails } from '@desk/contracts';
import { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { type Logger } from 'pino';
import { z } from 'zod';
import { AppError, validationFailed } from './errors.js';
import { currentContext } from './logger.js';

const UNEXPECTED_DETAIL = 'An unexpected error occurred; quote the requestId when reporting it.';

/** Key under `res.locals` where the handler leaves the problem code for the access log. */
export const PROBLEM_CODE_LOCAL = 'problemCode';


function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} kB`;
  return `${bytes} bytes`;
}

/** The fields body-parser and http-errors put on the errors they raise. */
interface HttpLikeError {
  type?: unknown;
  body?: unknown;
  status?: unknown;
  expose?: unknown;
  limit?: unknown;
  encoding?: unknown;
  charset?: unknown;
  message?: unknown;
}

/**
 * body-parser's strict mode refuses a body that is valid JSON but not an object or array with
 * the same error as broken JSON; which of the two it was, for the message: "a string", "null".
 */
function jsonPrimitiveKind(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(body);
    if (value === null) return 'null';
    if (typeof value === 'object') return undefined;
    return `a ${typeof value}`;
  } catch {
    return undefined;
  }
}

function clientErrorFromHttpLikeError(error: HttpLikeError): AppError | undefined {
  const status = typeof error.status === 'number' ? error.status : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  switch (error.type) {
    case 'entity.parse.failed': {
      const primitive = jsonPrimitiveKind(error.body);
      if (primitive) {
        return AppError.badRequest('VALIDATION.FAILED', `The request body is JSON, but ${primitive}; send a JSON object.`, {
          cause: error,
          errors: [{ location: 'body', path: '', message: `Expected a JSON object, received ${primitive}` }],
        });
      }
      return AppError.badRequest('HTTP.MALFORMED_JSON', `The request body is not valid JSON: ${message}`, {
        cause: error,
      });
    }
    case 'entity.too.large': {
      const limit = typeof error.limit === 'number' ? ` of ${formatBytes(error.limit)}` : '';
      return new AppError({
        status: 413,
        code: 'HTTP.PAYLOAD_TOO_LARGE',
        detail: `The request body is larger than the limit${limit}.`,
        cause: error,
      });
    }
    case 'parameters.too.many':
      return new AppError({
        status: 413,
        code: 'HTTP.PAYLOAD_TOO_LARGE',
        detail: 'The request body has too many form parameters.',
        cause: error,
      });
    case 'encoding.unsupported':
      return new AppError({
        status: 415,
        code: 'HTTP.UNSUPPORTED_ENCODING',
        detail: `Content-Encoding "${String(error.encoding)}" is not supported; send identity, gzip, deflate or br.`,
        cause: error,
      });
    case 'charset.unsupported':
      return new AppError({
        status: 415,
        code: 'HTTP.UNSUPPORTED_CHARSET',
        detail: `Charset "${String(error.charset)}" is not supported; send UTF-8.`,
        cause: error,
      });
    default:
      // http-errors marks 4xx messages as safe to show (`expose`); the rest get the reason phrase
      return new AppError({
        status,
        code: 'HTTP.BAD_REQUEST',
        detail: error.expose === true && message ? message : (STATUS_CODES[status] ?? 'Bad Request'),
        cause: error,
      });
  }
}

/**
 * PostgreSQL's refusal of text it cannot store (a NUL character, or bytes its encoding cannot
 * hold: SQLSTATE 22021 and 22P05). parseInput refuses NUL in every request part it checks, naming
 * the field; this keeps anything that reaches the database another way a client error as well.
 */
function unstorableTextError(error: object): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  if (code !== '22021' && code !== '22P05') return undefined;
  return AppError.badRequest('VALIDATION.UNSTORABLE_TEXT', 'The request holds a character that cannot be stored (such as U+0000); remove it and try again.', { cause: error });
}

/**
 * What the client is told about `error`. Anything that is not an AppError, a known client
 * error from the HTTP layer or a stray ZodError is unexpected: the client gets a generic 500
 * and the details go to the log only.
 */
export function toAppError(error: unknown): { appError: AppError; expected: boolean } {
  if (error instanceof AppError) return { appError: error, expected: true };
  // $ZodError also matches errors from zod/mini and from another copy of zod in node_modules
  if (error instanceof z.core.$ZodError) return { appError: validationFailed(error, 'body'), expected: true };
  if (typeof error === 'object' && error !== null) {
    const clientError = clientErrorFromHttpLikeError(error);
    if (clientError) return { appError: clientError, expected: true };
    const unstorable = unstorableTextError(error);
    if (unstorable) return { appError: unstorable, expected: true };
  }
  const appError = new AppError({ status: 500, code: 'INTERNAL.UNEXPECTED', detail: UNEXPECTED_DETAIL, cause: error });
  return { appError, expected: false };
}

export function sendProblem(response: Response, appError: AppError, requestId: string | undefined): void {
  const body: ProblemDetails = {
    // Extension members first: they can never replace a standard member.
    ...appError.extensions,
    type: problemTypeFor(appError.code),
    title: PROBLEM_CATALOG[appError.code].title,
    status: appError.status,
    detail: appError.detail,
    // RFC 9457 §3.1.5: this occurrence — the resource asked for (its path; the query may hold
    // what a client would not want repeated in logs); `requestId` names the request itself.
    ...(response.req?.originalUrl ? { instance: response.req.originalUrl.split('?')[0] } : {}),
    code: appError.code,
    ...(requestId === undefined ? {} : { requestId }),
    ...(appError.errors === undefined ? {} : { errors: appError.errors }),
  };
  response.locals[PROBLEM_CODE_LOCAL] = appError.code;
  if (appError.headers) response.set(appError.headers);
  response.status(appError.status).set('Content-Type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * The last middleware: turns anything thrown into application/problem+json (RFC 9457,
 * https://www.rfc-editor.org/rfc/rfc9457). Never a stack trace or an internal message in the
 * response; unexpected errors are logged with their stack instead.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      // Too late for a problem body: Express's final handler destroys the connection so the
      // client sees a truncated response instead of a wrong one.
      logger.error({ err: error }, 'request failed after the response started');
      next(error);
      return;
    }
    const { appError, expected } = toAppError(error);
    if (!expected) {
      logger.error({ err: error, method: request.method, path: request.path }, 'unexpected error handling request');
    } else if (appError.status >= 500) {
      logger.error({ err: appError, code: appError.code }, appError.detail);
    }
    sendProblem(response, appError, currentContext()?.requestId ?? response.get('X-Request-Id'));
  };
}

/**
 * The last route: a path the API documents, asked for with a method it does not take, is a 405
 * with `Allow` (RFC 9110 §15.5.6); anything else a 404 problem, never Express's HTML page. `paths` are OpenAPI path templates with
 * their methods (`/incidents/{id}` → get, patch).
 */
export function notFoundHandler(paths: ReadonlyMap<string, readonly string[]> = new Map()): RequestHandler {
  const templates = templatesOf(paths);
  return (request, _response, next) => next(routeProblem(templates, request.method, request.path));
}

interface PathTemplate {
  pattern: RegExp;
  methods: Set<string>;
  allow: string;
}

function templatesOf(paths: ReadonlyMap<string, readonly string[]>): PathTemplate[] {
  return [...paths].map(([template, methods]) => {
    const allowed = [...new Set(methods.map((method) => method.toUpperCase()).flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])))];
    return {
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}/?$`),
      methods: new Set(allowed),
      allow: allowed.join(', '),
    };
  });
}

/** 405 with `Allow` for a documented path asked for with another method; 404 for any other path. */
function routeProblem(templates: readonly PathTemplate[], method: string, path: string): AppError {
  const documented = templates.find((template) => template.pattern.test(path));
  if (documented) {
    return new AppError({
      status: 405,
      code: 'HTTP.METHOD_NOT_ALLOWED',
      detail: `${path} does not take ${method}; it takes ${documented.allow}.`,
      headers: { Allow: documented.allow },
    });
  }
  return AppError.notFound('HTTP.NOT_FOUND', `No route matches ${method} ${path}.`);
}

/**
 * Before the service's own routes and their guards: a request for a route the API does not
 * document is answered 404 (or 405) at once, so a caller learns that the route does not exist
 * rather than that it lacks the role for it (a 403, or a 401, from a guard mounted on a prefix).
 * Paths under `passThrough` (`/internal`: its own token guards it) go on to the routes.
 */
export function undocumentedRouteGuard(paths: ReadonlyMap<string, readonly string[]>, passThrough: readonly string[] = ['/internal']): RequestHandler {
  const templates = templatesOf(paths);
  return (request, _response, next) => {
    const { method, path } = request;
    if (method === 'OPTIONS' || passThrough.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return next();
    if (templates.some((template) => template.methods.has(method) && template.pattern.test(path))) return next();
    next(routeProblem(templates, method, path));
  };
}
