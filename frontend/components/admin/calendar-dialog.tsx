'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { calendarFormSchema, calendarFromForm, calendarToForm, WEEKDAYS, type Calendar, type CalendarForm } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { ApiError } from '@/lib/api-client';
import { useSaveCalendar } from '@/lib/mutations/desk-operations';
import { FormAlert } from './form-parts';
import { useDescribeError } from '@/lib/i18n/errors';

/** A refusal's field (`/week/monday/1`, `/timeZone`, `/holidays/0/date`) as the form's field. */
function formFieldOf(path: string): 'name' | 'timeZone' | 'holidays' | 'closures' | `week.${(typeof WEEKDAYS)[number]}` | null {
  const [, first, second] = path.split('/');
  if (first === 'name' || first === 'timeZone' || first === 'holidays' || first === 'closures') return first;
  if (first === 'week' && second && (WEEKDAYS as readonly string[]).includes(second)) return `week.${second as (typeof WEEKDAYS)[number]}`;
  return null;
}

/** A new calendar or a change to one: hours per weekday as typed, holidays one per line. */
export function CalendarDialog({ calendar, onClose }: { calendar: Calendar | null; onClose: () => void }) {
  const t = useTranslations('admin.calendars');
  const common = useTranslations('common');
  const describe = useDescribeError();
  const save = useSaveCalendar(calendar);
  const [formError, setFormError] = useState<string | null>(null);
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const form = useForm<CalendarForm>({ resolver: useZodResolver(calendarFormSchema), defaultValues: calendarToForm(calendar) });
  const submit = (values: CalendarForm) => {
    setFormError(null);
    save.mutate(calendarFromForm(values), {
      onSuccess: (saved) => {
        toast.success(t('saved', { name: saved.name }), { description: calendar ? t('savedDetail') : undefined });
        onClose();
      },
      onError: (caught) => {
        let placed = false;
        if (caught instanceof ApiError) {
          for (const issue of caught.fieldErrors) {
            const field = formFieldOf(issue.path);
            if (field) {
              form.setError(field, { message: `${issue.message[0]?.toUpperCase() ?? ''}${issue.message.slice(1)}.` }, { shouldFocus: !placed });
              placed = true;
            }
          }
        }
        if (!placed) setFormError(describe(caught).detail ?? describe(caught).title);
      },
    });
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{calendar ? t('editTitle', { name: calendar.name }) : t('new')}</DialogTitle>
          <DialogDescription>{t('dialogDescription')}</DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
            <FormAlert message={formError} />
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField control={form.control} name="name" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('name')}</FormLabel>
                  <FormControl><Input placeholder={t('namePlaceholder')} maxLength={100} {...field} /></FormControl>
                  <FormMessage />
                </FormItem>
              )} />
              <FormField control={form.control} name="timeZone" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('timeZone')}</FormLabel>
                  <FormControl><Input list="calendar-time-zones" autoComplete="off" {...field} /></FormControl>
                  <datalist id="calendar-time-zones">{zones.map((zone) => <option key={zone} value={zone} />)}</datalist>
                  <FormMessage />
                </FormItem>
              )} />
            </div>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">{t('workingHours')}</legend>
              <p className="text-xs text-muted-foreground">{t('workingHoursHint')}</p>
              {WEEKDAYS.map((day) => (
                <FormField key={day} control={form.control} name={`week.${day}`} render={({ field }) => (
                  <FormItem className="grid grid-cols-[6.5rem_1fr] items-center gap-x-3 gap-y-1">
                    <FormLabel className="font-normal">{t(`day.${day}`)}</FormLabel>
                    <FormControl><Input placeholder={t('closed')} {...field} /></FormControl>
                    <FormMessage className="col-start-2" />
                  </FormItem>
                )} />
              ))}
            </fieldset>
            <FormField control={form.control} name="holidays" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('holidays')}</FormLabel>
                <FormControl><Textarea rows={4} placeholder={t('holidaysPlaceholder')} {...field} /></FormControl>
                <FormDescription>{t('holidaysHint')}</FormDescription>
                <FormMessage />
              </FormItem>
            )} />
            <FormField control={form.control} name="closures" render={({ field }) => (
              <FormItem>
                <FormLabel>{t('closures')}</FormLabel>
                <FormControl><Textarea rows={2} placeholder={t('closuresPlaceholder')} {...field} /></FormControl>
                <FormDescription>{t('closuresHint')}</FormDescription>
                <FormMessage />
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
