'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { useQueryClient } from '@tanstack/react-query';
import { Loader2, ShieldCheck, ShieldOff } from 'lucide-react';
import { useState } from 'react';
import { useForm, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import type { MfaSetup, MfaStatus } from '@desk/contracts';
import { FormError } from '@/components/auth-forms';
import { ErrorState, LoadingRows } from '@/components/states';
import { AppCodeField, AuthenticatorSetup, RecoveryCodesShownOnce, SecondFactorFields } from '@/components/two-step';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { ApiError } from '@/lib/api-client';
import { putFieldErrors } from '@/lib/form-errors';
import { checkSecondFactor, codeFieldSchema, NO_SECOND_FACTOR, secondFactorBody, secondFactorShape } from '@/lib/mfa';
import { keys, useOwnMfa } from '@/lib/queries';
import { disableMfa, enableMfa, replaceRecoveryCodes, startMfaSetup } from '@/lib/mutations/account';
import { useApi } from '@/lib/session';
import { useFormat } from '@/lib/i18n/use-format';

// `/account`: two-step sign-in. Off: set it up (the password, then the app's key, then a code
// from it, then the recovery codes, shown once). On: new recovery codes, or turn it off — both
// with the password and a code — unless the person's role must keep it.

type Mode = 'status' | 'setup' | 'new-codes' | 'turn-off';

/** Puts the problem's field errors on the fields; anything else goes to the form's alert. */
function showErrors<T extends FieldValues>(form: UseFormReturn<T>, caught: unknown, fields: readonly Path<T>[], setError: (error: unknown) => void) {
  if (putFieldErrors(form, caught, fields, { shouldFocus: true })) setError(caught);
}

function CurrentPasswordField<T extends FieldValues>({ form, autoFocus = false }: { form: UseFormReturn<T>; autoFocus?: boolean }) {
  const t = useTranslations('account.twoStep');
  return (
    <FormField
      control={form.control}
      name={'currentPassword' as Path<T>}
      render={({ field }) => (
        <FormItem>
          <FormLabel>{t('currentPassword')}</FormLabel>
          <FormControl>
            <Input type="password" autoComplete="current-password" autoFocus={autoFocus} {...field} />
          </FormControl>
          <FormMessage />
        </FormItem>
      )}
    />
  );
}

export function TwoStepSignInSection({ email }: { email: string }) {
  const t = useTranslations('account.twoStep');
  const status = useOwnMfa();
  const [mode, setMode] = useState<Mode>('status');
  const done = () => setMode('status');
  const current = status.data;
  return (
    <section aria-labelledby="two-step-heading" className="rounded-lg border p-4 sm:p-6" data-testid="two-step-section">
      <div className="mb-1 flex flex-wrap items-center gap-2">
        <h2 id="two-step-heading" className="text-lg font-semibold">
          {t('twoStepSignIn')}
        </h2>
        {current ? (
          current.enabled ? (
            <Badge variant="outline" className="border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300">
              {t('on')}
            </Badge>
          ) : (
            <Badge variant="outline" className="text-muted-foreground">
              {t('off')}
            </Badge>
          )
        ) : null}
      </div>
      <p className="mb-4 text-sm text-muted-foreground">{t('aCodeFromAn')}</p>
      {status.isPending ? (
        <LoadingRows rows={1} />
      ) : !current ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : mode === 'setup' ? (
        <SetUp email={email} onDone={done} />
      ) : mode === 'new-codes' || mode === 'turn-off' ? (
        <ConfirmWithFactor purpose={mode} email={email} onDone={done} />
      ) : (
        <Status status={current} onChoose={setMode} />
      )}
    </section>
  );
}

function Status({ status, onChoose }: { status: MfaStatus; onChoose: (mode: Mode) => void }) {
  const t = useTranslations('account.twoStep');
  const format = useFormat();
  const requiredNote = status.required ? (
    <p className="text-sm text-muted-foreground" data-testid="two-step-required">
      <span className="font-medium text-foreground">{t('requiredForYourRole')}</span>{' '}{t('administratorsHereMustKeep')}
    </p>
  ) : null;
  if (!status.enabled) {
    return (
      <div className="space-y-4">
        {requiredNote}
        <Button onClick={() => onChoose('setup')}>
          <ShieldCheck />{' '}{t('setUp')}
        </Button>
      </div>
    );
  }
  const few = status.recoveryCodesLeft <= 3;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm sm:gap-x-6">
        <dt className="text-muted-foreground">{t('onSince')}</dt>
        <dd className="font-medium">{status.enabledAt ? format.dateTime(status.enabledAt) : '—'}</dd>
        <dt className="text-muted-foreground">{t('recoveryCodes')}</dt>
        <dd className={few ? 'font-medium text-amber-700 dark:text-amber-300' : 'font-medium'} data-testid="recovery-codes-left">
          {t('recoveryCodesLeft', { count: status.recoveryCodesLeft })}
          {few ? t('makeNewOnesSoon') : ''}
        </dd>
      </dl>
      {requiredNote}
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => onChoose('new-codes')}>
          {t('newRecoveryCodes')}
        </Button>
        <Button variant="outline" className="text-destructive hover:text-destructive" onClick={() => onChoose('turn-off')} disabled={status.required} title={status.required ? t('requiredForYourRole2') : undefined}>
          <ShieldOff />{' '}{t('turnOff')}
        </Button>
      </div>
    </div>
  );
}

const passwordFormSchema = z.object({ currentPassword: z.string().min(1) });
const codeFormSchema = z.object({ code: codeFieldSchema });

