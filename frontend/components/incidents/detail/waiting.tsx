'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { Loader2, MessageCircleQuestion, PauseCircle } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { askReporterFormSchema, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { mayEndWaiting, type Viewer } from '@/lib/lifecycle';
import { useConflictMessage, useWaiting } from '@/lib/mutations/incidents';
import { useNameOf } from './people';
import { useFormat } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

/**
 * The incident waits on its reporter: what was asked, since when, and when it will be resolved
 * without an answer. The reporter is asked to reply; whoever may end the wait can.
 */
export function WaitingBanner({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const t = useTranslations('incidents.waiting');
  const conflictMessage = useConflictMessage();
  const format = useFormat();
  const nameOf = useNameOf(incident, viewer);
  const { stop } = useWaiting(incident);
  const waiting = incident.waiting;
  if (!waiting) return null;
  const isReporter = viewer.id === incident.reporterId;
  const stopWaiting = () =>
    stop.mutate(undefined, {
      onSuccess: () => toast.success(isReporter ? t('thanksTheTeamTakes') : t('noLongerWaitingThe')),
      onError: (caught) => toast.error(conflictMessage(caught).title, { description: conflictMessage(caught).detail }),
    });
  return (
    <section
      aria-label={t('waitingOnTheReporter')}
      data-testid="waiting-banner"
      className="mt-4 flex flex-col gap-3 rounded-lg border border-violet-200 bg-violet-50 p-4 text-sm text-violet-950 sm:flex-row sm:items-start dark:border-violet-800 dark:bg-violet-950/50 dark:text-violet-100"
    >
      <PauseCircle className="size-5 shrink-0 text-violet-600 dark:text-violet-300" aria-hidden />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="font-medium">
          {isReporter ? t('theTeamNeedsYour') : t('waitingOnSince', { nameOf: nameOf(incident.reporterId), relativeTime: format.relativeTime(waiting.since, now) })}
        </p>
        <blockquote className="border-l-2 border-violet-300 pl-3 whitespace-pre-wrap [overflow-wrap:anywhere] dark:border-violet-700">{waiting.message}</blockquote>
        <p className="text-violet-800 dark:text-violet-200">
          {isReporter ? t('replyInTheConversation') : t('theResolutionClockIs')}
          {waiting.expiresAt ? t('withoutAnAnswerIt', { dateTime: format.dateTime(waiting.expiresAt) }) : null}
        </p>
      </div>
      {mayEndWaiting(viewer, incident) ? (
        <Button variant="outline" size="sm" className="shrink-0 bg-white dark:bg-transparent" onClick={stopWaiting} disabled={stop.isPending}>
          {stop.isPending ? <Loader2 className="animate-spin" /> : null}
          {isReporter ? t('iAnsweredAnotherWay') : t('stopWaiting')}
        </Button>
      ) : null}
    </section>
  );
}

type AskForm = z.infer<typeof askReporterFormSchema>;

/** "Ask the reporter": the question goes to them as a comment and the resolution clock pauses. */
export function AskReporterButton({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents.waiting');
  const describe = useDescribeError();
  const [open, setOpen] = useState(false);
  const { ask } = useWaiting(incident);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<AskForm>({ resolver: useZodResolver(askReporterFormSchema), defaultValues: { message: '' } });
  const submit = (values: AskForm) => {
    setFormError(null);
    ask.mutate(values.message, {
      onSuccess: () => {
        toast.success(t('askedTheResolutionClock'));
        form.reset();
        setOpen(false);
      },
      onError: (caught) => setFormError(describe(caught).detail ?? describe(caught).title),
    });
  };
  return (
    <>
      <Button variant="secondary" className="@3xl:justify-start" onClick={() => setOpen(true)}>
        <MessageCircleQuestion />{' '}{t('askTheReporter')}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{t('askTheReporter')}</DialogTitle>
            <DialogDescription>{t('theyGetItAs')}</DialogDescription>
          </DialogHeader>
          <Form {...form}>
            <form className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(submit)(event)}>
              {formError ? <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">{formError}</p> : null}
              <FormField control={form.control} name="message" render={({ field }) => (
                <FormItem>
                  <FormLabel>{t('whatDoYouNeed')}</FormLabel>
                  <FormControl><Textarea rows={4} placeholder={t('whichVersionOfThe')} {...field} /></FormControl>
                  <FormMessage />
                </FormItem>
              )} />
              <DialogFooter>
                <Button type="button" variant="ghost" onClick={() => setOpen(false)}>{t('cancel')}</Button>
                <Button type="submit" disabled={ask.isPending}>
                  {ask.isPending ? <Loader2 className="animate-spin" /> : null}
                  {t('askAndWait')}
                </Button>
              </DialogFooter>
            </form>
          </Form>
        </DialogContent>
      </Dialog>
    </>
  );
}
