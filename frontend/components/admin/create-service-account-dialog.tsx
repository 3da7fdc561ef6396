'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { KeyRound, Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { SERVICE_SCOPES, serviceAccountFormSchema } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { putFieldErrors } from '@/lib/form-errors';
import { useCreateServiceAccount, type ServiceAccountWithSecret } from '@/lib/mutations/integrations';
import { SecretShownOnce } from './service-account-secret';
import { FormAlert } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

type ServiceAccountForm = z.infer<typeof serviceAccountFormSchema>;

/** A new service account: a name and what it may do; then its secret, shown this once. */
export function CreateServiceAccountDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations('integrations.serviceAccounts.create');
  const describe = useDescribeError();
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<ServiceAccountWithSecret | null>(null);
  const form = useForm<ServiceAccountForm>({ resolver: useZodResolver(serviceAccountFormSchema), defaultValues: { name: '', scopes: ['incidents:read'] } });
  const create = useCreateServiceAccount();
  const submit = (values: ServiceAccountForm) => {
    setFormError(null);
    create.mutate(values, {
      onSuccess: (account) => setCreated(account),
      onError: (error) => {
        if (putFieldErrors(form, error, ['name', 'scopes'], { shouldFocus: true })) setFormError(describe(error).detail);
      },
    });
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        {created ? (
          <SecretShownOnce account={created} title={t('ready', { name: created.name })} onClose={onClose} />
        ) : (
          <Form {...form}>
            <form noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)} className="space-y-4">
              <DialogHeader>
                <DialogTitle>{t('title')}</DialogTitle>
                <DialogDescription>{t('description')}</DialogDescription>
              </DialogHeader>
              <FormAlert message={formError} />
              <FormField control={form.control} name="name" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('name')}</FormLabel>
                  <FormControl><Input placeholder={t('namePlaceholder')} maxLength={100} {...field} /></FormControl>
                  <FormMessage />
                </FormItem>
              )} />
              <FormField control={form.control} name="scopes" render={({ field }) => (
                <FormItem>
                  <fieldset className="space-y-2">
                    <legend className="text-sm font-medium">{t('scopes')}</legend>
                    {SERVICE_SCOPES.map((scope) => (
                      <label key={scope} className="flex items-center gap-2 text-sm">
                        <Checkbox
                          checked={field.value.includes(scope)}
                          onCheckedChange={(checked) => field.onChange(checked === true ? [...field.value, scope] : field.value.filter((item) => item !== scope))}
                        />
                        {t(`scope.${scope}`)} <span className="font-mono text-xs text-muted-foreground">{scope}</span>
                      </label>
                    ))}
                  </fieldset>
                  <FormMessage />
                </FormItem>
              )} />
              <DialogFooter>
                <Button type="button" variant="outline" onClick={onClose}>
                  {t('cancel')}
                </Button>
                <Button type="submit" disabled={create.isPending}>
                  {create.isPending ? <Loader2 className="animate-spin" /> : <KeyRound />}
                  {t('submit')}
                </Button>
              </DialogFooter>
            </form>
          </Form>
        )}
      </DialogContent>
    </Dialog>
  );
}
