'use client';

import { useLocale } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { rememberLocale } from '@/i18n/locale';
import { useSession } from '@/lib/session';

/**
 * A signed-in person's saved language wins over the browser's: the server rendered the page in
 * the cookie's or the browser's language (it does not know who is signed in), so once the
 * session names a different one, the cookie follows and the page is rendered again, in place
 * (the session and the cached data stay). Someone who never chose keeps the browser's language;
 * nothing is saved for them.
 */
export function LocaleSync() {
  const { user } = useSession();
  const locale = useLocale();
  const router = useRouter();
  const saved = user?.locale ?? null;
  useEffect(() => {
    if (saved && saved !== locale) {
      rememberLocale(saved);
      router.refresh();
    }
  }, [saved, locale, router]);
  return null;
}
