import { isProblemCode, jsonPointer, type FieldIssue, type ProblemCode } from '@desk/contracts';
import type { z } from 'zod';

/** Where in a request an input was found; the `location` of each reported field issue. */
export type InputLocation = FieldIssue['location'];

/**
 * Same rule as `problemDetailsSchema.code` in the contracts: `AREA.NAME` in upper snake case.
 * Clients switch on the code because `instanceof` does not survive a network hop, so a code
 * that does not fit the contract is a programming error caught at construction.
 */
const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/;

export interface AppErrorInit {
  /**
   * Stable namespaced code that clients switch on, e.g. `USER.EMAIL_TAKEN`; one of the
   * problem catalogue's (packages/contracts/src/problem-catalog.ts), whose page its `type` names.
   */
  code: ProblemCode;
  /** HTTP status, 400 to 599. */
  status: number;
  /** Human-readable explanation of this occurrence; becomes the problem's `detail`. */
  detail: string;
  /** Field-level issues, for validation failures. */
  errors?: FieldIssue[];
  /** Response headers that belong to the error, e.g. `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** Members the problem carries besides the standard ones (RFC 9457 §3.2), e.g. a sign-in's `challengeToken`. */
  extensions?: Record<string, string | number>;
  cause?: unknown;
}

/** What the factory helpers accept besides the code and the detail. */
export type AppErrorExtras = Pick<AppErrorInit, 'errors' | 'headers' | 'extensions' | 'cause'>;

/**
 * The one error type use cases throw for outcomes the client should hear about; the HTTP error
 * handler turns it into application/problem+json. Anything else thrown is an unexpected 500.
 */
export class AppError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: FieldIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly extensions: Record<string, string | number> | undefined;

  constructor({ code, status, detail, errors, headers, extensions, cause }: AppErrorInit) {
    super(detail, cause === undefined ? undefined : { cause });
    if (!ERROR_CODE_PATTERN.test(code)) {
      throw new TypeError(`AppError code "${code}" must look like AREA.NAME in upper snake case`);
    }
    // Callers outside the type checker (JavaScript, casts) could still pass another code.
    if (!isProblemCode(code)) {
      throw new TypeError(`AppError code "${code as string}" is not in the problem catalogue (packages/contracts/src/problem-catalog.ts); add its entry`);
    }
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`AppError status ${status} must be an HTTP error status from 400 to 599`);
    }
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.errors = errors;
    this.headers = headers;
    this.extensions = extensions;
  }

  /** The problem's `detail`: the message, under the name RFC 9457 gives it. */
  get detail(): string {
    return this.message;
  }

  static badRequest(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 400 });
  }

  static unauthorized(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 401 });
  }

  static forbidden(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 403 });
  }

  static notFound(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 404 });
  }

  static conflict(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 409 });
  }

  static preconditionFailed(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 412 });
  }

  static unprocessable(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 422 });
  }

  /** 429; `retryAfterSeconds` becomes the Retry-After header clients and proxies honour. */
  static tooManyRequests(
    code: ProblemCode,
    detail: string,
    { retryAfterSeconds, ...extras }: AppErrorExtras & { retryAfterSeconds?: number } = {},
  ): AppError {
    const headers =
      retryAfterSeconds === undefined
        ? extras.headers
        : { ...extras.headers, 'Retry-After': String(Math.max(0, Math.ceil(retryAfterSeconds))) };
    return new AppError({ ...extras, headers, code, detail, status: 429 });
  }

  static payloadTooLarge(detail: string): AppError {
    return new AppError({ code: 'HTTP.PAYLOAD_TOO_LARGE', detail, status: 413 });
  }

  /** 502: an upstream answered with something that is not an HTTP response, or broke off. */
  static badGateway(upstream: string): AppError {
    return new AppError({ code: 'GATEWAY.BAD_UPSTREAM_RESPONSE', detail: `${upstream}-service failed to answer properly; try again.`, status: 502 });
  }

  static serviceUnavailable(code: ProblemCode, detail: string, extras: AppErrorExtras = {}): AppError {
    return new AppError({ ...extras, code, detail, status: 503 });
  }

  /** 504: an upstream did not start answering in time. */
  static gatewayTimeout(upstream: string, timeoutMs: number): AppError {
    return new AppError({ code: 'GATEWAY.UPSTREAM_TIMEOUT', detail: `${upstream}-service did not answer within ${timeoutMs} ms; try again.`, status: 504 });
  }
}

function pointerTo(path: readonly PropertyKey[]): string {
  return jsonPointer(path.map((segment) => (typeof segment === 'symbol' ? (segment.description ?? '') : segment)));
}

/**
 * One issue per invalid field. Zod reports all unknown keys of a strict object as a single
 * issue; clients fix fields one at a time, so each unknown key gets an entry of its own.
 */
export function fieldIssuesOf(error: z.core.$ZodError, location: InputLocation): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        location,
        path: pointerTo([...issue.path, key]),
        message: `Unknown field "${key}"`,
      }));
    }
    return [{ location, path: pointerTo(issue.path), message: issue.message }];
  });
}

/** A 400 `VALIDATION.FAILED` naming every invalid field of one part of the request. */
export function validationFailed(error: z.core.$ZodError, location: InputLocation): AppError {
  return invalidFields(fieldIssuesOf(error, location), location, error);
}

function invalidFields(errors: FieldIssue[], location: InputLocation, cause?: unknown): AppError {
  const fields = errors.length === 1 ? '1 field' : `${errors.length} fields`;
  return new AppError({
    code: 'VALIDATION.FAILED',
    status: 400,
    detail: `The request ${location} is invalid: ${fields} failed validation.`,
    errors,
    ...(cause === undefined ? {} : { cause }),
  });
}

const NUL = '\u0000';
export const NUL_CHARACTER_MESSAGE = 'Must not contain the NUL character (U+0000)';

/**
 * Every string in the input (keys included) that holds U+0000. PostgreSQL cannot store it in
 * text, so it is refused here, once for every route, naming the field, rather than failing in
 * the database as a 500.
 */
function nulCharacterIssues(value: unknown, location: InputLocation, path: PropertyKey[] = [], found: FieldIssue[] = []): FieldIssue[] {
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ location, path: pointerTo(path), message: NUL_CHARACTER_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulCharacterIssues(item, location, [...path, index], found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) found.push({ location, path: pointerTo([...path, key]), message: NUL_CHARACTER_MESSAGE });
      else nulCharacterIssues(item, location, [...path, key], found);
    }
  }
  return found;
}

/**
 * Zod's default for a missing value reads "expected string, received undefined"; a client
 * learns more from "Required". Messages the contract schemas set themselves take precedence.
 */
const inputErrorMessages: z.core.$ZodErrorMap = (issue) =>
  issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value') ? 'Required' : undefined;

/**
 * Validates one part of a request (body, query, params, headers) against its contract schema
 * and returns the parsed value, or throws a 400 `VALIDATION.FAILED` naming every bad field.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  location: InputLocation,
): z.output<Schema> {
  const withNul = nulCharacterIssues(value, location);
  if (withNul.length > 0) throw invalidFields(withNul, location);
  const result = schema.safeParse(value, { error: inputErrorMessages });
  if (!result.success) throw validationFailed(result.error, location);
  return result.data;
}
