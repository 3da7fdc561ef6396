'use client';

import { useZodResolver } from '@/lib/i18n/form-resolver';
import { useQueryClient } from '@tanstack/react-query';
import { transitionReasonSchema, type Incident, type IncidentStatus } from '@desk/contracts';
import { CheckCircle2, Loader2, XCircle } from 'lucide-react';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Textarea } from '@/components/ui/textarea';
import { bulkFailure, planBulk, runLimited, type BulkChange } from '@/lib/bulk';
import type { Viewer } from '@/lib/lifecycle';
import { assignIncident, changeIncident, invalidateIncidentViews } from '@/lib/mutations/incidents';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { BulkTarget } from './bulk-target';
import { useTranslations } from 'next-intl';

export type BulkKind = 'status' | 'priority' | 'assign';

/** How many changes are in flight at once: quick for a page of 25, gentle on the API's rate limits. */
const CONCURRENCY = 4;

interface Outcome {
  incident: Incident;
  ok: boolean;
  message: string;
}

/** The change (chosen with BulkTarget) and the note each timeline gets with a status change. */
const bulkFormSchema = z.object({
  change: z.custom<BulkChange | null>().refine((change) => change !== null, { error: 'Choose the change to make.', params: { validation: 'choose' } }),
  reason: transitionReasonSchema,
});
type BulkFormInput = z.input<typeof bulkFormSchema>;
type BulkForm = z.output<typeof bulkFormSchema>;


/**
 * Chooses the change, says which selected incidents it cannot apply to, applies it to the others
 * (a few at a time, each with the version the person saw, so one changed meanwhile is refused
 * rather than overwritten) and reports every incident's outcome.
 */
