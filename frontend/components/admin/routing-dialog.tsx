'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { categoryRoutingFormSchema, type AssignmentMode, type Category, type CategoryRoutingForm } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { putFieldErrors } from '@/lib/form-errors';
import { useSaveRouting } from '@/lib/mutations/desk-operations';
import { useAvailability } from '@/lib/queries';
import { FormAlert } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

/** The assignment modes, in the order they are offered; their words are `admin.routing.mode.<mode>` and `admin.routing.hint.<mode>`. */
export const ASSIGNMENT_MODES: AssignmentMode[] = ['none', 'round_robin', 'least_loaded'];

/** How a category's new incidents find someone: the mode, a default assignee and a cap. */
export function RoutingDialog({ category, onClose }: { category: Category; onClose: () => void }) {
  const t = useTranslations('admin.routing');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const save = useSaveRouting(category);
  const people = useAvailability(category.departmentId);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CategoryRoutingForm>({
    resolver: useZodResolver(categoryRoutingFormSchema),
    defaultValues: { assignment: category.assignment, defaultAssigneeId: category.defaultAssigneeId ?? 'none', maxOpenPerPerson: category.maxOpenPerPerson?.toString() ?? '' },
  });
  const submit = (values: CategoryRoutingForm) => {
    setFormError(null);
    const cap = values.maxOpenPerPerson.trim();
    save.mutate(
      { assignment: values.assignment, defaultAssigneeId: values.defaultAssigneeId === 'none' ? null : values.defaultAssigneeId, maxOpenPerPerson: cap === '' ? null : Number(cap) },
      {
        onSuccess: (saved) => {
          toast.success(t('saved', { name: saved.name, mode: t(`mode.${saved.assignment}`) }));
          onClose();
        },
        onError: (caught) => {
          if (putFieldErrors(form, caught, ['assignment', 'defaultAssigneeId', 'maxOpenPerPerson'], { shouldFocus: true })) setFormError(describe(caught).detail);
        },
      },
    );
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t('title', { name: category.name })}</DialogTitle>
          <DialogDescription>{t('description')}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <FormField control={form.control} name="assignment" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('assignment')}</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl><SelectTrigger className="w-full"><SelectValue /></SelectTrigger></FormControl>
                  <SelectContent>
                    {ASSIGNMENT_MODES.map((mode) => <SelectItem key={mode} value={mode}>{t(`mode.${mode}`)}</SelectItem>)}
                  </SelectContent>
                </Select>
                <FormDescription>{t(`hint.${field.value}`)}</FormDescription>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="defaultAssigneeId" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('defaultAssignee')}</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl><SelectTrigger className="w-full"><SelectValue /></SelectTrigger></FormControl>
                  <SelectContent>
                    <SelectItem value="none">{t('nobodyInParticular')}</SelectItem>
                    {(people.data ?? []).map((person) => <SelectItem key={person.userId} value={person.userId}>{person.fullName}</SelectItem>)}
                  </SelectContent>
                </Select>
                <FormDescription>{t('defaultAssigneeHint')}</FormDescription>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="maxOpenPerPerson" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('cap')}</FormLabel>
                <FormControl><Input inputMode="numeric" placeholder={t('noCap')} className="w-32" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>{common('actions.cancel')}</Button>
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? <Loader2 className="animate-spin" /> : null}
                {common('actions.save')}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
