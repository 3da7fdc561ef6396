'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { registerBodySchema, type RegistrationAccepted } from '@desk/contracts';
import { FormError, MobileBrand } from '@/components/auth-forms';
import { PasswordField } from '@/components/password-field';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { ApiError } from '@/lib/api-client';
import { mapFieldErrors } from '@/lib/form-errors';
import { useApiUrl, useSessionStore } from '@/lib/session';
import { useLocale, useTranslations } from 'next-intl';
import { ScriptForm } from '@/components/ui/script-form';

type RegisterInput = z.input<typeof registerBodySchema>;
type RegisterOutput = z.output<typeof registerBodySchema>;

/** `/register`: a new account, as the organisation's registration mode allows. */
export function RegisterForm() {
  const t = useTranslations('auth.register');
  // The page's language (this browser's): the account starts with it, so the first mails are in it too.
  const locale = useLocale();
  const tPassword = useTranslations('auth.password');
  const store = useSessionStore();
  const apiUrl = useApiUrl();
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState<RegistrationAccepted | null>(null);
  const form = useForm<RegisterInput, unknown, RegisterOutput>({ resolver: useZodResolver(registerBodySchema), defaultValues: { fullName: '', email: '', password: '' } });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      // Registration needs no session: the browser calls the gateway directly.
      let response: Response;
      try {
        response = await fetch(`${apiUrl}/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...values, locale }) });
      } catch (cause) {
        throw ApiError.unreachable(cause);
      }
      if (!response.ok) throw await ApiError.fromResponse(response);
      const answer = (await response.json()) as RegistrationAccepted;
      // Open registration: the account is usable at once, unless the address had one already
      // (then its owner was told by mail, and signing in with this password fails).
      if (answer.registration === 'open') {
        try {
          await store.signIn(values.email, values.password);
          router.replace('/incidents');
          return;
        } catch {
          // Fall through to the message: the answer never says whether the address had an account.
        }
      }
      setAccepted(answer);
    } catch (caught) {
      const { byField, other } = mapFieldErrors(caught, ['fullName', 'email', 'password'] as const);
      for (const [field, message] of Object.entries(byField)) form.setError(field as keyof RegisterInput, { message: message });
      if (Object.keys(byField).length === 0 || other.length > 0) setError(caught);
    }
  });

  if (accepted) {
    return (
      <>
        <MobileBrand />
        <h1 className="text-2xl font-semibold tracking-tight">{accepted.registration === 'closed' ? t('registrationIsClosed') : t('checkYourMail')}</h1>
        <p className="mt-2 mb-6 text-sm text-muted-foreground" data-testid="registration-message">
          {accepted.message}
        </p>
        <Button asChild variant="outline" className="w-full">
          <Link href="/login">{t('backToSignIn')}</Link>
        </Button>
      </>
    );
  }

  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{t('createAnAccount')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">{t('reportIncidentsToIt')}</p>
      <Form {...form}>
        <ScriptForm onSubmit={(event) => void onSubmit(event)} className="space-y-4">
          <FormError error={error} />
          <FormField
            control={form.control}
            name="fullName"
            render={({ field }) => (
              <FormItem>
                <FormLabel>{t('fullName')}</FormLabel>
                <FormControl>
                  <Input autoComplete="name" autoFocus {...field} />
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="email"
            render={({ field }) => (
              <FormItem>
                <FormLabel>{t('email')}</FormLabel>
                <FormControl>
                  <Input type="email" autoComplete="email" placeholder={t('youExampleCom')} {...field} />
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
          <PasswordField form={form} name="password" label={t('password')} autoComplete="new-password" hint={tPassword('newPasswordHint')} />
          <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {t('createAccount')}
          </Button>
        </ScriptForm>
      </Form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        {t('haveAnAccount')}{' '}
        <Link href="/login" className="font-medium text-primary hover:underline">
          {t('signIn')}
        </Link>
      </p>
    </>
  );
}