export function BulkDialog({ kind, selected, viewer, statuses, onClose }: { kind: BulkKind; selected: Incident[]; viewer: Viewer; statuses: IncidentStatus[]; onClose: (changedIds?: string[]) => void }) {
  const t = useTranslations('incidents');
  const api = useApi();
  const queryClient = useQueryClient();
  const form = useForm<BulkFormInput, unknown, BulkForm>({ resolver: useZodResolver(bulkFormSchema), defaultValues: { change: null, reason: '' } });
  const change = useWatch({ control: form.control, name: 'change' });
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const plan = change ? planBulk(viewer, selected, change, t) : null;
  const running = progress !== null && outcomes === null;

  const apply = async ({ change: chosen, reason: note }: BulkForm) => {
    if (!chosen) return;
    const change = chosen;
    const plan = planBulk(viewer, selected, change, t);
    setProgress({ done: 0, total: plan.apply.length });
    const results = await runLimited(
      plan.apply,
      CONCURRENCY,
      async (incident) => {
        const updated =
          change.kind === 'assign'
            ? await assignIncident(api, incident, change.assigneeId)
            : await changeIncident(api, incident, change.kind === 'status' ? { status: change.to, ...(note ? { reason: note } : {}) } : { priority: change.to });
        queryClient.setQueryData(keys.incident(updated.key), updated);
        return updated;
      },
      (_incident, _result, done) => setProgress({ done, total: plan.apply.length }),
    );
    invalidateIncidentViews(queryClient);
    const byId = new Map<string, Outcome>();
    plan.apply.forEach((incident, index) => {
      const result = results[index]!;
      byId.set(incident.id, result.status === 'fulfilled' ? { incident, ok: true, message: 'Changed.' } : { incident, ok: false, message: bulkFailure(result.reason, t) });
    });
    for (const { incident, reason: why } of plan.skipped) byId.set(incident.id, { incident, ok: false, message: why });
    setOutcomes(selected.map((incident) => byId.get(incident.id)!));
  };

  const changed = outcomes?.filter((outcome) => outcome.ok) ?? [];
  const close = () => {
    if (running) return;
    onClose(outcomes ? changed.map((outcome) => outcome.incident.id) : undefined);
  };

  return (
    <Dialog open onOpenChange={(open) => !open && close()}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>
            {t(`bulkDialog.title.${kind}`, { count: selected.length })}
          </DialogTitle>
          <DialogDescription>
            {outcomes ? t('bulkDialog.whatHappenedToEach') : t('bulkDialog.eachIncidentIsChanged')}
          </DialogDescription>
        </DialogHeader>

        {outcomes ? (
          <Results outcomes={outcomes} />
        ) : running ? (
          <div className="space-y-2" role="status">
            <p className="flex items-center gap-2 text-sm">
              <Loader2 className="size-4 animate-spin" aria-hidden />{' '}{t('bulkDialog.changing', { done: progress.done, total: progress.total })}
            </p>
            <div className="h-2 overflow-hidden rounded-full bg-muted" role="progressbar" aria-label={t('bulkDialog.changesDone')} aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
              <div className="h-full bg-primary transition-all" style={{ width: `${progress.total ? (progress.done / progress.total) * 100 : 0}%` }} />
            </div>
          </div>
        ) : (
          <Form {...form}>
            <form id="bulk-form" className="space-y-4" noValidate onSubmit={(event) => void form.handleSubmit(apply)(event)}>
              <FormField control={form.control} name="change" render={({ field }) => (
                <FormItem>
                  <BulkTarget kind={kind} selected={selected} viewer={viewer} statuses={statuses} change={field.value} onChange={field.onChange} />
                  <FormMessage />
                </FormItem>
              )} />
              {kind === 'status' ? (
                <FormField control={form.control} name="reason" render={({ field }) => (
                  <FormItem>
                    <FormLabel>{t('bulkDialog.noteForEachTimeline')}</FormLabel>
                    <FormControl><Textarea maxLength={2000} rows={2} {...field} /></FormControl>
                    <FormMessage />
                  </FormItem>
                )} />
              ) : null}
              {plan ? (
                <div className="space-y-1 text-sm" data-testid="bulk-plan">
                  <p>
                    {plan.apply.length === 0 ? t('bulkDialog.noneOfThemCan') : t('bulkDialog.ofWillChange', { length: plan.apply.length, length2: selected.length })}
                  </p>
                  {plan.skipped.length > 0 ? (
                    <ul className="max-h-40 space-y-1 overflow-y-auto text-muted-foreground">
                      {plan.skipped.map(({ incident, reason: why }) => (
                        <li key={incident.id} className="[overflow-wrap:anywhere]">
                          <span className="font-mono text-xs">{incident.key}</span> {t('bulkDialog.stays', { why })}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ) : null}
            </form>
          </Form>
        )}

        <DialogFooter>
          {outcomes ? (
            <Button onClick={close}>{t('bulkDialog.done')}</Button>
          ) : (
            <>
              <Button variant="outline" onClick={close} disabled={running}>
                {t('bulkDialog.cancel')}
              </Button>
              <Button type="submit" form="bulk-form" disabled={running || !plan || plan.apply.length === 0}>
                {running ? <Loader2 className="animate-spin" /> : null}
                {plan && plan.apply.length > 0 ? t('bulkDialog.applyTo', { length: plan.apply.length }) : t('bulkDialog.apply')}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function Results({ outcomes }: { outcomes: Outcome[] }) {
  const t = useTranslations('incidents');
  const ok = outcomes.filter((outcome) => outcome.ok).length;
  const refused = outcomes.length - ok;
  return (
    <div className="space-y-3">
      <p className="text-sm font-medium" data-testid="bulk-summary" role="status">
        {t('bulkDialog.summary', { ok, refused })}
      </p>
      <ul className="max-h-72 space-y-2 overflow-y-auto" data-testid="bulk-results">
        {outcomes.map(({ incident, ok: done, message }) => (
          <li key={incident.id} className="flex items-start gap-2 text-sm" data-testid="bulk-result" data-outcome={done ? 'changed' : 'refused'}>
            {done ? <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-label={t('bulkDialog.changed2')} /> : <XCircle className="mt-0.5 size-4 shrink-0 text-destructive" aria-label={t('bulkDialog.notChanged2')} />}
            <span className="min-w-0 [overflow-wrap:anywhere]">
              <span className="font-mono text-xs text-muted-foreground">{incident.key}</span> <span className="font-medium">{incident.title}</span>
              {done ? null : <span className="block text-muted-foreground">{message}</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
