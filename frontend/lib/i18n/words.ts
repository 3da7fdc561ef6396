import type { useTranslations } from 'next-intl';
import type { Messages } from '@/messages';

/**
 * A translator for one namespace of the catalogue, for pure modules (lib/bulk.ts, the board's
 * rules) that write sentences: components pass `useTranslations(namespace)`, tests a
 * `createTranslator` over the English messages.
 */
export type Words<Namespace extends keyof Messages> = ReturnType<typeof useTranslations<Namespace>>;
