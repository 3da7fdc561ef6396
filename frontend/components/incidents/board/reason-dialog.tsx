'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { transitionReasonSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { STATUS_LABELS } from '@/lib/format';
import type { TransitionAction } from '@/lib/lifecycle';

// The moves that should say why (cancelling, resolving, sending back, re-opening) ask before the
// card moves; the reason goes to the timeline and to the people told of the change.
const schema = z.object({ reason: transitionReasonSchema.min(1, { error: 'Say why in a few words; the reporter and the assignee read it.' }) });
type Values = z.input<typeof schema>;

export interface PendingMove {
  incident: Incident;
  action: TransitionAction;
}

export function ReasonDialog({ pending, onConfirm, onClose }: { pending: PendingMove | null; onConfirm: (move: PendingMove, reason: string) => void; onClose: () => void }) {
  const form = useForm<Values, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { reason: '' } });
  const open = pending !== null;
  useEffect(() => {
    if (open) form.reset({ reason: '' });
  }, [open, form]);

  const submit = form.handleSubmit(({ reason }) => {
    if (pending) onConfirm(pending, reason);
  });

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {pending?.action.label} · {pending?.incident.key}
          </DialogTitle>
          <DialogDescription>{pending ? `${STATUS_LABELS[pending.incident.status]} → ${STATUS_LABELS[pending.action.to]}: “${pending.incident.title}”` : null}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form noValidate className="grid gap-4" onSubmit={(event) => void submit(event)}>
            <FormField
              control={form.control}
              name="reason"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{pending?.action.reasonPrompt}</FormLabel>
                  <FormControl>
                    <Textarea rows={3} {...field} />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>
                Leave it where it is
              </Button>
              <Button type="submit" variant={pending?.action.tone === 'danger' ? 'destructive' : 'default'}>
                {pending?.action.label}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
