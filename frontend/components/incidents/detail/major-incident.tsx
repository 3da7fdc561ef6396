'use client';

import { useTranslations } from 'next-intl';
import { useZodResolver } from '@/lib/i18n/form-resolver';
import { ClipboardCheck, Loader2, Megaphone, Siren } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { declareMajorBodySchema, isFinal, majorUpdateBodySchema, postIncidentReviewBodySchema, type Incident, type PostIncidentReviewBody } from '@desk/contracts';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormDescription, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { mapFieldErrors } from '@/lib/form-errors';
import { mayDeclareMajor, mayPostMajorUpdate, type Viewer } from '@/lib/lifecycle';
import { useDeclareMajor, usePostMajorUpdate, useWriteReview } from '@/lib/mutations/collaboration';
import { useMajorIncident } from '@/lib/queries';
import { useFormat } from '@/lib/i18n/use-format';
import { useErrorToast } from '@/lib/i18n/errors';

/** Shows an API refusal under the field it names, or as a toast. */
function useRefusal() {
  const failed = useErrorToast();
  return <Field extends string>(error: unknown, fields: readonly Field[], setError: (field: Field, message: string) => void): void => {
    const { byField } = mapFieldErrors(error, fields);
    const field = fields.find((each) => byField[each]);
    if (field) return setError(field, byField[field]!);
    failed(error);
  };
}

