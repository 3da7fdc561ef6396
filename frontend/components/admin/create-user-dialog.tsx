'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { createUserFormSchema, type Department } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { mapFieldErrors } from '@/lib/form-errors';
import { useCreateUser } from '@/lib/mutations/admin';
import { RoleDepartmentFields } from './role-department-fields';
import { FormAlert } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

type CreateUserInput = z.input<typeof createUserFormSchema>;
type CreateUserOutput = z.output<typeof createUserFormSchema>;

export function CreateUserDialog({ departments, onClose }: { departments: Department[]; onClose: () => void }) {
  const t = useTranslations('admin.createUser');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateUserInput, unknown, CreateUserOutput>({
    resolver: useZodResolver(createUserFormSchema),
    defaultValues: { fullName: '', email: '', password: '', role: 'reporter', departmentId: null },
  });
  const create = useCreateUser();
  const submit = (values: CreateUserOutput) => {
    setFormError(null);
    create.mutate(values, {
      onSuccess: (created) => {
        toast.success(t('created', { name: created.fullName }));
        onClose();
      },
      onError: (error) => {
        const { byField, other } = mapFieldErrors(error, ['fullName', 'email', 'password', 'role', 'departmentId'] as const);
        for (const [field, message] of Object.entries(byField)) form.setError(field as keyof CreateUserInput, { message });
        if (Object.keys(byField).length === 0 || other.length > 0) setFormError(describe(error).detail);
      },
    });
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('title')}</DialogTitle>
          <DialogDescription>{t('description')}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <FormField control={form.control} name="fullName" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('fullName')}</FormLabel>
                <FormControl><Input {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="email" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('email')}</FormLabel>
                <FormControl><Input type="email" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="password" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('password')}</FormLabel>
                <FormControl><Input type="password" autoComplete="new-password" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <RoleDepartmentFields departments={departments} />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>{common('actions.cancel')}</Button>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? <Loader2 className="animate-spin" /> : null}
                {t('submit')}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
