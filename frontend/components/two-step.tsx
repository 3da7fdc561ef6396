'use client';

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

async function copy(text: string, what: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard outside secure contexts (plain http other than localhost).
    toast.error('Copying failed', { description: `Select the ${what} and copy it yourself.` });
    return false;
  }
}

/** "Code from your app": the 6-digit field every step that asks for a TOTP code uses. */
export function AppCodeField<T extends FieldValues & { code: string }>({ form, autoFocus = false, className }: { form: UseFormReturn<T>; autoFocus?: boolean; className?: string }) {
  return (
    <FormField
      control={form.control}
      name={'code' as Path<T>}
      render={({ field }) => (
        <FormItem className={className}>
          <FormLabel>Code from your app</FormLabel>
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
              <FormLabel>Recovery code</FormLabel>
              <FormControl>
                <Input autoComplete="off" autoCapitalize="none" spellCheck={false} placeholder="xxxxx-xxxxx" className="font-mono" autoFocus={autoFocus} {...field} />
              </FormControl>
              <p className="text-xs text-muted-foreground">One of the codes you saved when you set up two-step sign-in. Each works once.</p>
              <FormMessage />
            </FormItem>
          )}
        />
      ) : (
        <AppCodeField key="code" form={form} autoFocus={autoFocus} />
      )}
      <button type="button" onClick={toggle} className="text-xs font-medium text-primary hover:underline">
        {useRecoveryCode ? 'Use the code from your app instead' : 'Use a recovery code instead'}
      </button>
    </div>
  );
}

/** The secret for the authenticator app: its QR code to scan, and the key to type by hand. */
export function AuthenticatorSetup({ setup }: { setup: MfaSetup }) {
  const [copied, setCopied] = useState(false);
  return (
    // Side by side where there is room (the account page), stacked in the narrow sign-in column and on phones.
    <div className="@container rounded-lg border bg-muted/30 p-4">
      <div className="flex flex-col items-center gap-4 @md:flex-row @md:items-start">
        {/* A data: URL the API made (an SVG); next/image adds nothing to it. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={setup.qrCode} alt="QR code to scan with your authenticator app" width={160} height={160} className="size-40 shrink-0 rounded-md bg-white p-1" />
        <div className="w-full min-w-0 space-y-2 text-sm">
          <p className="text-muted-foreground">
            Scan it with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…), or type this key into the app:
          </p>
          <div className="flex items-start gap-2">
            <code className="flex-1 rounded-md border bg-background px-3 py-2 font-mono text-xs break-words" data-testid="totp-secret" aria-label="Key for your authenticator app">
              {groupedSecret(setup.secret)}
            </code>
            <Button type="button" variant="outline" size="sm" aria-label="Copy the key" onClick={() => void copy(setup.secret, 'key').then(setCopied)}>
              {copied ? <Check /> : <Copy />}
            </Button>
          </div>
          <p className="text-xs text-muted-foreground">Time-based, 6 digits, every 30 seconds.</p>
        </div>
      </div>
    </div>
  );
}

/** New recovery codes, shown this once: copy them, download them, then go on. */
export function RecoveryCodesShownOnce({ codes, account, onDone, doneLabel = 'I have saved them' }: { codes: readonly string[]; account: string; onDone: () => void; doneLabel?: string }) {
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
      <p className="text-sm text-muted-foreground">
        Keep these {codes.length} codes somewhere safe, away from your phone: each signs you in once if you lose your authenticator app. They are shown only now.
      </p>
      <ul className="grid grid-cols-2 gap-x-4 gap-y-1.5 rounded-lg border bg-muted/30 p-4 font-mono text-sm" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code} className="text-center">
            {code}
          </li>
        ))}
      </ul>
      <div className="grid grid-cols-2 gap-2">
        <Button type="button" variant="outline" onClick={() => void copy(codes.join('\n'), 'codes').then(setCopied)}>
          {copied ? <Check /> : <Copy />} {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button type="button" variant="outline" onClick={download}>
          <Download /> Download
        </Button>
      </div>
      <Button type="button" className="w-full" onClick={onDone}>
        {doneLabel}
      </Button>
    </div>
  );
}
