import type { Locale } from '@desk/contracts';

// Dates, numbers and durations written for the active locale through Intl. Components take
// these bound to the locale from `useFormat()` (lib/use-format.ts); status, priority and role
// names are in the message catalogue (`labels`).

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 hours", "vor 2 Tagen"; `justNow` (the catalogue's words) under 45 seconds. */
export function relativeTime(iso: string, now: number, locale: Locale, justNow: string): string {
  const difference = Date.parse(iso) - now;
  const magnitude = Math.abs(difference);
  if (magnitude < 45_000) return justNow;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (magnitude >= size || unit === 'minute') return format.format(Math.round(difference / size), unit);
  }
  return format.format(0, 'minute');
}

/**
 * How dates and times are written, chosen on the profile page and kept in this browser; until
 * someone chooses, the portal's language decides (`en` as in Britain, `de` as in Germany).
 */
export const DATE_FORMATS = [
  { value: 'en-GB', example: '12 Mar 2026, 14:05' },
  { value: 'en-US', example: 'Mar 12, 2026, 2:05 PM' },
  { value: 'de-DE', example: '12. März 2026, 14:05' },
  { value: 'fr-FR', example: '12 mars 2026, 14:05' },
  { value: 'es-ES', example: '12 mar 2026, 14:05' },
] as const;
export type DateFormatLocale = (typeof DATE_FORMATS)[number]['value'];
const DATE_FORMAT_KEY = 'desk.dateFormat';
const DATE_FORMAT_OF_LOCALE: Record<Locale, DateFormatLocale> = { en: 'en-GB', de: 'de-DE' };
let chosenDateFormat: DateFormatLocale | null | undefined;

/** The date format this browser chose, or null when it follows the language. */
export function chosenDateFormatLocale(): DateFormatLocale | null {
  if (chosenDateFormat !== undefined) return chosenDateFormat;
  const stored = typeof window === 'undefined' ? null : window.localStorage.getItem(DATE_FORMAT_KEY);
  chosenDateFormat = DATE_FORMATS.find((format) => format.value === stored)?.value ?? null;
  return chosenDateFormat;
}

export function dateFormatLocale(locale: Locale): DateFormatLocale {
  return chosenDateFormatLocale() ?? DATE_FORMAT_OF_LOCALE[locale];
}

/** null: follow the language again. */
export function setDateFormatLocale(format: DateFormatLocale | null): void {
  chosenDateFormat = format;
  if (format) window.localStorage.setItem(DATE_FORMAT_KEY, format);
  else window.localStorage.removeItem(DATE_FORMAT_KEY);
}

/** "12 Mar 2026, 14:05" in the viewer's time zone, written as the viewer chose. */
export function dateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(dateFormatLocale(locale), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "12 Mar 2026" (no time), as `dateTime`. */
export function date(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(dateFormatLocale(locale), { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}

function unit(locale: Locale, value: number, name: 'day' | 'hour' | 'minute' | 'second'): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
}

/** 90 → "1 min 30 sec" / "1 Min. 30 Sek."; 5400 → "1 hr 30 min"; 200000 → "2 days 7 hr" / "2 Tg. 7 Std.". */
export function duration(seconds: number | null | undefined, locale: Locale): string {
  if (seconds === null || seconds === undefined) return '—';
  const total = Math.round(seconds);
  if (total < 60) return unit(locale, total, 'second');
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${unit(locale, days, 'day')} ${unit(locale, hours, 'hour')}` : unit(locale, days, 'day');
  if (hours > 0) return minutes > 0 ? `${unit(locale, hours, 'hour')} ${unit(locale, minutes, 'minute')}` : unit(locale, hours, 'hour');
  const rest = total % 60;
  return rest > 0 && minutes < 10 ? `${unit(locale, minutes, 'minute')} ${unit(locale, rest, 'second')}` : unit(locale, minutes, 'minute');
}

/** 0.934 → "93.4%" / "93,4 %"; null → "—". */
export function percent(ratio: number | null | undefined, locale: Locale): string {
  if (ratio === null || ratio === undefined) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: ratio === 1 || ratio === 0 ? 0 : 1 }).format(ratio);
}

/** 1234.5 → "1,234.5" / "1.234,5". */
export function number(value: number, locale: Locale, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/** "Ana Lima" → "AL". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** A file's size as people read it: `820 byte`, `48 kB`, `24.9 MB` / `24,9 MB` (binary units, as the API's limits count). */
export function formatBytes(bytes: number, locale: Locale): string {
  if (bytes >= 1024 ** 2) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(bytes / 1024 ** 2);
  if (bytes >= 1024) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(bytes / 1024);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
}
