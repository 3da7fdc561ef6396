'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2, Webhook as WebhookIcon } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { createWebhookBodySchema, type Webhook, type WebhookWithSecret } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { putFieldErrors } from '@/lib/form-errors';
import { useCreateWebhook, useUpdateWebhook } from '@/lib/mutations/webhooks';
import { FormAlert } from '../form-parts';
import { EventTypeChooser } from './event-types';
import { WebhookSecretShownOnce } from './secret-shown-once';
import { useDescribeError } from '@/lib/i18n/errors';

const formSchema = createWebhookBodySchema.extend({ description: z.string().trim().max(500) });
type WebhookForm = z.infer<typeof formSchema>;

/** Registers an endpoint (then shows its secret once), or changes one's URL, events and description. */
export function WebhookFormDialog({ webhook, onClose }: { webhook?: Webhook; onClose: () => void }) {
  const t = useTranslations('integrations.webhooks.form');
  const describe = useDescribeError();
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const form = useForm<WebhookForm>({
    resolver: useZodResolver(formSchema),
    defaultValues: webhook ? { url: webhook.url, events: webhook.events, description: webhook.description } : { url: '', events: ['incident.created', 'incident.status_changed'], description: '' },
  });
  const create = useCreateWebhook();
  const update = useUpdateWebhook(webhook?.id ?? '');
  const pending = create.isPending || update.isPending;
  const onError = (error: unknown) => {
    if (putFieldErrors(form, error, ['url', 'events', 'description'], { shouldFocus: true })) setFormError(describe(error).detail);
  };
  const submit = (values: WebhookForm) => {
    setFormError(null);
    if (webhook) {
      update.mutate(values, {
        onSuccess: () => {
          toast.success(t('saved'));
          onClose();
        },
        onError,
      });
    } else {
      create.mutate(values, { onSuccess: setCreated, onError });
    }
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        {created ? (
          <WebhookSecretShownOnce secret={created.secret} title={t('registered')} note={t('registeredNote')} onClose={onClose} />
        ) : (
          <Form {...form}>
            <form noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)} className="space-y-4">
              <DialogHeader>
                <DialogTitle>{webhook ? t('titleChange') : t('titleNew')}</DialogTitle>
                <DialogDescription>{t('description')}</DialogDescription>
              </DialogHeader>
              <FormAlert message={formError} />
              <FormField control={form.control} name="url" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('url')}</FormLabel>
                  <FormControl><Input type="url" inputMode="url" placeholder={t('urlPlaceholder')} maxLength={2000} {...field} /></FormControl>
                  <FormMessage />
                </FormItem>
              )} />
              <FormField control={form.control} name="description" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('descriptionLabel')}</FormLabel>
                  <FormControl><Input placeholder={t('descriptionPlaceholder')} maxLength={500} {...field} /></FormControl>
                  <FormMessage />
                </FormItem>
              )} />
              <FormField control={form.control} name="events" render={({ field }) => (
                <FormItem>
                  <FormLabel asChild><span>{t('events')}</span></FormLabel>
                  <EventTypeChooser value={field.value} onChange={field.onChange} />
                  <FormMessage />
                </FormItem>
              )} />
              <DialogFooter>
                <Button type="button" variant="outline" onClick={onClose}>
                  {t('cancel')}
                </Button>
                <Button type="submit" disabled={pending}>
                  {pending ? <Loader2 className="animate-spin" /> : <WebhookIcon />}
                  {webhook ? t('save') : t('register')}
                </Button>
              </DialogFooter>
            </form>
          </Form>
        )}
      </DialogContent>
    </Dialog>
  );
}
