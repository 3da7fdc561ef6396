'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
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

export const ASSIGNMENT_LABELS: Record<AssignmentMode, string> = { none: 'The manager assigns', round_robin: 'Round robin', least_loaded: 'Least loaded' };
const ASSIGNMENT_HINTS: Record<AssignmentMode, string> = {
  none: 'New incidents wait in the department’s queue.',
  round_robin: 'Each available person in turn.',
  least_loaded: 'Whoever has the fewest open incidents.',
};

/** How a category's new incidents find someone: the mode, a default assignee and a cap. */
export function RoutingDialog({ category, onClose }: { category: Category; onClose: () => void }) {
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
          toast.success(`${saved.name}: ${ASSIGNMENT_LABELS[saved.assignment].toLowerCase()}`);
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
          <DialogTitle>Routing of {category.name}</DialogTitle>
          <DialogDescription>Who its new incidents go to, among the department’s people who are available. Incidents of someone who leaves are handed on the same way.</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <FormField control={form.control} name="assignment" render={({ field }) => (
              <FormItem>
                <FormLabel>Assignment</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl><SelectTrigger className="w-full"><SelectValue /></SelectTrigger></FormControl>
                  <SelectContent>
                    {(Object.keys(ASSIGNMENT_LABELS) as AssignmentMode[]).map((mode) => <SelectItem key={mode} value={mode}>{ASSIGNMENT_LABELS[mode]}</SelectItem>)}
                  </SelectContent>
                </Select>
                <FormDescription>{ASSIGNMENT_HINTS[field.value]}</FormDescription>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="defaultAssigneeId" render={({ field }) => (
              <FormItem>
                <FormLabel>Default assignee</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl><SelectTrigger className="w-full"><SelectValue /></SelectTrigger></FormControl>
                  <SelectContent>
                    <SelectItem value="none">Nobody in particular</SelectItem>
                    {(people.data ?? []).map((person) => <SelectItem key={person.userId} value={person.userId}>{person.fullName}</SelectItem>)}
                  </SelectContent>
                </Select>
                <FormDescription>Gets every new incident while available and under the cap; then the assignment decides.</FormDescription>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="maxOpenPerPerson" render={({ field }) => (
              <FormItem>
                <FormLabel>Most open incidents per person</FormLabel>
                <FormControl><Input inputMode="numeric" placeholder="No cap" className="w-32" {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>Cancel</Button>
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? <Loader2 className="animate-spin" /> : null}
                Save
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
