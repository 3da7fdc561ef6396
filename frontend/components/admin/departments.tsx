'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2, Pencil, Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { departmentFormSchema, type Department } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form } from '@/components/ui/form';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { putFieldErrors } from '@/lib/form-errors';
import { useSaveDepartment } from '@/lib/mutations/admin';
import { useDepartments } from '@/lib/queries';
import { FormAlert, NameDescriptionFields } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

type DepartmentForm = z.infer<typeof departmentFormSchema>;

export function DepartmentsTab() {
  const t = useTranslations('admin.departments');
  const common = useTranslations('common');
  const departments = useDepartments();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between border-b p-4">
          <p className="text-sm text-muted-foreground">{t('intro')}</p>
          <Button onClick={() => setEditing('new')}>
            <Plus /> {t('new')}
          </Button>
        </div>
        <QueryStates query={departments} rows={3}>
          {(all) => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">{t('name')}</TableHead>
                  <TableHead>{t('description')}</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">{common('actions.edit')}</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {all.map((department) => (
                  <TableRow key={department.id}>
                    <TableCell className="pl-4 font-medium">{department.name}</TableCell>
                    <TableCell className="whitespace-normal text-muted-foreground">{department.description ?? '—'}</TableCell>
                    <TableCell className="pr-4 text-right">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(department)}><Pencil /> {common('actions.edit')}</Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
      {editing ? <DepartmentDialog department={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function DepartmentDialog({ department, onClose }: { department: Department | null; onClose: () => void }) {
  const t = useTranslations('admin.departments');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const save = useSaveDepartment(department);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<DepartmentForm>({
    resolver: useZodResolver(departmentFormSchema),
    defaultValues: { name: department?.name ?? '', description: department?.description ?? '' },
  });
  const submit = (values: DepartmentForm) => {
    setFormError(null);
    save.mutate(
      { name: values.name, description: values.description || null },
      {
        onSuccess: (saved) => {
          toast.success(t('saved', { name: saved.name }));
          onClose();
        },
        onError: (caught) => {
          if (putFieldErrors(form, caught, ['name', 'description'], { shouldFocus: true })) setFormError(describe(caught).detail);
        },
      },
    );
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{department ? t('editTitle', { name: department.name }) : t('new')}</DialogTitle>
          <DialogDescription>{t('dialogDescription')}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <NameDescriptionFields rows={3} />
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
