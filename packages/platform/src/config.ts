import { z } from 'zod';
import { exampleValueProblems } from './example-values.js';

/**
 * Thrown by `loadConfig` when the environment does not fit the service's schema. The message
 * is one line naming every bad variable, so an operator fixes them all in one restart.
 */
export class ConfigError extends Error {
  /** One entry per problem, e.g. `PORT must be an integer from 0 to 65535 (got "abc")`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Quotes the offending value so the operator sees what the process received, with any
 * password in a connection string masked: these messages end up in deployment logs.
 */
function quoteReceived(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const masked = text.replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/, '$1***@');
  const shortened = masked.length > 80 ? `${masked.slice(0, 77)}...` : masked;
  return JSON.stringify(shortened);
}

function mustBe(expected: string, received: unknown): string {
  return `must be ${expected} (got ${quoteReceived(received)})`;
}

/**
 * A variable read as a string and converted by `convert`, which returns undefined when the text
 * does not fit. Every message follows one shape ("is required (...)", "must be ... (got ...)"),
 * so `loadConfig` only has to put the variable's name in front.
 */
function variable<Output>(expected: string, convert: (text: string) => Output | undefined) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is required (${expected})` : mustBe(expected, issue.input)),
    })
    .transform((text, context): Output => {
      const converted = convert(text.trim());
      if (converted === undefined) {
        context.addIssue({ code: 'custom', message: mustBe(expected, text), input: text });
        return z.NEVER;
      }
      return converted;
    });
}

function parseInteger(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function describeIntegerRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
  if (min !== undefined) return `an integer of at least ${min}`;
  if (max !== undefined) return `an integer of at most ${max}`;
  return 'an integer';
}

function parseUrlWithProtocol(text: string, protocols: readonly string[]): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (!protocols.includes(url.protocol) || url.hostname === '') return undefined;
  return text;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Builders for environment variables with messages an operator can act on. A field with a
 * default is optional; one without is required unless the service adds `.optional()`.
 */
export const configFields = {
  integer({ min, max, default: defaultValue }: { min?: number; max?: number; default?: number } = {}) {
    const field = variable(describeIntegerRange(min, max), (text) => {
      const value = parseInteger(text);
      if (value === undefined) return undefined;
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) return undefined;
      return value;
    });
    return defaultValue === undefined ? field : field.default(defaultValue);
  },

  /** A TCP port; 0 asks the OS for a free one, which tests use. */
  port(defaultPort: number) {
    return configFields.integer({ min: 0, max: 65535, default: defaultPort });
  },

  postgresUrl() {
    return variable('a postgres:// connection string', (text) =>
      parseUrlWithProtocol(text, ['postgres:', 'postgresql:']),
    );
  },

  amqpUrl() {
    return variable('an amqp:// or amqps:// URL', (text) => parseUrlWithProtocol(text, ['amqp:', 'amqps:']));
  },

  /** A prefix for exchange and queue names (`staging.`): environments sharing one broker stay apart. */
  brokerNamespace() {
    return z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { error: 'must be letters, digits, dots, dashes or underscores, such as "staging."' })
      .optional();
  },

  /** An absolute URL, http(s) unless other protocols are named (`['ws:', 'wss:']`). */
  url(protocols: readonly string[] = ['http:', 'https:']) {
    const names = protocols.map((protocol) => `${protocol}//`).join(' or ');
    return variable(`an absolute ${names} URL`, (text) => parseUrlWithProtocol(text, protocols));
  },

  /** Accepts true/false, 1/0 and yes/no in any case, the spellings people put in env files. */
  boolean(defaultValue: boolean) {
    return variable('true or false (also 1/0, yes/no)', (text) => {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return undefined;
    }).default(defaultValue);
  },

  /** Milliseconds: a plain integer (`10000`) or a number with a unit (`500ms`, `10s`, `2m`, `1h`, `30d`). */
  durationMs(defaultMs: number) {
    return variable('a duration in milliseconds such as 10000, or with a unit: 500ms, 10s, 2m, 1h, 30d', (text) => {
      const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.toLowerCase());
      if (!match) return undefined;
      const value = Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 'ms'] ?? 1);
      return Number.isSafeInteger(value) ? value : undefined;
    }).default(defaultMs);
  },

  /** A size in the notation Express body limits take: `100kb`, `1mb`, or a number of bytes. */
  byteSize(defaultSize: string) {
    return variable('a size such as 512kb, 1mb or a number of bytes', (text) =>
      /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(text) ? text.toLowerCase().replace(/\s+/g, '') : undefined,
    ).default(defaultSize);
  },

  /**
   * `iss` of every access token: the platform's public base URL (the gateway as clients reach
   * it), which is also the OAuth authorization server's issuer its metadata names (RFC 8414:
   * `<issuer>/.well-known/oauth-authorization-server`). Identity-service and every verifier
   * must agree on it exactly.
   */
  issuer() {
    return configFields
      .url()
      .default('http://localhost:8080')
      .transform((url) => url.replace(/\/+$/, ''));
  },

  logLevel(defaultLevel: LogLevel = 'info') {
    return configFields.enum(LOG_LEVELS, defaultLevel);
  },

  enum<const Value extends string>(values: readonly [Value, ...Value[]], defaultValue?: Value) {
    const expected = `one of ${values.join(', ')}`;
    const field = z.enum(values, {
      error: (issue) => (issue.input === undefined ? `is required (${expected})` : mustBe(expected, issue.input)),
    });
    return defaultValue === undefined ? field : field.default(defaultValue);
  },
};

