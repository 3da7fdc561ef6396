'use client';

import { useTranslations } from 'next-intl';
import { useDroppable } from '@dnd-kit/core';
import { Ban, Loader2 } from 'lucide-react';
import type { Incident, IncidentStatus } from '@desk/contracts';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { type IncidentFilters, useBoardColumn, useIncidentCount } from '@/lib/queries';
import { cn } from '@/lib/utils';
import { BoardCard, type CardProps } from './board-card';
import { useLabels } from '@/lib/i18n/use-format';

const DOTS: Record<IncidentStatus, string> = {
  OPEN: 'bg-sky-500',
  IN_PROGRESS: 'bg-amber-500',
  RESOLVED: 'bg-emerald-500',
  CLOSED: 'bg-slate-400',
  CANCELLED: 'bg-slate-300',
};

/** While a card is dragged, what each column does with it. */
export type DropState = { kind: 'idle' } | { kind: 'source' } | { kind: 'allowed'; label: string } | { kind: 'refused'; why: string };

interface ColumnProps extends Omit<CardProps, 'incident' | 'assignee' | 'href'> {
  status: IncidentStatus;
  filters: IncidentFilters;
  drop: DropState;
  assigneeOf: (incident: Incident) => string;
  hrefOf: (incident: Incident) => string;
}

export function BoardColumn({ status, filters, drop, assigneeOf, hrefOf, ...card }: ColumnProps) {
  const t = useTranslations('incidents.boardColumn');
  const tIncidents = useTranslations('incidents');
  const labels = useLabels();
  const column = useBoardColumn(filters, status);
  const { setNodeRef, isOver } = useDroppable({ id: status });
  const items = column.data?.pages.flatMap((page) => page.items) ?? [];
  // How many the column holds in all (counted by the API, up to its cap), beside the cards loaded.
  const total = useIncidentCount({ ...filters, status: [status] });
  const count = total.data ? `${total.data.count.toLocaleString()}${total.data.capped ? '+' : ''}` : column.hasNextPage ? `${items.length}+` : String(items.length);
  const more = total.data && !total.data.capped ? Math.max(total.data.count - items.length, 0) : null;
  const refused = drop.kind === 'refused';
  const headingId = `board-column-${status}`;

  return (
    <section
      aria-labelledby={headingId}
      className="flex w-[82vw] max-w-[20rem] shrink-0 snap-start flex-col sm:w-72 lg:w-auto lg:max-w-none lg:min-w-[13rem] lg:flex-1 lg:basis-0"
      data-testid="board-column"
      data-status={status}
      data-drop={drop.kind}
      data-over={isOver ? 'true' : undefined}
    >
      <header className="mb-2 flex items-center gap-2 px-1">
        <span className={cn('size-2 rounded-full', DOTS[status])} aria-hidden />
        <h2 id={headingId} className="text-sm font-semibold">
          {labels.status(status)}
        </h2>
        <span className="rounded-full bg-muted px-2 py-0.5 text-xs font-medium text-muted-foreground tabular-nums" data-testid="column-count" aria-label={t('incidents', { count })}>
          {column.isPending ? '…' : count}
        </span>
      </header>
      <div
        ref={setNodeRef}
        className={cn(
          'relative flex min-h-40 flex-1 flex-col rounded-xl border border-transparent bg-muted/50 p-2 transition-colors',
          drop.kind === 'allowed' && 'border-dashed border-primary/40',
          drop.kind === 'allowed' && isOver && 'border-solid border-primary bg-primary/5',
          refused && 'opacity-60',
          refused && isOver && 'border-dashed border-destructive bg-destructive/5 opacity-100',
        )}
      >
        {refused && isOver ? (
          <div role="status" className="mb-2 flex gap-2 rounded-md border border-destructive/40 bg-card p-2 text-xs text-destructive" data-testid="drop-refusal">
            <Ban className="mt-0.5 size-3.5 shrink-0" aria-hidden />
            <span>
              <span className="font-medium">{t('canTMoveHere')}</span> {drop.why}
            </span>
          </div>
        ) : null}
        {column.isPending ? (
          <div className="space-y-2" role="status" aria-busy="true" aria-label={t('loadingIncidents', { status: tIncidents(`statusInSentence.${status}`) })}>
            <Skeleton className="h-24 w-full" />
            <Skeleton className="h-24 w-full" />
          </div>
        ) : column.isError && items.length === 0 ? (
          <ErrorState error={column.error} onRetry={() => void column.refetch()} />
        ) : items.length === 0 ? (
          <p className="px-2 py-6 text-center text-xs text-muted-foreground">{t(filtersOn(filters) ? 'nothingMatches' : 'nothingHere')}</p>
        ) : (
          <ul className="space-y-2">
            {items.map((incident) => (
              <BoardCard key={incident.id} incident={incident} assignee={assigneeOf(incident)} href={hrefOf(incident)} {...card} />
            ))}
          </ul>
        )}
        {column.hasNextPage ? (
          <Button variant="ghost" size="sm" className="mt-2 w-full text-xs" onClick={() => void column.fetchNextPage()} disabled={column.isFetchingNextPage} data-testid="column-more">
            {column.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
            {more !== null && more > 0 ? t('moreShowTheNext', { toLocaleString: more.toLocaleString(), min: Math.min(more, 25) }) : t('shownShowMore', { length: items.length })}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function filtersOn(filters: IncidentFilters): boolean {
  return filters.priority !== 'all' || filters.assignee !== 'anyone' || filters.breached || filters.q.trim() !== '';
}
