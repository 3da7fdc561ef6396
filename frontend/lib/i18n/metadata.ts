import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import type { Messages } from '@/messages';

type TitleKey = keyof Messages['shell']['titles'];

/** A page's `generateMetadata`: its title from the catalogue (`shell.titles`), in the request's language. */
export function titled(key: TitleKey): () => Promise<Metadata> {
  return async () => ({ title: (await getTranslations('shell.titles'))(key) });
}
