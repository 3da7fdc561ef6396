import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LOCALES } from '@desk/contracts';
import { MESSAGES } from './index';

// The catalogue is complete: every language has every English key, none empty, each with the
// same placeholders (a German message that drops `{count}` or renames `{name}` fails here, not
// in front of a person).

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [inner, text] of leaves(value, path)) found.set(inner, text);
  }
  return found;
}

/** The arguments and tags a message uses: `{name}`, `{count, plural, …}`, `<strong>…</strong>`. */
export function placeholders(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      if (element.type === TYPE.tag) {
        names.add(`<${element.value}>`);
        walk(element.children);
        continue;
      }
      names.add(element.value);
      if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

const english = leaves(MESSAGES.en);

describe('the message catalogue', () => {
  test('when English is parsed, then every message is valid ICU and none is empty', () => {
    for (const [key, message] of english) {
      assert.notEqual(message.trim(), '', `en: ${key} is empty`);
      assert.doesNotThrow(() => placeholders(message), `en: ${key} is not a valid ICU message`);
    }
  });

  for (const locale of LOCALES.filter((each) => each !== 'en')) {
    test(`when ${locale} is compared with English, then it has exactly the same keys`, () => {
      const translated = leaves(MESSAGES[locale]);
      const missing = [...english.keys()].filter((key) => !translated.has(key));
      const extra = [...translated.keys()].filter((key) => !english.has(key));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${locale}: missing or extra keys`);
    });

    test(`when ${locale} is compared with English, then no message is empty and each has the same placeholders`, () => {
      const translated = leaves(MESSAGES[locale]);
      const wrong: string[] = [];
      for (const [key, message] of translated) {
        if (message.trim() === '') {
          wrong.push(`${key}: empty`);
          continue;
        }
        const reference = english.get(key);
        if (reference === undefined) continue;
        let theirs: string[];
        try {
          theirs = placeholders(message);
        } catch {
          wrong.push(`${key}: not a valid ICU message`);
          continue;
        }
        const ours = placeholders(reference);
        if (theirs.join() !== ours.join()) wrong.push(`${key}: {${theirs.join(', ')}} where English has {${ours.join(', ')}}`);
      }
      assert.deepEqual(wrong, [], `${locale}: messages that differ from English`);
    });
  }
});
