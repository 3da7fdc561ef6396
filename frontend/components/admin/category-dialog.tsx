'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { categoryFormSchema, type Category, type Department } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { mapFieldErrors } from '@/lib/form-errors';
import { useSaveCategory } from '@/lib/mutations/admin';
import { DepartmentSelect } from './department-select';
import { FormAlert, NameDescriptionFields } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

type CategoryForm = z.infer<typeof categoryFormSchema>;

/** A new category, or a change to one's name and description; Save stays enabled and says what is missing. */
export function CategoryDialog({ category, departments, onClose }: { category: Category | null; departments: Department[]; onClose: () => void }) {
  const t = useTranslations('admin.categories');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const save = useSaveCategory(category);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CategoryForm>({
    resolver: useZodResolver(categoryFormSchema),
    defaultValues: { name: category?.name ?? '', description: category?.description ?? '', departmentId: category?.departmentId ?? '' },
  });
  const submit = (values: CategoryForm) => {
    setFormError(null);
    save.mutate(
      { name: values.name, description: values.description, departmentId: values.departmentId },
      {
        onSuccess: (saved) => {
          toast.success(t('saved', { name: saved.name }));
          onClose();
        },
        onError: (caught) => {
          const { byField, other } = mapFieldErrors(caught, ['name', 'description', 'departmentId'] as const);
          for (const [field, message] of Object.entries(byField)) form.setError(field as keyof CategoryForm, { message });
          if (Object.keys(byField).length === 0 || other.length > 0) setFormError(describe(caught).detail);
        },
      },
    );
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{category ? t('editTitle', { name: category.name }) : t('new')}</DialogTitle>
          <DialogDescription>
            {category ? t('editDescription') : t('newDescription')}
          </DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <NameDescriptionFields rows={2} />
            {category ? null : (
              <FormField control={form.control} name="departmentId" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('department')}</FormLabel>
                  <DepartmentSelect value={field.value || null} onChange={(next) => field.onChange(next ?? '')} departments={departments} allowNone={false} />
                  <FormMessage />
                </FormItem>
              )} />
            )}
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
