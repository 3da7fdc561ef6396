'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { CheckCircle2, Loader2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useForm, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { z } from 'zod';
import { changePasswordBodySchema, forgotPasswordBodySchema, passwordSchema } from '@desk/contracts';
import { FormError, MobileBrand } from '@/components/auth-forms';
import { PasswordField } from '@/components/password-field';
import { changePassword } from '@/lib/mutations/account';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { ApiError } from '@/lib/api-client';
import { putFieldErrors } from '@/lib/form-errors';
import { useApi, useApiUrl, useSessionStore } from '@/lib/session';
import { useTranslations } from 'next-intl';
import { ScriptForm } from '@/components/ui/script-form';

/** Calls a public identity route through the gateway (no session): mailed links, forgot password. */
async function postPublic(apiUrl: string, path: string, body: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch (cause) {
    throw ApiError.unreachable(cause);
  }
  if (!response.ok) throw await ApiError.fromResponse(response);
  return response;
}

/** Puts the problem's field errors on the fields; anything else goes to the form's alert. */
function showErrors<T extends FieldValues>(form: UseFormReturn<T>, caught: unknown, fields: readonly Path<T>[], setError: (error: unknown) => void) {
  if (putFieldErrors(form, caught, fields)) setError(caught);
}


function Done({ title, children }: { title: string; children: ReactNode }) {
  const t = useTranslations('auth.account');
  return (
    <>
      <MobileBrand />
      <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
        <CheckCircle2 className="size-6 text-primary" aria-hidden /> {title}
      </h1>
      <div className="mt-2 mb-6 text-sm text-muted-foreground" data-testid="done-message">
        {children}
      </div>
      <Button asChild variant="outline" className="w-full">
        <Link href="/login">{t('goToSignIn')}</Link>
      </Button>
    </>
  );
}

/** `/verify?token=`: a button, not an automatic request, so a mail scanner opening the link verifies nothing. */
const choosePasswordSchema = z.object({ password: passwordSchema });
type ChoosePassword = z.infer<typeof choosePasswordSchema>;

export function VerifyEmail() {
  const t = useTranslations('auth.account');
  const tPassword = useTranslations('auth.password');
  const apiUrl = useApiUrl();
  const token = useSearchParams().get('token') ?? '';
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<unknown>(null);
  // A registration made by writing to the desk has no password yet: the person chooses one here.
  const [needsPassword, setNeedsPassword] = useState(false);
  const form = useForm<ChoosePassword>({ resolver: useZodResolver(choosePasswordSchema), defaultValues: { password: '' } });
  const verify = async (password?: string) => {
    setState('busy');
    setError(null);
    try {
      await postPublic(apiUrl, '/auth/verify', password === undefined ? { token } : { token, password });
      setState('done');
    } catch (caught) {
      setState('idle');
      if (caught instanceof ApiError && caught.code === 'AUTH.PASSWORD_REQUIRED') {
        setNeedsPassword(true);
        return;
      }
      if (password !== undefined) showErrors(form, caught, ['password'], setError);
      else setError(caught);
    }
  };
  const onChoose = form.handleSubmit((values) => verify(values.password));
  if (state === 'done') return <Done title={t('addressVerified')}>{t('yourAccountIsReady')}</Done>;
  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{t('verifyYourAddress')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">
        {needsPassword
          ? t('youWroteToThe')
          : t('oneStepLeftConfirm')}
      </p>
      {needsPassword ? (
        <Form {...form}>
          <ScriptForm onSubmit={(event) => void onChoose(event)} className="space-y-4">
            <FormError error={error} />
            <PasswordField form={form} name="password" label={t('password')} autoComplete="new-password" hint={tPassword('newPasswordHint')} autoFocus />
            <Button type="submit" className="w-full" disabled={state === 'busy'}>
              {state === 'busy' ? <Loader2 className="animate-spin" /> : null}
              {t('finishRegistering')}
            </Button>
          </ScriptForm>
        </Form>
      ) : (
        <div className="space-y-4">
          <FormError error={error} />
          <Button className="w-full" onClick={() => void verify()} disabled={!token || state === 'busy'}>
            {state === 'busy' ? <Loader2 className="animate-spin" /> : null}
            {t('verifyMyAddress')}
          </Button>
          {!token ? <p className="text-sm text-destructive">{t('thisLinkHasNo')}</p> : null}
        </div>
      )}
    </>
  );
}

type ForgotInput = z.input<typeof forgotPasswordBodySchema>;
type ForgotOutput = z.output<typeof forgotPasswordBodySchema>;

