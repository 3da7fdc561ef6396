'use client';

import { useTranslations } from 'next-intl';
import { Check, Copy, Download } from 'lucide-react';
import { useState } from 'react';
import { useWatch, type FieldValues, type Path, type PathValue, type UseFormReturn } from 'react-hook-form';
import { toast } from 'sonner';
import type { MfaSetup } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { groupedSecret, recoveryCodesFile } from '@/lib/mfa';

// The parts of two-step sign-in that the sign-in page and the account page share: the code field
// (or a recovery code instead), the authenticator app's setup, and the recovery codes shown once.

type SecondFactorForm = FieldValues & { useRecoveryCode: boolean; code: string; recoveryCode: string };

/** Copies to the clipboard; where there is none (plain http other than localhost), says so. */
function useCopy(): (text: string, what: 'key' | 'codes') => Promise<boolean> {
  const t = useTranslations('auth.twoStep');
  return async (text, what) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      toast.error(t('copyingFailed'), { description: t('selectTheAndCopy', { what }) });
      return false;
    }
  };
}

/** "Code from your app": the 6-digit field every step that asks for a TOTP code uses. */
export function AppCodeField<T extends FieldValues & { code: string }>({ form, autoFocus = false, className }: { form: UseFormReturn<T>; autoFocus?: boolean; className?: string }) {
  const t = useTranslations('auth.twoStep');
  return (
    <FormField
      control={form.control}
      name={'code' as Path<T>}
      render={({ field }) => (
        <FormItem className={className}>
          <FormLabel>{t('codeFromYourApp')}</FormLabel>
          <FormControl>
            <Input inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={7} placeholder="123456" className="font-mono tracking-widest" autoFocus={autoFocus} {...field} />
          </FormControl>
          <FormMessage />
        </FormItem>
      )}
    />
  );
}

/** The 6-digit code field, or the recovery code field, with the switch between them. */
export function SecondFactorFields<T extends SecondFactorForm>({ form, autoFocus = false }: { form: UseFormReturn<T>; autoFocus?: boolean }) {
  const t = useTranslations('auth.twoStep');
  const useRecoveryCode = useWatch({ control: form.control, name: 'useRecoveryCode' as Path<T> }) as boolean;
  const toggle = () => {
    form.clearErrors(['code', 'recoveryCode'] as Path<T>[]);
    form.setValue('useRecoveryCode' as Path<T>, !useRecoveryCode as PathValue<T, Path<T>>);
    // The field that appears takes the focus, as the one that went had it.
    setTimeout(() => form.setFocus((useRecoveryCode ? 'code' : 'recoveryCode') as Path<T>), 0);
  };
  return (
    <div className="space-y-2">
      {useRecoveryCode ? (
        <FormField
          key="recoveryCode"
          control={form.control}
          name={'recoveryCode' as Path<T>}
          render={({ field }) => (
            <FormItem>
              <FormLabel>{t('recoveryCode')}</FormLabel>
              <FormControl>
                <Input autoComplete="off" autoCapitalize="none" spellCheck={false} placeholder={t('xxxxxXxxxx')} className="font-mono" autoFocus={autoFocus} {...field} />
              </FormControl>
              <p className="text-xs text-muted-foreground">{t('oneOfTheCodes')}</p>
              <FormMessage />
            </FormItem>
          )}
        />
      ) : (
        <AppCodeField key="code" form={form} autoFocus={autoFocus} />
      )}
      <button type="button" onClick={toggle} className="text-xs font-medium text-primary hover:underline">
        {useRecoveryCode ? t('useTheCodeFrom') : t('useARecoveryCode')}
      </button>
    </div>
  );
}

/** The secret for the authenticator app: its QR code to scan, and the key to type by hand. */
export function AuthenticatorSetup({ setup }: { setup: MfaSetup }) {
  const copy = useCopy();
  const t = useTranslations('auth.twoStep');
  const [copied, setCopied] = useState(false);
  return (
    // Side by side where there is room (the account page), stacked in the narrow sign-in column and on phones.
    <div className="@container rounded-lg border bg-muted/30 p-4">
      <div className="flex flex-col items-center gap-4 @md:flex-row @md:items-start">
        {/* A data: URL the API made (an SVG); next/image adds nothing to it. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={setup.qrCode} alt={t('qrCodeToScan')} width={160} height={160} className="size-40 shrink-0 rounded-md bg-white p-1" />
        <div className="w-full min-w-0 space-y-2 text-sm">
          <p className="text-muted-foreground">
            {t('scanItWithAn')}
          </p>
          <div className="flex items-start gap-2">
            <code className="flex-1 rounded-md border bg-background px-3 py-2 font-mono text-xs break-words" data-testid="totp-secret" aria-label={t('keyForYourAuthenticator')}>
              {groupedSecret(setup.secret)}
            </code>
            <Button type="button" variant="outline" size="sm" aria-label={t('copyTheKey')} onClick={() => void copy(setup.secret, 'key').then(setCopied)}>
              {copied ? <Check /> : <Copy />}
            </Button>
          </div>
          <p className="text-xs text-muted-foreground">{t('timeBased6Digits')}</p>
        </div>
      </div>
    </div>
  );
}

/** New recovery codes, shown this once: copy them, download them, then go on. */
export function RecoveryCodesShownOnce({ codes, account, onDone, doneLabel }: { codes: readonly string[]; account: string; onDone: () => void; doneLabel?: string }) {
  const copy = useCopy();
  const t = useTranslations('auth.twoStep');
  const [copied, setCopied] = useState(false);
  const file = recoveryCodesFile(codes, account);
  const download = () => {
    const url = URL.createObjectURL(new Blob([file], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'service-desk-recovery-codes.txt';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground">{t('keepTheseCodesSomewhere', { length: codes.length })}</p>
      <ul className="grid grid-cols-2 gap-x-4 gap-y-1.5 rounded-lg border bg-muted/30 p-4 font-mono text-sm" data-testid="recovery-codes" aria-label={t('recoveryCodes')}>
        {codes.map((code) => (
          <li key={code} className="text-center">
            {code}
          </li>
        ))}
      </ul>
      <div className="grid grid-cols-2 gap-2">
        <Button type="button" variant="outline" onClick={() => void copy(codes.join('\n'), 'codes').then(setCopied)}>
          {copied ? <Check /> : <Copy />} {copied ? t('copied') : t('copy')}
        </Button>
        <Button type="button" variant="outline" onClick={download}>
          <Download />{' '}{t('download')}
        </Button>
      </div>
      <Button type="button" className="w-full" onClick={onDone}>
        {doneLabel ?? t('iHaveSavedThem')}
      </Button>
    </div>
  );
}
