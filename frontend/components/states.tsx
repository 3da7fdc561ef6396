'use client';

import { useTranslations } from 'next-intl';
import type { LucideIcon } from 'lucide-react';
import { AlertCircle, Inbox, RotateCw } from 'lucide-react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useDescribeError } from '@/lib/i18n/errors';

export function EmptyState({ icon: Icon = Inbox, title, children, action }: { icon?: LucideIcon; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-xl border border-dashed bg-card/50 px-6 py-14 text-center">
      <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-muted">
        <Icon className="size-6 text-muted-foreground" aria-hidden />
      </div>
      <h3 className="text-base font-semibold">{title}</h3>
      {children ? <div className="mt-1 max-w-md text-sm text-muted-foreground">{children}</div> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry, className }: { error: unknown; onRetry?: () => void; className?: string }) {
  const t = useTranslations('shell.states');
  const describe = useDescribeError();
  const { title, detail } = describe(error);
  return (
    <Alert variant="destructive" className={className}>
      <AlertCircle />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        <p>{detail}</p>
        {onRetry ? (
          <Button variant="outline" size="sm" className="mt-2" onClick={onRetry}>
            <RotateCw />{' '}{t('tryAgain')}
          </Button>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}

export function LoadingRows({ rows = 6 }: { rows?: number }) {
  const t = useTranslations('shell.states');
  return (
    <div className="space-y-3" role="status" aria-busy="true" aria-label={t('loading')}>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="flex items-center gap-4 rounded-lg border bg-card p-4">
          <Skeleton className="h-4 w-20" />
          <Skeleton className="h-4 flex-1" />
          <Skeleton className="h-5 w-20" />
          <Skeleton className="h-5 w-16" />
        </div>
      ))}
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/**
 * A query's three states in a panel: skeleton rows while it loads, the error with a retry, then
 * what `children` makes of its data.
 */
export function QueryStates<Data>({ query, rows = 4, children }: { query: UseQueryResult<Data>; rows?: number; children: (data: Data) => ReactNode }) {
  if (query.isPending) {
    return (
      <div className="p-4">
        <LoadingRows rows={rows} />
      </div>
    );
  }
  if (query.data === undefined) {
    return (
      <div className="p-4">
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  // Already loaded: a refresh or a next page that failed keeps what is on screen.
  return (
    <>
      {children(query.data)}
      {query.isError ? <StaleNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
    </>
  );
}

/** Under data already shown, when loading more or refreshing it failed. */
export function StaleNotice({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useTranslations('shell.states');
  const describe = useDescribeError();
  return (
    <div className="flex items-center justify-center gap-3 border-t p-3 text-sm text-destructive">
      <span>{describe(error).title}</span>
      <Button variant="outline" size="sm" onClick={onRetry}>
        <RotateCw />{' '}{t('tryAgain')}
      </Button>
    </div>
  );
}
