'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { AlertCircle, Loader2, LifeBuoy } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { MfaSetup } from '@desk/contracts';
import { AppCodeField, AuthenticatorSetup, RecoveryCodesShownOnce, SecondFactorFields } from '@/components/two-step';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { ApiError } from '@/lib/api-client';
import { mapFieldErrors } from '@/lib/form-errors';
import { NO_SECOND_FACTOR, secondFactorBody, secondFactorFormSchema, signInChallengeOf, type SecondFactorValues, type SignInChallenge } from '@/lib/mfa';
import { safeNext } from '@/lib/safe-next';
import { useSession, useSessionStore } from '@/lib/session';
import { useDescribeError } from '@/lib/i18n/errors';
import { ScriptForm } from '@/components/ui/script-form';

export function MobileBrand() {
  return (
    <div className="mb-8 flex items-center gap-2 font-semibold lg:hidden">
      <span className="flex size-8 items-center justify-center rounded-lg bg-primary text-primary-foreground">
        <LifeBuoy className="size-4.5" aria-hidden />
      </span>
      Service Desk
    </div>
  );
}

export function FormError({ error }: { error: unknown }) {
  const describe = useDescribeError();
  if (!error) return null;
  const { title, detail } = describe(error);
  return (
    <Alert variant="destructive">
      <AlertCircle />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>{detail}</AlertDescription>
    </Alert>
  );
}

const loginSchema = z.object({
  email: z.string().trim().min(1),
  password: z.string().min(1),
});

/** Where a sign-in is: the password, then the second step when the account has (or must have) one, then new recovery codes once. */
type LoginStep = { step: 'password' } | { step: 'second'; challenge: SignInChallenge; email: string } | { step: 'recovery-codes'; codes: string[]; email: string };

export function LoginForm() {
  const t = useTranslations('auth.login');
  const store = useSessionStore();
  const { status } = useSession();
  const router = useRouter();
  const next = safeNext(useSearchParams().get('next'));
  const [error, setError] = useState<unknown>(null);
  const [step, setStep] = useState<LoginStep>({ step: 'password' });
  const form = useForm<z.infer<typeof loginSchema>>({ resolver: useZodResolver(loginSchema), defaultValues: { email: '', password: '' } });

  // Someone still signed in (the cookie) goes straight on. After a second step the step itself
  // moves on: at once, or once new recovery codes are saved.
  const atPassword = step.step === 'password';
  useEffect(() => {
    if (status === 'unknown') store.refresh().catch(() => undefined);
    else if (status === 'signed-in' && atPassword) router.replace(next);
  }, [status, store, router, next, atPassword]);

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await store.signIn(values.email, values.password);
      router.replace(next);
    } catch (caught) {
      const challenge = signInChallengeOf(caught);
      if (challenge) {
        form.resetField('password');
        setStep({ step: 'second', challenge, email: values.email.trim() });
        return;
      }
      const { byField, other } = mapFieldErrors(caught, ['email', 'password'] as const);
      for (const [field, message] of Object.entries(byField)) form.setError(field as 'email' | 'password', { message: message });
      if (Object.keys(byField).length === 0 || other.length > 0) setError(caught);
    }
  });

  if (step.step === 'second') {
    return (
      <SecondStep
        challenge={step.challenge}
        email={step.email}
        onSignedIn={(codes) => (codes && codes.length > 0 ? setStep({ step: 'recovery-codes', codes, email: step.email }) : router.replace(next))}
        onRestart={(reason) => {
          setError(reason);
          setStep({ step: 'password' });
        }}
      />
    );
  }
  if (step.step === 'recovery-codes') {
    return (
      <>
        <MobileBrand />
        <h1 className="text-2xl font-semibold tracking-tight">{t('saveYourRecoveryCodes')}</h1>
        <p className="mt-1 mb-6 text-sm text-muted-foreground">{t('twoStepSignIn')}</p>
        <RecoveryCodesShownOnce codes={step.codes} account={step.email} onDone={() => router.replace(next)} doneLabel="I have saved them, continue" />
      </>
    );
  }

  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{t('signIn')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">{t('welcomeBackSignIn')}</p>
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
          <FormField
            control={form.control}
            name="password"
            render={({ field }) => (
              <FormItem>
                <div className="flex items-center justify-between">
                  <FormLabel>{t('password')}</FormLabel>
                  <Link href="/forgot-password" className="text-xs font-medium text-primary hover:underline">
                    {t('forgotPassword')}
                  </Link>
                </div>
                <FormControl>
                  <Input type="password" autoComplete="current-password" {...field} />
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
          <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {t('signIn')}
          </Button>
        </ScriptForm>
      </Form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        {t('newHere')}{' '}
        <Link href="/register" className="font-medium text-primary hover:underline">
          {t('createAnAccount')}
        </Link>
      </p>
    </>
  );
}

/** A challenge that can no longer be answered: the sign-in starts again from the password. */
function endsTheChallenge(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'AUTH.MFA_CHALLENGE_INVALID' || error.code === 'MFA.SETUP_EXPIRED' || error.code === 'MFA.ALREADY_ENABLED');
}

