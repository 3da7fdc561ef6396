import { LOCALES, type Locale } from '@desk/contracts';

/**
 * The language this browser shows the portal in, read by the server to render the first page
 * (i18n/request.ts). Written when someone picks a language and when a signed-in person's saved
 * language differs from the page's; without it the server follows `Accept-Language`.
 */
export const LOCALE_COOKIE = 'desk.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Each language in its own words, so a person finds theirs whatever the page's language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

export function rememberLocale(locale: Locale): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${400 * 86_400}; SameSite=Lax${secure}`;
}
