import type { Locale } from '@desk/contracts';
import type { Messages } from '@/messages';

// Message keys and locales typed for next-intl: `t('incidents.nope')` does not compile.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
