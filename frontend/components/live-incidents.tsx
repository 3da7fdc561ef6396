'use client';

import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';
import { useFollowIncidentChanges, useLiveIncidents } from '@/lib/live-incidents';
import { useNow } from '@/lib/use-now';
import { cn } from '@/lib/utils';

/** How long "Updated just now" and "Updated by someone else" stay after a change. */
const RECENT_MS = 8_000;

/**
 * Keeps every incident view current from the live change stream (mount once, in the signed-in
 * layout). With `indicator`, it also shows, in a corner, whether updates are live and, on an
 * incident's page, when someone else just changed it; the shell may instead place `LiveStatus`
 * and `IncidentChangedHint` itself and mount this with `indicator={false}`.
 */
export function LiveIncidents({ indicator = true }: { indicator?: boolean | 'hint' }) {
  useFollowIncidentChanges();
  return indicator ? <LiveCorner withStatus={indicator === true} /> : null;
}

function LiveCorner({ withStatus }: { withStatus: boolean }) {
  const pathname = usePathname();
  const key = /^\/incidents\/(INC-\d+)/i.exec(pathname)?.[1]?.toUpperCase();
  return (
    <div className="pointer-events-none fixed top-16 left-1/2 z-40 flex -translate-x-1/2 flex-col items-center gap-1.5 print:hidden">
      {key ? <IncidentChangedHint incidentKey={key} className="pointer-events-auto" /> : null}
      {withStatus ? <LiveStatus className="rounded-full border bg-background/90 px-2.5 py-1 shadow-sm backdrop-blur" /> : null}
    </div>
  );
}

/** A small dot and word: "Live", "Updated just now" after a change, "Reconnecting…" while away. */
export function LiveStatus({ className }: { className?: string }) {
  const t = useTranslations('shell.live');
  const { state, lastChange } = useLiveIncidents();
  const now = useNow(2_000);
  if (state === 'stopped') return null;
  const live = state === 'open';
  const recent = lastChange !== null && now - lastChange.receivedAt < RECENT_MS;
  const text = !live ? t('reconnecting') : recent ? t('updatedJustNow') : t('live');
  return (
    <span
      role="status"
      aria-live="polite"
      data-live-state={state}
      data-last-change={lastChange ? `${lastChange.key} ${lastChange.change} ${lastChange.at}` : undefined}
      className={cn('inline-flex items-center gap-1.5 text-xs text-muted-foreground', className)}>
      <span aria-hidden className={cn('size-2 rounded-full', live ? 'bg-emerald-500' : 'animate-pulse bg-amber-500')} />
      <span>{text}</span>
    </span>
  );
}

/** On an incident's page: a brief note when someone else changed it (the page has already refreshed). */
export function IncidentChangedHint({ incidentKey, className }: { incidentKey: string; className?: string }) {
  const t = useTranslations('shell.live');
  const lastChange = useLiveIncidents().recent[incidentKey];
  const now = useNow(2_000);
  const show = lastChange !== undefined && !lastChange.byYou && now - lastChange.receivedAt < RECENT_MS;
  return (
    <div role="status" aria-live="polite" className={cn(!show && 'sr-only', className)}>
      {show ? (
        <span className="inline-flex items-center rounded-full border border-sky-300 bg-sky-50 px-2.5 py-1 text-xs font-medium text-sky-900 shadow-sm dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100">
          {lastChange.change === 'hidden' ? t('thisIncidentMovedOut') : t('updatedBySomeoneElse')}
        </span>
      ) : null}
    </div>
  );
}
