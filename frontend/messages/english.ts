import { createTranslator } from 'next-intl';
import { MESSAGES, type Messages } from './index';

/** The English catalogue's words for one namespace, for unit tests of modules that take `Words`. */
export function englishWords<Namespace extends keyof Messages>(namespace: Namespace) {
  return createTranslator({ locale: 'en', messages: MESSAGES.en, namespace });
}