/** Turning it on: the password, then the app's key and a code from it, then the recovery codes. */
function SetUp({ email, onDone }: { email: string; onDone: () => void }) {
  const t = useTranslations('account.twoStep');
  const format = useFormat();
  const api = useApi();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const passwordForm = useForm<z.infer<typeof passwordFormSchema>>({ resolver: useZodResolver(passwordFormSchema), defaultValues: { currentPassword: '' } });
  const codeForm = useForm<z.infer<typeof codeFormSchema>>({ resolver: useZodResolver(codeFormSchema), defaultValues: { code: '' } });

  const start = passwordForm.handleSubmit(async (values) => {
    setError(null);
    try {
      setSetup(await startMfaSetup(api, values));
      passwordForm.reset();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'MFA.ALREADY_ENABLED') void queryClient.invalidateQueries({ queryKey: keys.ownMfa });
      showErrors(passwordForm, caught, ['currentPassword'], setError);
    }
  });

  const confirm = codeForm.handleSubmit(async (values) => {
    setError(null);
    try {
      const answer = await enableMfa(api, values.code);
      void queryClient.invalidateQueries({ queryKey: keys.ownMfa });
      setCodes(answer.recoveryCodes);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'MFA.SETUP_EXPIRED') {
        // Back to the password for a new key; the alert says why.
        setSetup(null);
        codeForm.reset();
        setError(caught);
        return;
      }
      showErrors(codeForm, caught, ['code'], setError);
    }
  });

  if (codes) {
    return (
      <div className="max-w-md space-y-2">
        <h3 className="font-medium">{t('twoStepSignIn2')}</h3>
        <RecoveryCodesShownOnce codes={codes} account={email} onDone={onDone} />
      </div>
    );
  }
  if (setup) {
    return (
      <Form {...codeForm}>
        <form onSubmit={(event) => void confirm(event)} className="max-w-lg space-y-4" noValidate>
          <FormError error={error} />
          <p className="text-sm">
            <span className="font-medium">1.</span>{' '}{t('addYourAccountTo')}
          </p>
          <AuthenticatorSetup setup={setup} />
          <p className="text-sm">
            <span className="font-medium">2.</span>{' '}{t('enterTheCodeThe')}
          </p>
          <AppCodeField form={codeForm} autoFocus className="max-w-xs" />
          <p className="text-xs text-muted-foreground">{t('theKeyWaits15', { until: format.dateTime(setup.expiresAt) })}</p>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={codeForm.formState.isSubmitting}>
              {codeForm.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
              {t('turnOn')}
            </Button>
            <Button type="button" variant="ghost" onClick={onDone}>
              {t('cancel')}
            </Button>
          </div>
        </form>
      </Form>
    );
  }
  return (
    <Form {...passwordForm}>
      <form onSubmit={(event) => void start(event)} className="max-w-md space-y-4" noValidate>
        <FormError error={error} />
        <p className="text-sm text-muted-foreground">{t('confirmItIsYou')}</p>
        <CurrentPasswordField form={passwordForm} autoFocus />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={passwordForm.formState.isSubmitting}>
            {passwordForm.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {t('continue')}
          </Button>
          <Button type="button" variant="ghost" onClick={onDone}>
            {t('cancel')}
          </Button>
        </div>
      </form>
    </Form>
  );
}

const confirmFormSchema = z.object({ currentPassword: z.string().min(1), ...secondFactorShape }).superRefine(checkSecondFactor);
type ConfirmValues = z.infer<typeof confirmFormSchema>;

/** New recovery codes, or turning it off: both need the password and a code (or a recovery code). */
function ConfirmWithFactor({ purpose, email, onDone }: { purpose: 'new-codes' | 'turn-off'; email: string; onDone: () => void }) {
  const t = useTranslations('account.twoStep');
  const api = useApi();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const form = useForm<ConfirmValues>({ resolver: useZodResolver(confirmFormSchema), defaultValues: { currentPassword: '', ...NO_SECOND_FACTOR } });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const body = { currentPassword: values.currentPassword, ...secondFactorBody(values) };
    try {
      if (purpose === 'new-codes') {
        const answer = await replaceRecoveryCodes(api, body);
        setCodes(answer.recoveryCodes);
      } else {
        await disableMfa(api, body);
        toast.success(t('twoStepSignIn3'), { description: t('yourPasswordAloneSigns') });
        onDone();
      }
      void queryClient.invalidateQueries({ queryKey: keys.ownMfa });
    } catch (caught) {
      showErrors(form, caught, ['currentPassword', 'code', 'recoveryCode'], setError);
    }
  });

  if (codes) {
    return (
      <div className="max-w-md space-y-2">
        <h3 className="font-medium">{t('yourNewRecoveryCodes')}</h3>
        <p className="text-sm text-muted-foreground">{t('theOldOnesNo')}</p>
        <RecoveryCodesShownOnce codes={codes} account={email} onDone={onDone} />
      </div>
    );
  }
  return (
    <Form {...form}>
      <form onSubmit={(event) => void onSubmit(event)} className="max-w-md space-y-4" noValidate>
        <FormError error={error} />
        <p className="text-sm text-muted-foreground">
          {purpose === 'new-codes'
            ? t('newCodesReplaceEvery')
            : t('yourPasswordAloneWill')}
        </p>
        <CurrentPasswordField form={form} autoFocus />
        <SecondFactorFields form={form} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant={purpose === 'turn-off' ? 'destructive' : 'default'} disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {purpose === 'new-codes' ? t('makeNewCodes') : t('turnOffTwoStep')}
          </Button>
          <Button type="button" variant="ghost" onClick={onDone}>
            {t('cancel')}
          </Button>
        </div>
      </form>
    </Form>
  );
}
