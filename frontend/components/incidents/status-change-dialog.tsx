'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { transitionReasonSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import type { TransitionAction } from '@/lib/lifecycle';
import { useTranslations } from 'next-intl';

// The one dialog that asks for the reason of a status change: on the incident page (every move,
// the reason optional unless the API asks for one) and on the board (only the moves that should
// say why, where it is required before the card moves). The reason goes to the timeline and to
// the people told of the change.

const optionalReason = z.object({ reason: transitionReasonSchema });
const requiredReasonWith = (message: string) => z.object({ reason: transitionReasonSchema.min(1, { error: message }) });
type Values = z.input<typeof optionalReason>;

export interface StatusChangeDialogProps {
  /** The move asked for; null while the dialog is closed. */
  action: TransitionAction | null;
  incident: Incident | null;
  /** Under the title: from where to where, and who is told. */
  description: string;
  /** Whether the dialog itself insists on a reason. */
  reasonRequired: boolean;
  cancelLabel: string;
  busy?: boolean;
  /** The confirmed reason (trimmed, possibly empty); `showReasonError` puts an API refusal under the field. */
  onConfirm: (reason: string, showReasonError: (message: string) => void) => void;
  onClose: () => void;
}

export function StatusChangeDialog({ action, incident, description, reasonRequired, cancelLabel, busy = false, onConfirm, onClose }: StatusChangeDialogProps) {
  const t = useTranslations('incidents');
  const form = useForm<Values, unknown, z.output<typeof optionalReason>>({ resolver: useZodResolver(useMemo(() => (reasonRequired ? requiredReasonWith(t('reasonRequired')) : optionalReason), [reasonRequired, t])), defaultValues: { reason: '' } });
  const open = action !== null && incident !== null;
  useEffect(() => {
    if (open) form.reset({ reason: '' });
  }, [open, form]);
  const submit = form.handleSubmit(({ reason }) => onConfirm(reason, (message) => form.setError('reason', { message }, { shouldFocus: true })));

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {action ? t(`transitions.${action.kind}.label`) : null} · {incident?.key}
          </DialogTitle>
          <DialogDescription>{open ? description : null}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form noValidate className="grid gap-4" onSubmit={(event) => void submit(event)}>
            <FormField
              control={form.control}
              name="reason"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{action ? t(`transitions.${action.kind}.prompt`) : null}</FormLabel>
                  <FormControl>
                    <Textarea rows={3} {...field} />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>
                {cancelLabel}
              </Button>
              <Button type="submit" variant={action?.tone === 'danger' ? 'destructive' : 'default'} disabled={busy}>
                {busy ? <Loader2 className="animate-spin" /> : null}
                {action ? t(`transitions.${action.kind}.label`) : null}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
