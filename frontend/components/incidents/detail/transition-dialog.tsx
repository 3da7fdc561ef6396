'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Loader2 } from 'lucide-react';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { transitionReasonSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { STATUS_LABELS } from '@/lib/format';
import { mapFieldErrors } from '@/lib/form-errors';
import type { TransitionAction } from '@/lib/lifecycle';
import { conflictMessage, useIncidentMutations } from '@/lib/mutations/incidents';

const schema = z.object({ reason: transitionReasonSchema });
type Values = z.input<typeof schema>;

/** Who hears of a status change (notification-service's rules): the reporter and the assignee, never the person who made it. */
function whoIsTold(incident: Incident, viewerId: string): string {
  const reporter = incident.reporterId !== viewerId;
  const assignee = incident.assigneeId !== null && incident.assigneeId !== viewerId && incident.assigneeId !== incident.reporterId;
  if (reporter && assignee) return 'The reporter and the assignee are told.';
  if (reporter) return 'The reporter is told.';
  if (assignee) return 'The assignee is told.';
  return '';
}

/** Confirms a status change, with the reason the timeline and the people told will read. */
export function TransitionDialog({ action, incident, viewerId, onClose }: { action: TransitionAction | null; incident: Incident; viewerId: string; onClose: () => void }) {
  const { patch } = useIncidentMutations(incident);
  const form = useForm<Values, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { reason: '' } });
  const open = action !== null;
  useEffect(() => {
    if (open) form.reset({ reason: '' });
  }, [open, form]);

  const submit = form.handleSubmit(({ reason }) => {
    if (!action) return;
    patch.mutate(
      { status: action.to, ...(reason ? { reason } : {}) },
      {
        onSuccess: (updated) => {
          onClose();
          toast.success(`${updated.key} is now ${STATUS_LABELS[updated.status].toLowerCase()}`);
        },
        onError: (error) => {
          const { byField } = mapFieldErrors(error, ['reason'] as const);
          if (byField.reason) return form.setError('reason', { message: byField.reason });
          onClose();
          const { title, detail } = conflictMessage(error);
          toast.error(title, { description: detail });
        },
      },
    );
  });

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {action?.label} · {incident.key}
          </DialogTitle>
          <DialogDescription>{action ? `${STATUS_LABELS[incident.status]} → ${STATUS_LABELS[action.to]}. ${whoIsTold(incident, viewerId)}`.trim() : null}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form noValidate className="grid gap-4" onSubmit={(event) => void submit(event)}>
            <FormField
              control={form.control}
              name="reason"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{action?.reasonPrompt}</FormLabel>
                  <FormControl>
                    <Textarea rows={3} {...field} />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>
                Go back
              </Button>
              <Button type="submit" variant={action?.tone === 'danger' ? 'destructive' : 'default'} disabled={patch.isPending}>
                {patch.isPending ? <Loader2 className="animate-spin" /> : null}
                {action?.label}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
