'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { incidentDescriptionSchema, incidentTitleSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { mapFieldErrors } from '@/lib/form-errors';
import { useConflictMessage, isConflict, useIncidentMutations } from '@/lib/mutations/incidents';

const schema = z.object({ title: incidentTitleSchema, description: incidentDescriptionSchema });
type Values = z.input<typeof schema>;
const FIELDS = ['title', 'description'] as const;
/** The longest title the API takes (incidentTitleSchema). */
const TITLE_MAX = 200;

/**
 * Title and description, sent only when changed. The draft is the form's own; the incident
 * itself stays the query's, so a live change by someone else shows as soon as the form closes
 * (and a save based on the old version is refused, not silently overwriting theirs).
 */
export function EditFieldsForm({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const t = useTranslations('incidents.editFieldsForm');
  const conflictMessage = useConflictMessage();
  // The version the draft started from: a change someone made meanwhile makes the save a 412.
  const [basis] = useState(() => incident.version);
  const { patch } = useIncidentMutations({ ...incident, version: basis });
  const form = useForm<Values, unknown, z.output<typeof schema>>({ resolver: useZodResolver(schema), defaultValues: { title: incident.title, description: incident.description } });
  const titleLength = (useWatch({ control: form.control, name: 'title' }) ?? '').trim().length;

  const submit = form.handleSubmit((values) => {
    const change = {
      ...(values.title !== incident.title ? { title: values.title } : {}),
      ...(values.description !== incident.description ? { description: values.description } : {}),
    };
    if (Object.keys(change).length === 0) return onDone();
    patch.mutate(change, {
      onSuccess: () => {
        toast.success(t('titleAndDescriptionSaved'));
        onDone();
      },
      onError: (error) => {
        const { byField } = mapFieldErrors(error, FIELDS);
        for (const [field, message] of Object.entries(byField)) form.setError(field as (typeof FIELDS)[number], { message });
        if (Object.keys(byField).length > 0) return;
        const { title, detail } = conflictMessage(error);
        toast.error(title, { description: detail });
        // Refused because the incident moved on: close, so the next edit starts from what it is now.
        if (isConflict(error)) onDone();
      },
    });
  });

  return (
    <Form {...form}>
      <form noValidate className="space-y-4" onSubmit={(event) => void submit(event)}>
        <FormField
          control={form.control}
          name="title"
          render={({ field }) => (
            <FormItem>
              <FormLabel>{t('title')}</FormLabel>
              <FormControl>
                <Input {...field} />
              </FormControl>
              <FormDescription className={titleLength > TITLE_MAX ? 'text-destructive' : undefined}>{t('characters', { titleLength, TITLE_MAX })}</FormDescription>
              <FormMessage />
            </FormItem>
          )}
        />
        <FormField
          control={form.control}
          name="description"
          render={({ field }) => (
            <FormItem>
              <FormLabel>{t('description')}</FormLabel>
              <FormControl>
                <Textarea rows={6} {...field} />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={onDone}>
            {t('cancel')}
          </Button>
          <Button type="submit" disabled={patch.isPending}>
            {patch.isPending ? <Loader2 className="animate-spin" /> : null}
            {t('save')}
          </Button>
        </div>
      </form>
    </Form>
  );
}
