'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { AccountLanguageSelect } from '@/components/locale/language-select';
import { ThemePicker } from '@/components/shell/theme';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { chosenDateFormatLocale, DATE_FORMATS, setDateFormatLocale, type DateFormatLocale } from '@/lib/format';
import { useFormat } from '@/lib/i18n/use-format';
import { useUser } from '@/lib/session';

/** The language follows the language unless a format was chosen. */
const FOLLOW_LANGUAGE = 'language';

/** Theme, language and how dates are written. */
export function AppearanceSettings() {
  const t = useTranslations('account.appearance');
  const user = useUser();
  const format = useFormat();
  const [chosen, setChosen] = useState<DateFormatLocale | null>(() => chosenDateFormatLocale());
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <div className="space-y-2">
        <div className="text-sm font-medium" id="theme-label">
          {t('theme')}
        </div>
        <ThemePicker />
        <p className="text-xs text-muted-foreground">{t('themeHint')}</p>
      </div>
      <div className="space-y-2">
        <Label htmlFor="language">{t('language')}</Label>
        <AccountLanguageSelect id="language" />
        <p className="text-xs text-muted-foreground" data-testid="language-hint">
          {user.locale ? t('languageSaved') : t('languageFollowsBrowser')}
        </p>
      </div>
      <div className="space-y-2 sm:col-span-2">
        <Label htmlFor="date-format">{t('dates')}</Label>
        <Select
          value={chosen ?? FOLLOW_LANGUAGE}
          onValueChange={(value) => {
            const format = value === FOLLOW_LANGUAGE ? null : (value as DateFormatLocale);
            setDateFormatLocale(format);
            setChosen(format);
          }}
        >
          <SelectTrigger id="date-format" className="w-full max-w-xs">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={FOLLOW_LANGUAGE}>{t('datesFollowLanguage')}</SelectItem>
            {DATE_FORMATS.map((option) => (
              <SelectItem key={option.value} value={option.value}>
                {option.example}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <p className="text-xs text-muted-foreground" data-testid="date-format-example">
          {t('datesNow', { now: format.dateTime(new Date().toISOString()) })}
        </p>
      </div>
    </div>
  );
}
