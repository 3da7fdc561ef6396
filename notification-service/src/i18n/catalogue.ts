import { DEFAULT_LOCALE, LOCALES, type Locale } from '@desk/contracts';
import { IntlMessageFormat } from 'intl-messageformat';
import { de } from './de.js';
import { en, type MessageKey, type Messages } from './en.js';

export type { MessageKey, Messages } from './en.js';

/** Every language's catalogue; a language added to `LOCALES` without one fails the typecheck. */
export const CATALOGUES: Record<Locale, Messages> = { en, de };

/** What a message's placeholders are filled with: text (names, titles, formatted dates) or numbers (plurals). */
export type MessageValues = Record<string, string | number>;

/** The words and formats of one reader's language. */
export interface Translator {
  readonly locale: Locale;
  // Function properties, not methods: `const { t } = i18n` is meant to work.
  /** The message in this language, its placeholders filled in. */
  readonly t: (key: MessageKey, values?: MessageValues) => string;
  /** A moment as "Mar 12, 2026, 2:05 PM UTC" / "12. März 2026, 14:05 UTC". */
  readonly dateTime: (at: string | Date) => string;
  /** A fraction (0.8) as "80%" / "80 %". */
  readonly percent: (fraction: number) => string;
  /** A length of time in whole hours when it is one ("24 hours"), else in minutes ("30 Minuten"). */
  readonly duration: (milliseconds: number) => string;
}

// Tags stay text: no message has markup, and a `<` must never change what a mail says.
const FORMAT_OPTIONS = { ignoreTag: true } as const;

function makeTranslator(locale: Locale): Translator {
  const messages = CATALOGUES[locale];
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  // Recipients have no time zone of their own yet: times are told in UTC, and say so.
  const dates = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  // Intl.DurationFormat is not in Node 20; a unit of NumberFormat says the same for one unit.
  const hours = new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' });
  const minutes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' });
  return {
    locale,
    t: (key, values) => {
      let format = compiled.get(key);
      if (!format) {
        format = new IntlMessageFormat(messages[key], locale, undefined, FORMAT_OPTIONS);
        compiled.set(key, format);
      }
      return format.format<string>(values) as string;
    },
    dateTime: (at) => dates.format(typeof at === 'string' ? new Date(at) : at),
    percent: (fraction) => percents.format(fraction),
    duration: (milliseconds) => {
      const inMinutes = Math.max(1, Math.round(milliseconds / 60_000));
      return inMinutes >= 60 && inMinutes % 60 === 0 ? hours.format(inMinutes / 60) : minutes.format(inMinutes);
    },
  };
}

const translators = new Map<Locale, Translator>(LOCALES.map((locale) => [locale, makeTranslator(locale)]));

/** The translator for a person's locale; one who chose none (null) reads the default, English. */
export function translator(locale: Locale | null | undefined): Translator {
  return translators.get(locale ?? DEFAULT_LOCALE) ?? translators.get(DEFAULT_LOCALE)!;
}
