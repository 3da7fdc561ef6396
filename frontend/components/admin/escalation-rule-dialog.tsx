'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { escalationRuleFormSchema, INCIDENT_PRIORITIES, type EscalationRule, type EscalationRuleForm } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { putFieldErrors } from '@/lib/form-errors';
import { useSaveEscalationRule } from '@/lib/mutations/escalations';
import { FormAlert } from './form-parts';
import { useLabels } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

const FIELDS = ['name', 'priority', 'target', 'thresholdPercent', 'notifyAssignee', 'notifyManager', 'raisePriority', 'reassign', 'isActive'] as const;

function valuesOf(rule: EscalationRule | null): EscalationRuleForm {
  return {
    name: rule?.name ?? '',
    priority: rule?.priority ?? 'HIGH',
    target: rule?.target ?? 'resolution',
    thresholdPercent: rule?.thresholdPercent ?? 75,
    notifyAssignee: rule?.notify.assignee ?? true,
    notifyManager: rule?.notify.manager ?? true,
    raisePriority: rule?.raisePriority ?? false,
    reassign: rule?.reassign ?? 'none',
    isActive: rule?.isActive ?? true,
  };
}

/** A new escalation rule, or a change to one; the actions at the breach are offered at 100 % only. */
export function EscalationRuleDialog({ rule, onClose }: { rule: EscalationRule | null; onClose: () => void }) {
  const t = useTranslations('admin.escalationRule');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const labels = useLabels();
  const save = useSaveEscalationRule(rule);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<EscalationRuleForm>({ resolver: useZodResolver(escalationRuleFormSchema), defaultValues: valuesOf(rule) });
  const threshold = useWatch({ control: form.control, name: 'thresholdPercent' });
  const atBreach = threshold === 100;
  const submit = (values: EscalationRuleForm) => {
    setFormError(null);
    const { notifyAssignee, notifyManager, ...rest } = values;
    save.mutate(
      { ...rest, notify: { assignee: notifyAssignee, manager: notifyManager } },
      {
        onSuccess: (saved) => {
          toast.success(t('saved', { name: saved.name }));
          onClose();
        },
        onError: (caught) => {
          // The API names `/notify`; the form has its two boxes.
          if (putFieldErrors(form, caught, FIELDS, { shouldFocus: true })) setFormError(describe(caught).detail);
        },
      },
    );
  };
  const select = <Name extends 'priority' | 'target' | 'reassign'>(name: Name, label: string, options: [string, string][], disabled = false) => (
    <FormField control={form.control} name={name} render={({ field }) => (
      <FormItem>
        <FormLabel>{label}</FormLabel>
        <Select value={field.value} onValueChange={field.onChange} disabled={disabled}>
          <FormControl><SelectTrigger className="w-full"><SelectValue /></SelectTrigger></FormControl>
          <SelectContent>
            {options.map(([value, text]) => <SelectItem key={value} value={value}>{text}</SelectItem>)}
          </SelectContent>
        </Select>
        <FormMessage />
      </FormItem>
    )} />
  );
  const check = (name: 'notifyAssignee' | 'notifyManager', label: string) => (
    <FormField control={form.control} name={name} render={({ field }) => (
      <FormItem className="flex items-center gap-2">
        <FormControl><Checkbox checked={field.value} onCheckedChange={(checked) => field.onChange(checked === true)} /></FormControl>
        <FormLabel className="font-normal">{label}</FormLabel>
      </FormItem>
    )} />
  );
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{rule ? t('editTitle', { name: rule.name }) : t('new')}</DialogTitle>
          <DialogDescription>{t('description')}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <FormField control={form.control} name="name" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('name')}</FormLabel>
                <FormControl><Input placeholder={t('namePlaceholder')} maxLength={100} {...field} /></FormControl>
                <FormMessage />
              </FormItem>
            )} />
            <div className="grid gap-4 sm:grid-cols-2">
              {select('priority', t('priority'), [...INCIDENT_PRIORITIES].reverse().map((priority) => [priority, labels.priority(priority)]))}
              {select('target', t('target'), [['response', t('response')], ['resolution', t('resolution')]])}
            </div>
            <FormField control={form.control} name="thresholdPercent" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('threshold')}</FormLabel>
                <FormControl>
                  <Input
                    type="number"
                    min={1}
                    max={100}
                    inputMode="numeric"
                    className="w-28"
                    name={field.name}
                    ref={field.ref}
                    onBlur={field.onBlur}
                    value={Number.isNaN(field.value) ? '' : field.value}
                    onChange={(event) => field.onChange(event.target.value === '' ? Number.NaN : event.target.valueAsNumber)}
                  />
                </FormControl>
                <FormDescription>{t('thresholdHint')}</FormDescription>
                <FormMessage />
              </FormItem>
            )} />
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">{t('tell')}</legend>
              {check('notifyAssignee', t('notifyAssignee'))}
              {check('notifyManager', t('notifyManager'))}
              {form.formState.errors.notifyManager?.message ? (
                <p role="alert" className="text-sm text-destructive">{form.formState.errors.notifyManager.message}</p>
              ) : null}
            </fieldset>
            <FormField control={form.control} name="raisePriority" render={({ field }) => (
              <FormItem className="flex items-center justify-between gap-3 rounded-lg border p-3">
                <div className="grid gap-1">
                  <FormLabel>{t('raise')}</FormLabel>
                  <FormDescription className="text-xs">{t('atBreachOnly')}</FormDescription>
                </div>
                <FormControl><Switch checked={field.value} onCheckedChange={field.onChange} disabled={!atBreach} /></FormControl>
              </FormItem>
            )} />
            {select('reassign', t('reassign'), [['none', t('reassignNone')], ['manager', t('reassignManager')], ['routing', t('reassignRouting')]], !atBreach)}
            <FormField control={form.control} name="isActive" render={({ field }) => (
              <FormItem className="flex items-center justify-between gap-3 rounded-lg border p-3">
                <FormLabel>{t('active')}</FormLabel>
                <FormControl><Switch checked={field.value} onCheckedChange={field.onChange} /></FormControl>
              </FormItem>
            )} />
            <DialogFooter>
              <Button type="button" variant="ghost" onClick={onClose}>{common('actions.cancel')}</Button>
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? <Loader2 className="animate-spin" /> : null}
                {common('actions.save')}
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
