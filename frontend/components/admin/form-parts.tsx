'use client';

import { useTranslations } from 'next-intl';
import { useFormContext } from 'react-hook-form';
import { FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';

// Parts the administration's dialogs share.

/** What a refused write said that names no field of the form, above its fields. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
      {message}
    </p>
  );
}

/** A name and a description, inside a department's or a category's form. */
export function NameDescriptionFields({ rows = 2 }: { rows?: number }) {
  const t = useTranslations('admin.form');
  const form = useFormContext<{ name: string; description: string }>();
  return (
    <>
      <FormField control={form.control} name="name" render={({ field }) => (
        <FormItem>
          <FormLabel>{t('name')}</FormLabel>
          <FormControl><Input {...field} /></FormControl>
          <FormMessage />
        </FormItem>
      )} />
      <FormField control={form.control} name="description" render={({ field }) => (
        <FormItem>
          <FormLabel>{t('description')}</FormLabel>
          <FormControl><Textarea rows={rows} {...field} /></FormControl>
          <FormMessage />
        </FormItem>
      )} />
    </>
  );
}
