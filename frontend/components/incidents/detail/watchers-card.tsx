'use client';

import { useTranslations } from 'next-intl';
import { Eye, EyeOff, Loader2, UserPlus, X } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { isFinal, type Incident } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { sentence } from '@/lib/form-errors';
import { initials } from '@/lib/format';
import { mayManageWatchers, type Viewer } from '@/lib/lifecycle';
import { useAddWatcher, useRemoveWatcher } from '@/lib/mutations/collaboration';
import { useWatcherCandidates, useWatchers } from '@/lib/queries';
import { useDebounced } from '@/lib/use-debounced';
import { useErrorToast } from '@/lib/i18n/errors';

/**
 * Who watches the incident: told of its changes as their settings say, and able to see it (staff
 * among them its internal notes too). Anyone who sees it may watch it; its reporter, the
 * department and admins add colleagues by name.
 */
export function WatchersCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.watchersCard');
  const failed = useErrorToast();
  const watchers = useWatchers(incident.id);
  const add = useAddWatcher(incident);
  const remove = useRemoveWatcher(incident);
  const manages = mayManageWatchers(viewer, incident);
  const watching = incident.watcherIds.includes(viewer.id);
  const final = isFinal(incident.status);

  return (
    <Card className="gap-2" data-testid="watchers-card">
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>{t('watchers')}{watchers.data?.length ? <span className="ml-1.5 text-sm font-normal text-muted-foreground">{watchers.data.length}</span> : null}</CardTitle>
        {watching ? (
          <Button variant="ghost" size="sm" disabled={remove.isPending} onClick={() => remove.mutate('me', { onSuccess: () => toast.success(t('youNoLongerWatch', { key: incident.key })), onError: failed })}>
            <EyeOff />{' '}{t('stopWatching')}
          </Button>
        ) : !final && viewer.id !== incident.reporterId ? (
          <Button variant="outline" size="sm" disabled={add.isPending} onClick={() => add.mutate('me', { onSuccess: () => toast.success(t('youWatchNow', { key: incident.key }), { description: t('youWillHearOf') }), onError: failed })}>
            <Eye />{' '}{t('watch')}
          </Button>
        ) : null}
      </CardHeader>
      <CardContent className="space-y-3">
        {watchers.data && watchers.data.length > 0 ? (
          <ul className="space-y-1.5" aria-label={t('watchers')}>
            {watchers.data.map((watcher) => {
              const name = watcher.userId === viewer.id ? 'you' : (watcher.fullName ?? 'someone');
              return (
                <li key={watcher.userId} className="flex min-w-0 items-center gap-2 text-sm">
                  <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-primary/10 text-[10px] font-semibold text-primary" aria-hidden>
                    {initials(watcher.fullName ?? '?')}
                  </span>
                  <span className="min-w-0 flex-1 [overflow-wrap:anywhere]">{sentence(name)}</span>
                  {manages && watcher.userId !== viewer.id ? (
                    <button
                      type="button"
                      className="rounded p-1 text-muted-foreground hover:bg-muted hover:text-foreground"
                      aria-label={t('remove', { value: watcher.fullName ?? 'this watcher' })}
                      disabled={remove.isPending}
                      onClick={() => remove.mutate(watcher.userId, { onSuccess: () => toast.success(t('noLongerWatch', { value: watcher.fullName ?? 'They', key: incident.key })), onError: failed })}
                    >
                      <X className="size-4" />
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : watchers.isPending ? null : (
          <p className="text-sm text-muted-foreground">{t('nobodyWatchesItYet')}</p>
        )}
        {manages && !final ? <AddWatcher incident={incident} /> : null}
      </CardContent>
    </Card>
  );
}

/** Finds a colleague by name and adds them. */
function AddWatcher({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents.watchersCard');
  const failed = useErrorToast();
  const id = useId();
  const [term, setTerm] = useState('');
  const debounced = useDebounced(term, 250);
  const candidates = useWatcherCandidates(incident.id, debounced);
  const add = useAddWatcher(incident);
  const showing = debounced.trim().length >= 2;

  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{t('addAColleague')}</Label>
      <Input id={id} value={term} placeholder={t('typeAName')} autoComplete="off" onChange={(event) => setTerm(event.target.value)} aria-describedby={`${id}-hint`} />
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        {t('theyCanThenSee')}
      </p>
      {showing ? (
        candidates.isFetching && !candidates.data ? (
          <Loader2 className="size-4 animate-spin text-muted-foreground" aria-label={t('looking')} />
        ) : candidates.data && candidates.data.length > 0 ? (
          <ul className="divide-y rounded-md border" aria-label={t('peopleFound')}>
            {candidates.data.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="flex w-full items-center gap-2 px-3 py-2 text-left text-sm hover:bg-muted disabled:opacity-50"
                  disabled={add.isPending}
                  onClick={() =>
                    add.mutate(person.id, {
                      onSuccess: () => {
                        toast.success(t('watchesNow', { fullName: person.fullName, key: incident.key }));
                        setTerm('');
                      },
                      onError: failed,
                    })
                  }
                >
                  <UserPlus className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                  <span className="min-w-0 flex-1 [overflow-wrap:anywhere]">{person.fullName}</span>
                  {person.departmentName ? <span className="text-xs text-muted-foreground">{person.departmentName}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted-foreground">{t('nobodyOfThatName')}</p>
        )
      ) : null}
    </div>
  );
}
