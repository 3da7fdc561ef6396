import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { MESSAGES } from './index';

// Every word the portal shows goes through the catalogue. Two scans of the sources with the
// TypeScript compiler: the keys they ask for exist in English, and no text a person reads is
// written in a component (JSX text, the props that are read out or shown, toasts).

const frontend = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.next', 'ui' /* generated shadcn/ui, no words of its own */]);

function sources(directory: string, found: string[] = []): string[] {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) sources(path.join(directory, entry.name), found);
    } else if (/\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name)) {
      found.push(path.join(directory, entry.name));
    }
  }
  return found;
}

const files = ['app', 'components', 'lib'].flatMap((folder) => sources(path.join(frontend, folder)));
const parsed = files.map((file) => ({ file: path.relative(frontend, file), source: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS) }));
const where = (source: ts.SourceFile, node: ts.Node) => `${path.relative(frontend, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

type Tree = { [key: string]: string | Tree };
const keysOf = (tree: Tree, prefix = ''): string[] => Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`)));
const ENGLISH_KEYS = new Set(keysOf(MESSAGES.en));
function lookup(key: string): string | Tree | undefined {
  let node: string | Tree | undefined = MESSAGES.en;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return node;
}

/** `useTranslations('ns')`, `await getTranslations('ns')`, a `Words<'ns'>` parameter: the namespace a translator reads. */
function namespaceOf(node: ts.Node): string | undefined {
  let expression = node;
  if (ts.isAwaitExpression(expression)) expression = expression.expression;
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && ['useTranslations', 'getTranslations'].includes(expression.expression.text)) {
    const [argument] = expression.arguments;
    if (!argument) return '';
    return ts.isStringLiteral(argument) ? argument.text : undefined;
  }
  return undefined;
}

