'use client';

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
        toast.success(`${incident.key} is a major incident`, { description: 'Link the incidents it stands for as its children; your updates reach their reporters.' });
      },
      onError: (error) => refusal(error, ['summary'] as const, (field, message) => form.setError(field, { message })),
    }),
  );
  return (
    <>
      <Button variant="outline" className="text-red-700 hover:text-red-800 @3xl:justify-start dark:text-red-400" onClick={() => setOpen(true)}>
        <Siren /> Declare major incident
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Declare {incident.key} a major incident</DialogTitle>
            <DialogDescription>One incident then stands for many. Its watchers and the reporters of its child incidents get its updates, and see a banner until it is resolved. It closes only once its post-incident review is written.</DialogDescription>
          </DialogHeader>
          <Form {...form}>
            <form id="declare-major" noValidate onSubmit={(event) => void submit(event)}>
              <FormField
                control={form.control}
                name="summary"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>Summary for the people affected</FormLabel>
                    <FormControl>
                      <Textarea rows={4} placeholder="What is broken, for whom, and what to do meanwhile." {...field} />
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
            </form>
          </Form>
          <DialogFooter>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Go back
            </Button>
            <Button type="submit" form="declare-major" variant="destructive" disabled={declare.isPending}>
              {declare.isPending ? <Loader2 className="animate-spin" /> : <Siren />} Declare
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}

/** A major incident's summary, its status updates (newest first) and its post-incident review. */
export function MajorIncidentCard({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const format = useFormat();
  const major = useMajorIncident(incident.id, incident.isMajor);
  if (!incident.isMajor) return null;
  return (
    <Card className="gap-3 border-red-300 dark:border-red-900" data-testid="major-incident">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-red-700 dark:text-red-400">
          <Siren className="size-5" /> Major incident
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-5">
        {major.isError ? (
          <ErrorState error={major.error} onRetry={() => void major.refetch()} />
        ) : major.data ? (
          <>
            <div>
              <p className="text-sm whitespace-pre-wrap [overflow-wrap:anywhere]">{major.data.summary}</p>
              <p className="mt-1 text-xs text-muted-foreground">Declared {format.dateTime(major.data.declaredAt)}</p>
            </div>
            {mayPostMajorUpdate(viewer, incident) ? <UpdateForm incident={incident} /> : null}
            {major.data.updates.length > 0 ? (
              <section aria-label="Status updates">
                <h3 className="mb-2 text-sm font-medium">Status updates</h3>
                <ol className="space-y-3 border-l-2 border-red-200 pl-4 dark:border-red-900">
                  {major.data.updates.map((update) => (
                    <li key={update.id} className="text-sm">
                      <p className="whitespace-pre-wrap [overflow-wrap:anywhere]">{update.message}</p>
                      <p className="mt-0.5 text-xs text-muted-foreground" title={format.dateTime(update.createdAt)}>
                        {update.authorName ?? 'The desk'} · {format.relativeTime(update.createdAt, now)}
                      </p>
                    </li>
                  ))}
                </ol>
              </section>
            ) : null}
            <Review incident={incident} viewer={viewer} review={major.data.review} />
          </>
        ) : (
          <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label="Loading" />
        )}
      </CardContent>
    </Card>
  );
}

function UpdateForm({ incident }: { incident: Incident }) {
  const refusal = useRefusal();
  const post = usePostMajorUpdate(incident);
  const form = useForm({ resolver: useZodResolver(majorUpdateBodySchema), defaultValues: { message: '' } });
  const submit = form.handleSubmit(({ message }) =>
    post.mutate(message, {
      onSuccess: () => {
        form.reset();
        toast.success('Update posted', { description: 'Everyone affected is told by mail and in the app.' });
      },
      onError: (error) => refusal(error, ['message'] as const, (field, message) => form.setError(field, { message })),
    }),
  );
  return (
    <Form {...form}>
      <form noValidate aria-label="Post a status update" onSubmit={(event) => void submit(event)} className="space-y-2">
        <FormField
          control={form.control}
          name="message"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Status update</FormLabel>
              <FormControl>
                <Textarea rows={2} placeholder="Where things stand, and when the next update comes." {...field} />
              </FormControl>
              <FormDescription>Goes to its watchers and to the reporters and watchers of its child incidents.</FormDescription>
              <FormMessage />
            </FormItem>
          )}
        />
        <Button type="submit" size="sm" disabled={post.isPending}>
          {post.isPending ? <Loader2 className="animate-spin" /> : <Megaphone />} Post update
        </Button>
      </form>
    </Form>
  );
}

