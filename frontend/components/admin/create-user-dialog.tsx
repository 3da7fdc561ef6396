'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
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
        toast.success(`${created.fullName} can now sign in`);
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
          <DialogTitle>New user</DialogTitle>
          <DialogDescription>Staff members and managers belong to a department; reporters and administrators may have none. Tell the person their password; they cannot change it yet.</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <FormField control={form.control} name="fullName" render={({ field }) => (
              <FormItem>
                <FormLabel>Full name</FormLabel>
                <FormControl><Input {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="email" render={({ field }) => (
              <FormItem>
                <FormLabel>Email</FormLabel>
                <FormControl><Input type="email" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="password" render={({ field }) => (
              <FormItem>
                <FormLabel>Initial password</FormLabel>
                <FormControl><Input type="password" autoComplete="new-password" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <RoleDepartmentFields departments={departments} />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>Cancel</Button>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? <Loader2 className="animate-spin" /> : null}
                Create user
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
