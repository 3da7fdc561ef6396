'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { AlertCircle, Loader2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { savedViewNameSchema } from '@desk/contracts';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { mapFieldErrors } from '@/lib/form-errors';
import { useDescribeError } from '@/lib/i18n/errors';

const formSchema = z.object({ name: savedViewNameSchema });
type Values = z.infer<typeof formSchema>;
const FIELDS = ['name'] as const;

/** The longest name a view takes (savedViewNameSchema). */
const NAME_MAX = 60;

/**
 * Asks for a view's name (saving or renaming). A name the person already uses (409) or one the
 * API refuses lands on the field; anything else shows above it.
 */
export function ViewNameDialog({
  open,
  onOpenChange,
  title,
  description,
  ...form
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  initialName: string;
  submitLabel: string;
  /** Resolves when saved; rejects with the API's error. */
  onSubmit: (name: string) => Promise<unknown>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {/* Mounted with each opening: a fresh form, without last time's name or errors. */}
        <NameForm {...form} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

function NameForm({ initialName, submitLabel, onSubmit, onDone }: { initialName: string; submitLabel: string; onSubmit: (name: string) => Promise<unknown>; onDone: () => void }) {
  const t = useTranslations('shell.savedViews');
  const describe = useDescribeError();
  const [formError, setFormError] = useState<unknown>(null);
  const form = useForm<Values>({ resolver: useZodResolver(formSchema), defaultValues: { name: initialName } });

  const submit = form.handleSubmit(async ({ name }) => {
    setFormError(null);
    try {
      await onSubmit(name);
      onDone();
    } catch (error) {
      const { byField, other } = mapFieldErrors(error, FIELDS);
      if (byField.name) form.setError('name', { message: byField.name });
      if (!byField.name || other.length > 0) setFormError(error);
    }
  });

  const length = (useWatch({ control: form.control, name: 'name' }) ?? '').trim().length;
  return (
    <Form {...form}>
      <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
        {formError ? (
          <Alert variant="destructive">
            <AlertCircle />
            <AlertTitle>{describe(formError).title}</AlertTitle>
            <AlertDescription>{describe(formError).detail}</AlertDescription>
          </Alert>
        ) : null}
        <FormField
          control={form.control}
          name="name"
          render={({ field }) => (
            <FormItem>
              <FormLabel>{t('name')}</FormLabel>
              <FormControl>
                <Input {...field} autoFocus autoComplete="off" placeholder={t('forExampleMyUrgent')} />
              </FormControl>
              <FormDescription className={length > NAME_MAX ? 'text-destructive' : undefined}>{t('ofCharacters', { length, NAME_MAX })}</FormDescription>
              <FormMessage />
            </FormItem>
          )}
        />
        <DialogFooter>
          <Button type="button" variant="outline" onClick={onDone}>
            {t('cancel')}
          </Button>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <Loader2 className="animate-spin" /> : null}
            {submitLabel}
          </Button>
        </DialogFooter>
      </form>
    </Form>
  );
}