/** "Declare major incident" in the actions column: for the department's manager and admins, while it is open. */
export function DeclareMajorButton({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.majorIncident');
  const refusal = useRefusal();
  const [open, setOpen] = useState(false);
  const declare = useDeclareMajor(incident);
  const form = useForm({ resolver: useZodResolver(declareMajorBodySchema), defaultValues: { summary: '' } });
  if (incident.isMajor || isFinal(incident.status) || !mayDeclareMajor(viewer, incident)) return null;
  const submit = form.handleSubmit(({ summary }) =>
    declare.mutate(summary, {
      onSuccess: () => {
        setOpen(false);
        form.reset();
        toast.success(t('isAMajorIncident', { key: incident.key }), { description: t('linkTheIncidentsIt') });
      },
      onError: (error) => refusal(error, ['summary'] as const, (field, message) => form.setError(field, { message })),
    }),
  );
  return (
    <>
      <Button variant="outline" className="text-red-700 hover:text-red-800 @3xl:justify-start dark:text-red-400" onClick={() => setOpen(true)}>
        <Siren />{' '}{t('declareMajorIncident')}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{t('declareAMajorIncident', { key: incident.key })}</DialogTitle>
            <DialogDescription>{t('oneIncidentThenStands')}</DialogDescription>
          </DialogHeader>
          <Form {...form}>
            <form id="declare-major" noValidate onSubmit={(event) => void submit(event)}>
              <FormField
                control={form.control}
                name="summary"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>{t('summaryForThePeople')}</FormLabel>
                    <FormControl>
                      <Textarea rows={4} placeholder={t('whatIsBrokenFor')} {...field} />
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
            </form>
          </Form>
          <DialogFooter>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              {t('goBack')}
            </Button>
            <Button type="submit" form="declare-major" variant="destructive" disabled={declare.isPending}>
              {declare.isPending ? <Loader2 className="animate-spin" /> : <Siren />}{' '}{t('declare')}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}

/** A major incident's summary, its status updates (newest first) and its post-incident review. */
export function MajorIncidentCard({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const t = useTranslations('incidents.majorIncident');
  const format = useFormat();
  const major = useMajorIncident(incident.id, incident.isMajor);
  if (!incident.isMajor) return null;
  return (
    <Card className="gap-3 border-red-300 dark:border-red-900" data-testid="major-incident">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-red-700 dark:text-red-400">
          <Siren className="size-5" />{' '}{t('majorIncident')}
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-5">
        {major.isError ? (
          <ErrorState error={major.error} onRetry={() => void major.refetch()} />
        ) : major.data ? (
          <>
            <div>
              <p className="text-sm whitespace-pre-wrap [overflow-wrap:anywhere]">{major.data.summary}</p>
              <p className="mt-1 text-xs text-muted-foreground">{t('declared')}{' '}{format.dateTime(major.data.declaredAt)}</p>
            </div>
            {mayPostMajorUpdate(viewer, incident) ? <UpdateForm incident={incident} /> : null}
            {major.data.updates.length > 0 ? (
              <section aria-label={t('statusUpdates')}>
                <h3 className="mb-2 text-sm font-medium">{t('statusUpdates')}</h3>
                <ol className="space-y-3 border-l-2 border-red-200 pl-4 dark:border-red-900">
                  {major.data.updates.map((update) => (
                    <li key={update.id} className="text-sm">
                      <p className="whitespace-pre-wrap [overflow-wrap:anywhere]">{update.message}</p>
                      <p className="mt-0.5 text-xs text-muted-foreground" title={format.dateTime(update.createdAt)}>
                        {update.authorName ?? t('theDesk')} · {format.relativeTime(update.createdAt, now)}
                      </p>
                    </li>
                  ))}
                </ol>
              </section>
            ) : null}
            <Review incident={incident} viewer={viewer} review={major.data.review} />
          </>
        ) : (
          <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label={t('loading')} />
        )}
      </CardContent>
    </Card>
  );
}

function UpdateForm({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents.majorIncident');
  const refusal = useRefusal();
  const post = usePostMajorUpdate(incident);
  const form = useForm({ resolver: useZodResolver(majorUpdateBodySchema), defaultValues: { message: '' } });
  const submit = form.handleSubmit(({ message }) =>
    post.mutate(message, {
      onSuccess: () => {
        form.reset();
        toast.success(t('updatePosted'), { description: t('everyoneAffectedIsTold') });
      },
      onError: (error) => refusal(error, ['message'] as const, (field, message) => form.setError(field, { message })),
    }),
  );
  return (
    <Form {...form}>
      <form noValidate aria-label={t('postAStatusUpdate')} onSubmit={(event) => void submit(event)} className="space-y-2">
        <FormField
          control={form.control}
          name="message"
          render={({ field }) => (
            <FormItem>
              <FormLabel>{t('statusUpdate')}</FormLabel>
              <FormControl>
                <Textarea rows={2} placeholder={t('whereThingsStandAnd')} {...field} />
              </FormControl>
              <FormDescription>{t('goesToItsWatchers')}</FormDescription>
              <FormMessage />
            </FormItem>
          )}
        />
        <Button type="submit" size="sm" disabled={post.isPending}>
          {post.isPending ? <Loader2 className="animate-spin" /> : <Megaphone />}{' '}{t('postUpdate')}
        </Button>
      </form>
    </Form>
  );
}

const REVIEW_FIELDS: (keyof PostIncidentReviewBody)[] = ['whatHappened', 'impact', 'followUps'];

function Review({ incident, viewer, review }: { incident: Incident; viewer: Viewer; review: PostIncidentReviewBody | null }) {
  const t = useTranslations('incidents.majorIncident');
  const may = mayDeclareMajor(viewer, incident);
  const [editing, setEditing] = useState(false);
  if (review && !editing) {
    return (
      <section aria-label={t('postIncidentReview')} className="rounded-md border bg-muted/30 p-3">
        <div className="mb-2 flex items-center justify-between gap-2">
          <h3 className="flex items-center gap-1.5 text-sm font-medium">
            <ClipboardCheck className="size-4" />{' '}{t('postIncidentReview')}
          </h3>
          {may ? (
            <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
              {t('edit')}
            </Button>
          ) : null}
        </div>
        <dl className="space-y-2 text-sm">
          {REVIEW_FIELDS.map((name) => (
            <div key={name}>
              <dt className="text-xs font-medium text-muted-foreground">{t(`review.${name}.label`)}</dt>
              <dd className="whitespace-pre-wrap [overflow-wrap:anywhere]">{review[name]}</dd>
            </div>
          ))}
        </dl>
      </section>
    );
  }
  const over = incident.status === 'RESOLVED' || incident.status === 'CLOSED';
  if (!may || (!over && !editing && !review)) {
    return (
      <p className="text-sm text-muted-foreground">
        {t('reviewWhenResolved', { writer: may ? 'you' : 'manager' })}
      </p>
    );
  }
  return <ReviewForm incident={incident} review={review} onDone={() => setEditing(false)} />;
}

function ReviewForm({ incident, review, onDone }: { incident: Incident; review: PostIncidentReviewBody | null; onDone: () => void }) {
  const t = useTranslations('incidents.majorIncident');
  const refusal = useRefusal();
  const write = useWriteReview(incident);
  const form = useForm({ resolver: useZodResolver(postIncidentReviewBodySchema), defaultValues: review ?? { whatHappened: '', impact: '', followUps: '' } });
  const submit = form.handleSubmit((body) =>
    write.mutate(body, {
      onSuccess: () => {
        toast.success(t('postIncidentReviewSaved'), { description: incident.status === 'RESOLVED' ? t('theIncidentCanBe') : undefined });
        onDone();
      },
      onError: (error) => refusal(error, ['whatHappened', 'impact', 'followUps'] as const, (field, message) => form.setError(field, { message })),
    }),
  );
  return (
    <Form {...form}>
      <form noValidate aria-label={t('postIncidentReview')} onSubmit={(event) => void submit(event)} className="space-y-3 rounded-md border p-3">
        <div>
          <h3 className="flex items-center gap-1.5 text-sm font-medium">
            <ClipboardCheck className="size-4" />{' '}{t('postIncidentReview')}
          </h3>
          <p className="text-xs text-muted-foreground">{t('requiredBeforeItCan')}</p>
        </div>
        {REVIEW_FIELDS.map((name) => (
          <FormField
            key={name}
            control={form.control}
            name={name}
            render={({ field }) => (
              <FormItem>
                <FormLabel>{t(`review.${name}.label`)}</FormLabel>
                <FormControl>
                  <Textarea rows={3} placeholder={t(`review.${name}.hint`)} {...field} />
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
        ))}
        <Button type="submit" size="sm" disabled={write.isPending}>
          {write.isPending ? <Loader2 className="animate-spin" /> : <ClipboardCheck />}{' '}{t('saveReview')}
        </Button>
      </form>
    </Form>
  );
}
