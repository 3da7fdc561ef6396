'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { INCIDENT_PRIORITIES, slaPolicyFormSchema, type SlaPolicy } from '@desk/contracts';
import { PriorityBadge } from '@/components/badges';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { putFieldErrors } from '@/lib/form-errors';
import { useSaveSlaPolicy } from '@/lib/mutations/admin';
import { useSlaPolicies } from '@/lib/queries';
import { useFormat, useLabels } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

export function SlaTab() {
  const t = useTranslations('admin.sla');
  const common = useTranslations('common');
  const policies = useSlaPolicies();
  const byPriority = new Map((policies.data ?? []).map((policy) => [policy.priority, policy]));
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <p className="border-b p-4 text-sm text-muted-foreground">
          {t('intro')}
        </p>
        <QueryStates query={policies}>
          {() => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">{t('priority')}</TableHead>
                  <TableHead>{t('responseMinutes')}</TableHead>
                  <TableHead>{t('resolutionMinutes')}</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">{common('actions.save')}</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {[...INCIDENT_PRIORITIES].reverse().map((priority) => {
                  const policy = byPriority.get(priority);
                  return policy ? <SlaRow key={priority} policy={policy} /> : null;
                })}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
    </Card>
  );
}

type SlaForm = z.infer<typeof slaPolicyFormSchema>;

/** One priority's targets: a small form of its own, checked by the contracts' rule before anything is sent. */
function SlaRow({ policy }: { policy: SlaPolicy }) {
  const t = useTranslations('admin.sla');
  const common = useTranslations('common');
  const labels = useLabels();
  const describe = useDescribeError();
  const format = useFormat();
  const save = useSaveSlaPolicy(policy.priority);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SlaForm>({
    resolver: useZodResolver(slaPolicyFormSchema),
    defaultValues: { responseMinutes: policy.responseMinutes, resolutionMinutes: policy.resolutionMinutes },
  });
  const [response, resolution] = useWatch({ control: form.control, name: ['responseMinutes', 'resolutionMinutes'] });
  const changed = response !== policy.responseMinutes || resolution !== policy.resolutionMinutes;
  const formId = `sla-${policy.priority}`;
  const submit = (values: SlaForm) => {
    setFormError(null);
    save.mutate(values, {
      onSuccess: (saved) => {
        form.reset({ responseMinutes: saved.responseMinutes, resolutionMinutes: saved.resolutionMinutes });
        toast.success(t('saved', { priority: labels.priority(policy.priority) }));
      },
      onError: (caught) => {
        if (putFieldErrors(form, caught, ['responseMinutes', 'resolutionMinutes'], { shouldFocus: true })) setFormError(describe(caught).detail);
      },
    });
  };
  const minutesField = (name: keyof SlaForm, target: 'response' | 'resolution') => (
    <FormField control={form.control} name={name} render={({ field }) => (
      <FormItem className="gap-1">
        <FormLabel className="sr-only">{t('minutesLabel', { priority: labels.priority(policy.priority), target })}</FormLabel>
        <FormControl>
          <Input
            type="number"
            min={1}
            inputMode="numeric"
            form={formId}
            className="w-28"
            name={field.name}
            ref={field.ref}
            onBlur={field.onBlur}
            value={Number.isNaN(field.value) ? '' : field.value}
            onChange={(event) => field.onChange(event.target.value === '' ? Number.NaN : event.target.valueAsNumber)}
          />
        </FormControl>
        <div className="text-xs text-muted-foreground">{Number.isFinite(field.value) && field.value > 0 ? format.duration(field.value * 60) : '—'}</div>
        <FormMessage className="text-xs whitespace-normal" />
      </FormItem>
    )} />
  );
  return (
    <Form {...form}>
      <TableRow>
        <TableCell className="pl-4 align-top"><PriorityBadge priority={policy.priority} /></TableCell>
        <TableCell className="align-top">{minutesField('responseMinutes', 'response')}</TableCell>
        <TableCell className="align-top">
          {minutesField('resolutionMinutes', 'resolution')}
          {formError ? <p role="alert" className="mt-1 text-xs whitespace-normal text-destructive">{formError}</p> : null}
        </TableCell>
        <TableCell className="pr-4 text-right align-top">
          <form id={formId} noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <Button type="submit" size="sm" variant={changed ? 'default' : 'outline'} disabled={!changed || save.isPending}>
              {save.isPending ? <Loader2 className="animate-spin" /> : null}
              {common('actions.save')}
            </Button>
          </form>
        </TableCell>
      </TableRow>
    </Form>
  );
}