describe('the sources and the catalogue', () => {
  test('when a component asks for a message, then English has it', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { source } of parsed) {
      const translators = new Map<string, string>();
      const visit = (node: ts.Node) => {
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
          const namespace = namespaceOf(node.initializer);
          if (namespace !== undefined) translators.set(node.name.text, namespace);
        }
        if ((ts.isParameter(node) || ts.isPropertySignature(node)) && node.type && ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'Words') {
          const [argument] = node.type.typeArguments ?? [];
          const name = ts.isIdentifier(node.name) ? node.name.text : undefined;
          if (name && argument && ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) translators.set(name, argument.literal.text);
        }
        if (ts.isCallExpression(node)) {
          let callee = node.expression;
          if (ts.isPropertyAccessExpression(callee) && ['rich', 'markup', 'raw', 'has'].includes(callee.name.text)) callee = callee.expression;
          const namespace = ts.isIdentifier(callee) ? translators.get(callee.text) : undefined;
          const [argument] = node.arguments;
          if (namespace !== undefined && argument) {
            const prefix = namespace ? `${namespace}.` : '';
            if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
              checked++;
              if (typeof lookup(prefix + argument.text) !== 'string') missing.push(`${where(source, node)} ${prefix}${argument.text}`);
            } else if (ts.isTemplateExpression(argument)) {
              // `status.${status}`: the part before the first substitution names a group of messages
              // (`status.`) or begins some message's key (`word${n}`).
              checked++;
              const head = argument.head.text;
              const found = head.endsWith('.') ? typeof lookup(prefix + head.slice(0, -1)) === 'object' : [...ENGLISH_KEYS].some((key) => key.startsWith(prefix + head));
              if (head && !found) missing.push(`${where(source, node)} ${prefix}${head}…`);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    assert.ok(checked > 50, `only ${checked} translations found: the scan is broken`);
    assert.deepEqual(missing, [], 'keys the sources use that English does not have');
  });

  test('when a component shows text, then it comes from the catalogue', () => {
    const found = untranslated();
    const stillListed = [...NOT_YET_TRANSLATED].filter((file) => !found.some((finding) => finding.startsWith(`${file}:`)));
    const outside = found.filter((finding) => !NOT_YET_TRANSLATED.has(finding.slice(0, finding.indexOf(':'))));
    assert.deepEqual(outside, [], 'text written in components rather than in messages/<locale>/*.json');
    assert.deepEqual(stillListed, [], 'files translated since: take them off NOT_YET_TRANSLATED');
  });
});

/** Props whose text a person reads or hears. */
const TEXT_PROPS = new Set(['placeholder', 'aria-label', 'aria-description', 'aria-valuetext', 'title', 'label', 'alt', 'description', 'hint', 'cancelLabel', 'confirmLabel', 'emptyTitle', 'tooltip']);
/** Words that are the same in every language: names of the product and of languages, units. */
const ALLOWED = new Set(['Service Desk', 'English', 'Deutsch', 'SLA', 'MTTA', 'MTTR', 'CSV', 'CSAT', 'API', 'JSON', 'ID', 'URL', 'ms']);
const hasWords = (text: string) => /\p{L}{2,}/u.test(text) && !ALLOWED.has(text.trim());

function untranslated(): string[] {
  const found: string[] = [];
  for (const { file, source } of parsed) {
    if (!file.endsWith('.tsx')) continue;
    const report = (node: ts.Node, text: string) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${JSON.stringify(text.trim().slice(0, 60))}`);
    const literalText = (node: ts.Node | undefined): string | null => {
      if (!node) return null;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
      if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
      if (ts.isConditionalExpression(node)) return [literalText(node.whenTrue), literalText(node.whenFalse)].filter(Boolean).join(' ') || null;
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return literalText(node.right);
      return null;
    };
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
      else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
        const text = literalText(node.expression);
        if (text && hasWords(text)) report(node, text);
      } else if (ts.isJsxAttribute(node) && TEXT_PROPS.has(node.name.getText())) {
        const value = node.initializer;
        const text = value && ts.isStringLiteral(value) ? value.text : value && ts.isJsxExpression(value) ? literalText(value.expression) : null;
        if (text && hasWords(text)) report(node, text);
      } else if (ts.isCallExpression(node) && /^toast(\.\w+)?$/.test(node.expression.getText())) {
        const text = literalText(node.arguments[0]);
        if (text && hasWords(text)) report(node, text);
        const options = node.arguments[1];
        if (options && ts.isObjectLiteralExpression(options)) {
          for (const property of options.properties) {
            if (ts.isPropertyAssignment(property) && property.name.getText() === 'description') {
              const description = literalText(property.initializer);
              if (description && hasWords(description)) report(property, description);
            }
          }
        }
      }
      else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && looksLikeProse(node)) report(node, node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * Any other string that reads as words for people ("Choose a category", "Any status"): two or
 * more words, the first capitalised, outside imports, class names, keys and test ids. It catches
 * text kept in constants and helpers rather than written in JSX.
 */
function looksLikeProse(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): boolean {
  if (!/^[\p{Lu}][\p{Ll}’']*[,:]? [\p{L}]/u.test(node.text)) return false;
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return false;
  if (ts.isJsxAttribute(parent) && !TEXT_PROPS.has(parent.name.getText())) return false;
  if (ts.isPropertyAssignment(parent) && ['className', 'key', 'queryKey', 'id'].includes(parent.name.getText())) return false;
  // A refinement's English fallback whose words the form takes from the catalogue (`params: { validation }`).
  if (ts.isPropertyAssignment(parent) && parent.name.getText() === 'error' && ts.isObjectLiteralExpression(parent.parent) && parent.parent.properties.some((property) => property.name?.getText() === 'params')) return false;
  // Handled above (JSX children, text props, toasts): reported once.
  if (ts.isJsxAttribute(parent) || ts.isJsxExpression(parent)) return false;
  if (ts.isCallExpression(parent) && /^toast(\.\w+)?$/.test(parent.expression.getText())) return false;
  // Telemetry span names and errors for developers are not shown to people.
  if (ts.isCallExpression(parent) && ['traceAction', 'Error'].some((name) => parent.expression.getText().endsWith(name))) return false;
  if (ts.isNewExpression(parent)) return false;
  return true;
}

/**
 * Areas whose words are still written in English in the component; each leaves this list when
 * it is translated (the test above fails while a translated file stays listed).
 */
const NOT_YET_TRANSLATED = new Set<string>([
]);
