import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LOCALES } from '@desk/contracts';
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES, translator, type MessageKey } from './catalogue.js';
import { en } from './en.js';

/** Messages German may say as English does, because the word is the same. */
const SAME_AS_ENGLISH: Partial<Record<string, readonly MessageKey[]>> = {
  de: ['mail.status', 'rating.3'],
};

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** Each placeholder of a message by name with its kind (plain, plural, select…), nested ones included. */
function placeholders(ast: Ast, found = new Map<string, number>()): Map<string, number> {
  for (const element of ast) {
    const kind = Number(element.type); // the parser's TYPE enum: 0 literal text, 1 a plain {name}…
    if ('value' in element && typeof element.value === 'string' && kind !== 0) found.set(element.value, kind);
    if ('options' in element) for (const option of Object.values(element.options)) placeholders(option.value, found);
    if ('children' in element) placeholders(element.children, found);
  }
  return found;
}

const KINDS: Record<number, string> = { 2: ' (number)', 3: ' (date)', 4: ' (time)', 5: ' (select)', 6: ' (plural)' };
const described = (found: Map<string, number>) => [...found].map(([name, kind]) => `{${name}}${KINDS[kind] ?? ''}`).sort().join(', ');

const parse = (message: string, locale: string) => new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst();
const keys = Object.keys(en) as MessageKey[];

describe('the message catalogue', () => {
  for (const locale of LOCALES) {
    test(`${locale}: every message is there, filled in, and uses the placeholders English uses`, () => {
      const catalogue = CATALOGUES[locale];
      assert.ok(catalogue, `no catalogue for ${locale}`);
      const problems: string[] = [];
      for (const key of keys) {
        const message = (catalogue as Record<string, string | undefined>)[key];
        if (message === undefined) {
          problems.push(`${key}: missing`);
          continue;
        }
        if (message.trim() === '') {
          problems.push(`${key}: empty`);
          continue;
        }
        let ast: Ast;
        try {
          ast = parse(message, locale);
        } catch (error) {
          problems.push(`${key}: not a valid message (${(error as Error).message})`);
          continue;
        }
        const expected = described(placeholders(parse(en[key], 'en')));
        const actual = described(placeholders(ast));
        if (actual !== expected) problems.push(`${key}: placeholders ${actual || 'none'}, English has ${expected || 'none'}`);
        if (locale !== 'en' && message === en[key] && !SAME_AS_ENGLISH[locale]?.includes(key)) problems.push(`${key}: still English`);
      }
      for (const key of Object.keys(catalogue)) if (!(key in en)) problems.push(`${key}: not in the English catalogue`);
      assert.deepEqual(problems, []);
    });
  }

  test('a person who chose no language reads English; German dates, percentages and durations come from Intl', () => {
    assert.equal(translator(null).locale, 'en');
    assert.equal(translator(undefined).t('status.IN_PROGRESS'), 'In progress');
    // ICU puts no-break spaces in ("80\u00a0%", "9:00\u202fAM"), by version: compare them as spaces.
    const spaced = (text: string) => text.replace(/\s/g, ' ');
    const german = translator('de');
    assert.equal(german.t('status.IN_PROGRESS'), 'In Bearbeitung');
    assert.equal(german.t('created.reporter.headline', { key: 'INC-000123' }), 'Wir haben INC-000123 erhalten');
    assert.equal(spaced(german.dateTime('2026-11-20T09:00:00Z')), '20. Nov. 2026, 09:00 UTC');
    assert.equal(spaced(translator('en').dateTime('2026-11-20T09:00:00Z')), 'Nov 20, 2026, 9:00 AM UTC');
    assert.equal(spaced(german.percent(0.8)), '80 %');
    assert.equal(spaced(german.duration(30 * 60_000)), '30 Minuten');
    assert.equal(spaced(translator('en').duration(24 * 3_600_000)), '24 hours');
    assert.equal(german.t('account.secondFactor.recoveryCodeUsed.what', { at: 'x', left: 1 }).endsWith('Sie haben noch 1 Wiederherstellungscode.'), true);
  });

  test('what people typed is filled in as it is, never read as a message (braces, quotes, tags)', () => {
    const title = "Printer's {tray} <b>jams</b> '{x}'";
    assert.equal(translator('en').t('created.staff.headline', { key: 'INC-000001', title }), `New incident INC-000001: ${title}`);
  });
});
