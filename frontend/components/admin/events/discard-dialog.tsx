'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2, Trash2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { discardParkedEventBodySchema, type DiscardParkedEventBody, type ParkedEventView } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { mapFieldErrors } from '@/lib/form-errors';
import { useDiscardParkedEvent } from '@/lib/mutations/events';
import { useTranslations } from 'next-intl';
import { useEventLabels } from './helpers';
import { useErrorToast } from '@/lib/i18n/errors';

/** Sets a parked event aside for good; the reason given stays with it. */
export function DiscardDialog({ event, onClose }: { event: ParkedEventView; onClose: () => void }) {
  const t = useTranslations('integrations.events.discard');
  const labels = useEventLabels();
  const failed = useErrorToast();
  const form = useForm<DiscardParkedEventBody>({ resolver: useZodResolver(discardParkedEventBodySchema), defaultValues: { reason: '' } });
  const discard = useDiscardParkedEvent(event.id);
  const submit = (values: DiscardParkedEventBody) =>
    discard.mutate(values, {
      onSuccess: () => {
        onClose();
        toast.success(t('done'));
      },
      onError: (error) => {
        const { byField, other } = mapFieldErrors(error, ['reason'] as const);
        if (byField.reason) form.setError('reason', { message: byField.reason });
        if (!byField.reason || other.length > 0) failed(error);
      },
    });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{event.eventType ? t('title', { type: event.eventType }) : t('titleUnknown')}</DialogTitle>
          <DialogDescription>
            {t('description', { consumer: labels.consumer(event.consumer) })}
          </DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form onSubmit={form.handleSubmit(submit)} className="space-y-4" noValidate>
            <FormField
              control={form.control}
              name="reason"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('reason')}</FormLabel>
                  <FormControl>
                    <Textarea {...field} rows={3} placeholder={t('reasonPlaceholder')} />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={onClose}>
                {t('cancel')}
              </Button>
              <Button type="submit" variant="destructive" disabled={discard.isPending}>
                {discard.isPending ? <Loader2 className="animate-spin" /> : <Trash2 />} {t('confirm')}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
