/**
 * The parts of Compose that decide what a container receives, re-implemented for the checks:
 * variable interpolation (https://docs.docker.com/reference/compose-file/interpolation/) and
 * the `.env` file format. Small enough to read, and tested in interpolation.test.ts.
 */

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

export type Variables = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', '-', ':?', '?', ':+', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/** The text of a `${...}` expression from just after `${`, up to its matching `}` (defaults nest). */
function braced(text: string, start: number): { body: string; end: number } {
  let depth = 1;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (character === '$' && text[index + 1] === '{') {
      depth += 1;
      index += 1;
    } else if (character === '}') {
      depth -= 1;
      if (depth === 0) return { body: text.slice(start, index), end: index + 1 };
    }
  }
  throw new InterpolationError(`unclosed \${ in "${text}"`);
}

function evaluate(body: string, variables: Variables, whole: string): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`invalid variable name in "\${${body}}" of "${whole}"`);
  const rest = body.slice(name.length);
  const value = variables[name];
  if (rest === '') return value ?? '';
  const operator = OPERATORS.find<Operator>((candidate): candidate is Operator => rest.startsWith(candidate));
  if (!operator) throw new InterpolationError(`unknown modifier in "\${${body}}" of "${whole}"`);
  const argument = () => interpolate(rest.slice(operator.length), variables);
  const unsetOrEmpty = value === undefined || value === '';
  switch (operator) {
    case ':-':
      return unsetOrEmpty ? argument() : value;
    case '-':
      return value === undefined ? argument() : value;
    case ':?':
      if (unsetOrEmpty) throw new InterpolationError(`required variable ${name} is missing a value: ${argument()}`);
      return value;
    case '?':
      if (value === undefined) throw new InterpolationError(`required variable ${name} is missing a value: ${argument()}`);
      return value;
    case ':+':
      return unsetOrEmpty ? '' : argument();
    case '+':
      return value === undefined ? '' : argument();
  }
}

/** Replaces `$NAME`, `${NAME}` and `${NAME:-default}` (and the other modifiers); `$$` is a `$`. */
export function interpolate(text: string, variables: Variables): string {
  let result = '';
  for (let index = 0; index < text.length; ) {
    const character = text[index];
    if (character !== '$') {
      result += character;
      index += 1;
      continue;
    }
    const next = text[index + 1];
    if (next === '$') {
      result += '$';
      index += 2;
    } else if (next === '{') {
      const { body, end } = braced(text, index + 2);
      result += evaluate(body, variables, text);
      index = end;
    } else {
      const name = NAME.exec(text.slice(index + 1))?.[0];
      if (name) {
        result += variables[name] ?? '';
        index += 1 + name.length;
      } else {
        result += '$';
        index += 1;
      }
    }
  }
  return result;
}

/** Every variable name a text refers to, in defaults too (`${A:-${B}}` names A and B). */
export function referencedVariables(text: string): Set<string> {
  const names = new Set<string>();
  const collect = (value: string) => {
    for (let index = 0; index < value.length; index += 1) {
      if (value[index] !== '$') continue;
      const next = value[index + 1];
      if (next === '$') {
        index += 1;
      } else if (next === '{') {
        const { body, end } = braced(value, index + 2);
        const name = NAME.exec(body)?.[0];
        if (name) {
          names.add(name);
          const operator = OPERATORS.find((candidate) => body.slice(name.length).startsWith(candidate));
          if (operator) collect(body.slice(name.length + operator.length));
        }
        index = end - 1;
      } else {
        const name = NAME.exec(value.slice(index + 1))?.[0];
        if (name) names.add(name);
      }
    }
  };
  collect(text);
  return names;
}

/** Applies `interpolate` to every string value of a parsed YAML tree (keys stay as written). */
export function interpolateTree(value: unknown, variables: Variables): unknown {
  if (typeof value === 'string') return interpolate(value, variables);
  if (Array.isArray(value)) return value.map((entry) => interpolateTree(entry, variables));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, interpolateTree(entry, variables)]));
  }
  return value;
}

/** Every string value of a parsed YAML tree, for `referencedVariables`. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * Reads a `.env` file: `NAME=value` lines, `#` comments and blank lines, an optional `export `,
 * values in single quotes (literal) or double quotes (with \n escapes), or bare (trimmed, and
 * ended by ` #` comments). Unlike compose, values are not interpolated: ours need not be.
 */
export function parseEnvFile(text: string, source = '.env'): Record<string, string> {
  const variables: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, lineIndex) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!match) throw new Error(`${source}:${lineIndex + 1}: expected NAME=value, got "${trimmed}"`);
    const [, name = '', raw = ''] = match;
    let value: string;
    if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1);
      if (end === -1) throw new Error(`${source}:${lineIndex + 1}: unclosed single quote`);
      value = raw.slice(1, end);
    } else if (raw.startsWith('"')) {
      const close = raw.slice(1).search(/(?<!\\)"/);
      if (close === -1) throw new Error(`${source}:${lineIndex + 1}: unclosed double quote`);
      value = raw.slice(1, close + 1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = raw.replace(/\s+#.*$/, '').trim();
    }
    variables[name] = value;
  });
  return variables;
}
