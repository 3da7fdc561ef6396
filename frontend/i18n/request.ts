import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { negotiateLocale } from '@desk/contracts';
import { messagesFor } from '@/messages';
import { isLocale, LOCALE_COOKIE } from './locale';

/**
 * The locale a page is rendered in: this browser's choice (the cookie, also written for a
 * signed-in person's saved language), else the browser's languages. The server never sees who
 * is signed in (the access token lives in the page), so the portal corrects the cookie once the
 * session is known (components/locale/locale-sync.tsx).
 */
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : negotiateLocale((await headers()).get('accept-language'));
  return { locale, messages: messagesFor(locale) };
});
