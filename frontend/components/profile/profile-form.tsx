'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { updateProfileBodySchema, type UpdateProfileBody, type User } from '@desk/contracts';
import { FormError } from '@/components/auth-forms';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { mapFieldErrors } from '@/lib/form-errors';
import { useUpdateProfile } from '@/lib/mutations/account';
import { useDepartments } from '@/lib/queries';
import { useLabels } from '@/lib/i18n/use-format';

/** The name others see, and what the person cannot change themself (address, role, department). */
export function ProfileForm({ user }: { user: User }) {
  const t = useTranslations('account.profile');
  const labels = useLabels();
  const update = useUpdateProfile();
  const departments = useDepartments();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<UpdateProfileBody>({ resolver: useZodResolver(updateProfileBodySchema), defaultValues: { fullName: user.fullName } });
  const department = departments.data?.find((item) => item.id === user.departmentId);

  const onSubmit = form.handleSubmit((body) => {
    setError(null);
    update.mutate(body, {
      onSuccess: (saved) => {
        form.reset({ fullName: saved.fullName });
        toast.success(t('nameSaved'), { description: t('incidentsListsAndMails') });
      },
      onError: (caught) => {
        const { byField, other } = mapFieldErrors(caught, ['fullName'] as const);
        if (byField.fullName) form.setError('fullName', { message: byField.fullName });
        if (!byField.fullName || other.length > 0) setError(caught);
      },
    });
  });

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,28rem)_1fr]">
      <Form {...form}>
        <form onSubmit={(event) => void onSubmit(event)} className="space-y-4" noValidate>
          <FormError error={error} />
          <FormField
            control={form.control}
            name="fullName"
            render={({ field }) => (
              <FormItem>
                <FormLabel>{t('fullName')}</FormLabel>
                <FormControl>
                  <Input autoComplete="name" {...field} />
                </FormControl>
                <FormDescription className="text-xs">{t('shownToThePeople')}</FormDescription>
                <FormMessage />
              </FormItem>
            )}
          />
          <Button type="submit" disabled={update.isPending || !form.formState.isDirty}>
            {update.isPending ? <Loader2 className="animate-spin" /> : null}
            {t('saveName')}
          </Button>
        </form>
      </Form>
      <div className="grid content-start gap-3 text-sm">
      <dl className="grid gap-3">
        <div>
          <dt className="text-muted-foreground">{t('email')}</dt>
          <dd className="font-medium break-all">{user.email}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground">{t('role')}</dt>
          <dd className="font-medium">{labels.role(user.role)}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground">{t('department')}</dt>
          <dd className="font-medium">{user.departmentId ? (department?.name ?? '…') : t('none')}</dd>
        </div>
      </dl>
        <p className="text-xs text-muted-foreground">{t('anAdministratorChangesYour')}</p>
      </div>
    </div>
  );
}