/**
 * The sign-in's second step: the code from the app (or a recovery code) — after setting the app
 * up first, for an account that must have a second factor and has none yet.
 */
function SecondStep({ challenge, email, onSignedIn, onRestart }: { challenge: SignInChallenge; email: string; onSignedIn: (recoveryCodes: string[] | undefined) => void; onRestart: (reason: unknown) => void }) {
  const t = useTranslations('auth.login');
  const store = useSessionStore();
  const enrolling = challenge.kind === 'enrol';
  const [error, setError] = useState<unknown>(null);
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  const form = useForm<SecondFactorValues>({ resolver: useZodResolver(secondFactorFormSchema), defaultValues: NO_SECOND_FACTOR });

  useEffect(() => {
    if (!enrolling) return;
    let current = true;
    store.startSignInEnrolment(challenge.challengeToken).then(
      (answer) => current && setSetup(answer),
      (caught: unknown) => {
        if (!current) return;
        if (endsTheChallenge(caught)) onRestart(caught);
        else setError(caught);
      },
    );
    return () => {
      current = false;
    };
    // One setup per challenge; onRestart changes with every render of the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enrolling, challenge.challengeToken, store]);

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { recoveryCodes } = await store.completeSignIn({ challengeToken: challenge.challengeToken, ...secondFactorBody(values) });
      onSignedIn(recoveryCodes);
    } catch (caught) {
      if (endsTheChallenge(caught)) {
        onRestart(caught);
        return;
      }
      const { byField, other } = mapFieldErrors(caught, ['code', 'recoveryCode'] as const);
      for (const [field, message] of Object.entries(byField)) form.setError(field as 'code' | 'recoveryCode', { message: message }, { shouldFocus: true });
      if (Object.keys(byField).length === 0 || other.length > 0) setError(caught);
    }
  });

  const minutes = Math.max(1, Math.round(challenge.expiresIn / 60));
  return (
    <>
      <MobileBrand />
      <h1 className="text-2xl font-semibold tracking-tight">{enrolling ? t('setUpTwoStep') : t('twoStepVerification')}</h1>
      <p className="mt-1 mb-6 text-sm text-muted-foreground">
        {enrolling
          ? t('yourRoleMustSign', { email })
          : t('enterThe6Digit', { email })}
      </p>
      <Form {...form}>
        <ScriptForm onSubmit={(event) => void onSubmit(event)} className="space-y-4">
          <FormError error={error} />
          {enrolling ? (
            setup ? (
              <AuthenticatorSetup setup={setup} />
            ) : error ? null : (
              <div className="flex items-center justify-center gap-2 rounded-lg border p-8 text-sm text-muted-foreground" aria-busy="true">
                <Loader2 className="size-4 animate-spin" />{' '}{t('preparingYourKey')}
              </div>
            )
          ) : null}
          {enrolling ? (
            setup ? (
              <AppCodeField form={form} />
            ) : null
          ) : (
            <SecondFactorFields form={form} autoFocus />
          )}
          <Button type="submit" className="w-full" disabled={form.formState.isSubmitting || (enrolling && !setup)}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {enrolling ? t('turnOnAndSign') : t('verify')}
          </Button>
        </ScriptForm>
      </Form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        {t('timeLeft', { minutes })}{' '}
        <button type="button" onClick={() => onRestart(null)} className="font-medium text-primary hover:underline">
          {t('startAgain')}
        </button>
      </p>
    </>
  );
}