export function ForgotPasswordForm() {
  const t = useTranslations('auth.account');
  const apiUrl = useApiUrl();
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<ForgotInput, unknown, ForgotOutput>({ resolver: useZodResolver(forgotPasswordBodySchema), defaultValues: { email: '' } });
  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const response = await postPublic(apiUrl, '/auth/password/forgot', values);
      setMessage(((await response.json()) as { message: string }).message);
    } catch (caught) {
      showErrors(form, caught, ['email'], setError);
    }
  });
  if (message) return <Done title={t('checkYourMail')}>{message}</Done>;
  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{t('forgotYourPassword')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">{t('enterYourAddressWe')}</p>
      <Form {...form}>
        <ScriptForm onSubmit={(event) => void onSubmit(event)} className="space-y-4">
          <FormError error={error} />
          <FormField
            control={form.control}
            name="email"
            render={({ field }) => (
              <FormItem>
                <FormLabel>{t('email')}</FormLabel>
                <FormControl>
                  <Input type="email" autoComplete="username" placeholder={t('youExampleCom')} autoFocus {...field} />
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
          <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {t('sendTheLink')}
          </Button>
        </ScriptForm>
      </Form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        <Link href="/login" className="font-medium text-primary hover:underline">
          {t('backToSignIn')}
        </Link>
      </p>
    </>
  );
}

const resetFormSchema = z
  .object({ newPassword: passwordSchema, repeat: z.string() })
  .refine((values) => values.newPassword === values.repeat, { error: 'The passwords differ', params: { validation: 'passwordsDiffer' }, path: ['repeat'] });

export function ResetPasswordForm() {
  const t = useTranslations('auth.account');
  const tPassword = useTranslations('auth.password');
  const apiUrl = useApiUrl();
  const token = useSearchParams().get('token') ?? '';
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const form = useForm<z.infer<typeof resetFormSchema>>({ resolver: useZodResolver(resetFormSchema), defaultValues: { newPassword: '', repeat: '' } });
  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await postPublic(apiUrl, '/auth/password/reset', { token, newPassword: values.newPassword });
      setDone(true);
    } catch (caught) {
      showErrors(form, caught, ['newPassword'], setError);
    }
  });
  if (done) return <Done title={t('passwordChanged')}>{t('signInWithYour')}</Done>;
  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{t('chooseANewPassword')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">{t('theLinkWorksOnce')}</p>
      <Form {...form}>
        <ScriptForm onSubmit={(event) => void onSubmit(event)} className="space-y-4">
          <FormError error={error} />
          <PasswordField form={form} name="newPassword" label={t('newPassword')} autoComplete="new-password" hint={tPassword('newPasswordHint')} />
          <PasswordField form={form} name="repeat" label={t('newPasswordAgain')} autoComplete="new-password" />
          <Button type="submit" className="w-full" disabled={!token || form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {t('setTheNewPassword')}
          </Button>
        </ScriptForm>
      </Form>
    </>
  );
}

const changeFormSchema = changePasswordBodySchema
  .extend({ repeat: z.string() })
  .refine((values) => values.newPassword === values.repeat, { error: 'The passwords differ', params: { validation: 'passwordsDiffer' }, path: ['repeat'] });

/** `/account`: change your own password. Every session ends, so the portal signs in again with the new one. */
export function ChangePasswordForm({ email }: { email: string }) {
  const t = useTranslations('auth.account');
  const tPassword = useTranslations('auth.password');
  const api = useApi();
  const store = useSessionStore();
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const form = useForm<z.infer<typeof changeFormSchema>>({ resolver: useZodResolver(changeFormSchema), defaultValues: { currentPassword: '', newPassword: '', repeat: '' } });
  const onSubmit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    setError(null);
    try {
      await changePassword(api, { currentPassword, newPassword });
    } catch (caught) {
      showErrors(form, caught, ['currentPassword', 'newPassword'], setError);
      return;
    }
    try {
      await store.signIn(email, newPassword);
      form.reset();
      setDone(true);
    } catch {
      // With two-step sign-in on (or any other refusal) the person signs in again on the
      // sign-in page, and comes back here.
      store.expired();
      router.replace(`/login?next=${encodeURIComponent('/account')}`);
    }
  });
  return (
    <Form {...form}>
      <form onSubmit={(event) => void onSubmit(event)} className="max-w-md space-y-4" noValidate>
        {done ? (
          <Alert>
            <CheckCircle2 />
            <AlertTitle>{t('passwordChanged')}</AlertTitle>
            <AlertDescription>{t('yourOtherSessionsWere')}</AlertDescription>
          </Alert>
        ) : null}
        <FormError error={error} />
        <PasswordField form={form} name="currentPassword" label={t('currentPassword')} autoComplete="current-password" />
        <PasswordField form={form} name="newPassword" label={t('newPassword')} autoComplete="new-password" hint={tPassword('newPasswordHint')} />
        <PasswordField form={form} name="repeat" label={t('newPasswordAgain')} autoComplete="new-password" />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
          {t('changePassword')}
        </Button>
      </form>
    </Form>
  );
}
