'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { editUserFormSchema, type Department, type UpdateUserBody, type User } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { putFieldErrors } from '@/lib/form-errors';
import { useChangeUser, useSendPasswordReset } from '@/lib/mutations/admin';
import { useSessionStore, useUser } from '@/lib/session';
import { RoleDepartmentFields } from './role-department-fields';
import { TwoStepReset } from './two-step-reset';
import { FormAlert } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

type EditUserForm = z.infer<typeof editUserFormSchema>;
const FIELDS = ['fullName', 'role', 'departmentId', 'isActive'] as const;

/** Only what the administrator changed: the API records each change, and nothing else, in the audit. */
function changes(person: User, values: EditUserForm): UpdateUserBody {
  return {
    ...(values.fullName !== person.fullName ? { fullName: values.fullName } : {}),
    ...(values.role !== person.role ? { role: values.role } : {}),
    ...(values.departmentId !== person.departmentId ? { departmentId: values.departmentId } : {}),
    ...(values.isActive !== person.isActive ? { isActive: values.isActive } : {}),
  };
}

export function EditUserDialog({ person, departments, onClose }: { person: User; departments: Department[]; onClose: () => void }) {
  const t = useTranslations('admin.editUser');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const me = useUser();
  const store = useSessionStore();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<EditUserForm>({
    resolver: useZodResolver(editUserFormSchema),
    defaultValues: { fullName: person.fullName, role: person.role, departmentId: person.departmentId, isActive: person.isActive },
  });
  const sendReset = useSendPasswordReset(person.id, {
    onSuccess: () => toast.success(t('resetSent', { email: person.email }), { description: t('resetSentDetail') }),
    onError: (caught) => toast.error(describe(caught).title, { description: describe(caught).detail }),
  });
  const change = useChangeUser(person.id);
  const submit = (values: EditUserForm) => {
    setFormError(null);
    const body = changes(person, values);
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    change.mutate(body, {
      onSuccess: (updated) => {
        if (updated.id === me.id) store.updateUser(updated);
        toast.success(t('saved', { name: updated.fullName }), { description: updated.role !== person.role || updated.isActive !== person.isActive ? t('sessionsEnded') : undefined });
        onClose();
      },
      onError: (caught) => {
        if (putFieldErrors(form, caught, FIELDS, { shouldFocus: true })) setFormError(describe(caught).detail);
      },
    });
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto">
        <DialogHeader>
          <DialogTitle>{person.fullName}</DialogTitle>
          <DialogDescription>{person.email}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form id="edit-user-form" className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <FormField control={form.control} name="fullName" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('fullName')}</FormLabel>
                <FormControl><Input {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <RoleDepartmentFields departments={departments} />
            <FormField control={form.control} name="isActive" render={({ field }) => (
              <FormItem className="flex items-center justify-between gap-3 rounded-lg border p-3">
                <div className="grid gap-1">
                  <FormLabel>{t('active')}</FormLabel>
                  <FormDescription className="text-xs">
                    {person.id === me.id ? t('cannotDeactivateSelf') : t('deactivatedHint')}
                  </FormDescription>
                </div>
                <FormControl>
                  <Switch checked={field.value} onCheckedChange={field.onChange} disabled={person.id === me.id} />
                </FormControl>
              </FormItem>
            )} />
          </form>
        </Form>
        <div className="space-y-4">
          <div className="flex flex-col gap-3 rounded-lg border p-3 sm:flex-row sm:items-center sm:justify-between">
            <div>
              <Label>{t('password')}</Label>
              <p className="mt-1 text-xs text-muted-foreground">{t('passwordHint')}</p>
            </div>
            <Button variant="outline" onClick={() => sendReset.mutate()} disabled={sendReset.isPending || !person.isActive || person.id === me.id}>
              {sendReset.isPending ? <Loader2 className="animate-spin" /> : null}
              {t('sendReset')}
            </Button>
          </div>
          <TwoStepReset person={person} isSelf={person.id === me.id} />
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={onClose}>{common('actions.cancel')}</Button>
          <Button type="submit" form="edit-user-form" disabled={change.isPending}>
            {change.isPending ? <Loader2 className="animate-spin" /> : null}
            {common('actions.save')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
