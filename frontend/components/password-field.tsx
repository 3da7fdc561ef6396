'use client';

import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';

/**
 * A password field of a react-hook-form form. The hint stands under it until the field has an
 * error, which then takes its place: the rule is never said twice.
 */
export function PasswordField<T extends FieldValues>({
  form,
  name,
  label,
  autoComplete,
  hint,
  autoFocus,
}: {
  form: UseFormReturn<T>;
  name: Path<T>;
  label: string;
  autoComplete: string;
  hint?: string;
  autoFocus?: boolean;
}) {
  return (
    <FormField
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <FormItem>
          <FormLabel>{label}</FormLabel>
          <FormControl>
            <Input type="password" autoComplete={autoComplete} autoFocus={autoFocus} {...field} />
          </FormControl>
          {hint && !fieldState.error ? <FormDescription className="text-xs">{hint}</FormDescription> : null}
          <FormMessage />
        </FormItem>
      )}
    />
  );
}
