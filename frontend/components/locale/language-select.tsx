'use client';

import { Languages } from 'lucide-react';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { toast } from 'sonner';
import { LOCALES, type Locale } from '@desk/contracts';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { isLocale, LOCALE_NAMES, rememberLocale } from '@/i18n/locale';
import { useDescribeError } from '@/lib/i18n/errors';
import { useUpdateLocale } from '@/lib/mutations/account';
import { cn } from '@/lib/utils';

/** The languages in their own names; the portal is rendered again in the one chosen. */
function LocaleChoice({ id, value, onChange, disabled, className, compact }: { id?: string; value: Locale; onChange: (locale: Locale) => void; disabled?: boolean; className?: string; compact?: boolean }) {
  const t = useTranslations('common');
  return (
    <Select value={value} onValueChange={(next) => isLocale(next) && onChange(next)} disabled={disabled}>
      <SelectTrigger id={id} className={cn(compact ? 'h-8 w-auto gap-1.5' : 'w-full max-w-xs', className)} aria-label={t('language')}>
        {compact ? <Languages className="size-4" aria-hidden /> : null}
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {LOCALES.map((locale) => (
          <SelectItem key={locale} value={locale} lang={locale}>
            {LOCALE_NAMES[locale]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/** On the signed-out pages: this browser's choice, kept in a cookie. */
export function BrowserLanguageSelect({ className }: { className?: string }) {
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <LocaleChoice
      compact
      className={className}
      value={locale}
      disabled={pending}
      onChange={(next) => {
        rememberLocale(next);
        startTransition(() => router.refresh());
      }}
    />
  );
}

/** On the profile: saved to the account (`PUT /users/me/locale`), so mails follow too. */
export function AccountLanguageSelect({ id }: { id?: string }) {
  const locale = useLocale();
  const update = useUpdateLocale();
  const describe = useDescribeError();
  return (
    <LocaleChoice
      id={id}
      value={update.isPending && update.variables ? update.variables : locale}
      disabled={update.isPending}
      onChange={(next) =>
        update.mutate(next, {
          onError: (error) => {
            const { title, detail } = describe(error);
            toast.error(title, { description: detail });
          },
        })
      }
    />
  );
}
