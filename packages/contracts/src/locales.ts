import { z } from 'zod';

/** The languages the portal and the mails are written in; English is the default. */
export const LOCALES = ['en', 'de'] as const;
export const localeSchema = z.enum(LOCALES, { error: `must be one of ${LOCALES.map((l) => `"${l}"`).join(', ')}` });
export type Locale = z.infer<typeof localeSchema>;
export const DEFAULT_LOCALE: Locale = 'en';

/** `PUT /users/me/locale`: the language a person reads the portal and their mails in. */
export const updateLocaleBodySchema = z.strictObject({ locale: localeSchema });
export type UpdateLocaleBody = z.infer<typeof updateLocaleBodySchema>;

/** The best supported locale for a list of language tags (`de-AT`, `en-GB;q=0.8`…), or the default. */
export function negotiateLocale(tags: readonly string[] | string | null | undefined): Locale {
  const list = typeof tags === 'string' ? tags.split(',') : (tags ?? []);
  const ranked = list
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.language && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { language } of ranked) {
    if ((LOCALES as readonly string[]).includes(language)) return language as Locale;
  }
  return DEFAULT_LOCALE;
}