const REVIEW_FIELDS: [keyof PostIncidentReviewBody, string, string][] = [
  ['whatHappened', 'What happened', 'The course of events and their cause.'],
  ['impact', 'Impact', 'Who and what was affected, and for how long.'],
  ['followUps', 'Follow-ups', 'What will be done so it does not happen again, and by whom.'],
];

function Review({ incident, viewer, review }: { incident: Incident; viewer: Viewer; review: PostIncidentReviewBody | null }) {
  const may = mayDeclareMajor(viewer, incident);
  const [editing, setEditing] = useState(false);
  if (review && !editing) {
    return (
      <section aria-label="Post-incident review" className="rounded-md border bg-muted/30 p-3">
        <div className="mb-2 flex items-center justify-between gap-2">
          <h3 className="flex items-center gap-1.5 text-sm font-medium">
            <ClipboardCheck className="size-4" /> Post-incident review
          </h3>
          {may ? (
            <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
              Edit
            </Button>
          ) : null}
        </div>
        <dl className="space-y-2 text-sm">
          {REVIEW_FIELDS.map(([name, label]) => (
            <div key={name}>
              <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
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
        Once it is resolved, {may ? 'you write' : "the department's manager writes"} the post-incident review here (what happened, the impact, the follow-ups); it closes after that.
      </p>
    );
  }
  return <ReviewForm incident={incident} review={review} onDone={() => setEditing(false)} />;
}

function ReviewForm({ incident, review, onDone }: { incident: Incident; review: PostIncidentReviewBody | null; onDone: () => void }) {
  const refusal = useRefusal();
  const write = useWriteReview(incident);
  const form = useForm({ resolver: useZodResolver(postIncidentReviewBodySchema), defaultValues: review ?? { whatHappened: '', impact: '', followUps: '' } });
  const submit = form.handleSubmit((body) =>
    write.mutate(body, {
      onSuccess: () => {
        toast.success('Post-incident review saved', { description: incident.status === 'RESOLVED' ? 'The incident can be closed now.' : undefined });
        onDone();
      },
      onError: (error) => refusal(error, ['whatHappened', 'impact', 'followUps'] as const, (field, message) => form.setError(field, { message })),
    }),
  );
  return (
    <Form {...form}>
      <form noValidate aria-label="Post-incident review" onSubmit={(event) => void submit(event)} className="space-y-3 rounded-md border p-3">
        <div>
          <h3 className="flex items-center gap-1.5 text-sm font-medium">
            <ClipboardCheck className="size-4" /> Post-incident review
          </h3>
          <p className="text-xs text-muted-foreground">Required before it can be closed; kept on the incident.</p>
        </div>
        {REVIEW_FIELDS.map(([name, label, hint]) => (
          <FormField
            key={name}
            control={form.control}
            name={name}
            render={({ field }) => (
              <FormItem>
                <FormLabel>{label}</FormLabel>
                <FormControl>
                  <Textarea rows={3} placeholder={hint} {...field} />
                </FormControl>
                <FormMessage />
              </FormItem>
            )}
          />
        ))}
        <Button type="submit" size="sm" disabled={write.isPending}>
          {write.isPending ? <Loader2 className="animate-spin" /> : <ClipboardCheck />} Save review
        </Button>
      </form>
    </Form>
  );
}