/** What every service reads; each service extends it with its own variables. */
export const baseConfigSchema = z.object({
  NODE_ENV: configFields.enum(['development', 'test', 'production'], 'development'),
  LOG_LEVEL: configFields.logLevel('info'),
  SHUTDOWN_TIMEOUT_MS: configFields.durationMs(10_000),
  /**
   * On SIGTERM, how long to keep serving while readiness already fails, so that load balancers
   * stop sending requests before the listener closes. 0 where something else waits (Kubernetes'
   * preStop pause).
   */
  SHUTDOWN_DRAIN_MS: configFields.durationMs(0),
  BODY_LIMIT: configFields.byteSize('1mb'),
  OTEL_EXPORTER_OTLP_ENDPOINT: configFields.url().optional(),
});
export type BaseConfig = z.output<typeof baseConfigSchema>;

/**
 * Messages for schemas a service writes with plain zod (e.g. `z.string().min(32)`), in the
 * same "is required" / "must be ..." shape as `configFields`; messages set by the schema itself
 * take precedence. They do not quote the value received: such a schema often guards a secret.
 */
const configErrorMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return 'is required';
  }
  const unit = issue.origin === 'string' ? ' characters long' : '';
  switch (issue.code) {
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${unit}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${unit}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};

/**
 * An empty assignment (`PORT=` in an env file or compose template) means "not set": treating
 * it as the empty string would turn a harmless blank into a confusing type error.
 */
function withoutBlankValues(env: Record<string, string | undefined>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  return present;
}

/**
 * Parses the environment with the service's schema, once at boot. Throws `ConfigError` naming
 * every bad variable — in production also every variable holding a value this repository
 * publishes as an example (`change-me…`, the demo passwords); use `loadConfigOrExit` in `main.ts`.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const present = withoutBlankValues(env);
  const result = schema.safeParse(present, { error: configErrorMessages });
  if (result.success) {
    // In production, nothing the repository publishes as an example may guard anything.
    const examples = (result.data as { NODE_ENV?: string }).NODE_ENV === 'production' ? exampleValueProblems(Object.keys(schema.shape), present) : [];
    if (examples.length > 0) throw new ConfigError(examples);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    return name === '' ? issue.message : `${name} ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * `loadConfig` for `main.ts`: a bad configuration prints its one-line message to stderr and
 * exits with status 1. A stack trace would bury the variable names the operator needs.
 */
export function loadConfigOrExit<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Express notation (`1mb`, `512kb`, a number of bytes), as configFields.byteSize keeps it, to bytes. */
export function parseByteSize(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(size.trim());
  if (!match) throw new Error(`not a size: ${size}`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(match[1]) * unit);
}

/** Bytes as people read them in a message: `25 MB`, `512 KB`, `900 bytes` (binary units, as parseByteSize counts). */
export function formatByteSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
