'use client';

import { useTranslations } from 'next-intl';
import { UserPlus } from 'lucide-react';
import type { ReactNode } from 'react';
import type { Incident } from '@desk/contracts';
import { PriorityBadge, StatusBadge } from '@/components/badges';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { sentence } from '@/lib/form-errors';
import { initials } from '@/lib/format';
import type { Viewer } from '@/lib/lifecycle';
import { useCategories, useDepartments } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { useNameOf } from './people';
import { LinksCard } from './links-card';
import { SlaCard } from './sla-card';
import { WatchersCard } from './watchers-card';
import { useFormat } from '@/lib/i18n/use-format';

/** The left column: what the incident is, who is on it, and its service-level targets. */
export function DetailsColumn({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  return (
    <div className="space-y-6">
      <FieldsCard incident={incident} />
      <PeopleCard incident={incident} viewer={viewer} />
      <WatchersCard incident={incident} viewer={viewer} />
      <LinksCard incident={incident} viewer={viewer} />
      <SlaCard incident={incident} now={now} />
    </div>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[96px_minmax(0,1fr)] items-center gap-3 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

function FieldsCard({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents.detailsColumn');
  const format = useFormat();
  const categories = useCategories(true);
  const departments = useDepartments();
  const category = categories.data?.find((item) => item.id === incident.categoryId);
  const department = departments.data?.find((item) => item.id === incident.departmentId);
  return (
    <Card className="gap-2">
      <CardHeader>
        <CardTitle>{t('details')}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Field label={t('status')}>
            <StatusBadge status={incident.status} />
          </Field>
          <Field label={t('priority')}>
            <PriorityBadge priority={incident.priority} />
          </Field>
          <Field label={t('category')}>{category?.name ?? '—'}</Field>
          <Field label={t('department')}>{department?.name ?? '—'}</Field>
          <Field label={t('created')}>{format.dateTime(incident.createdAt)}</Field>
          <Field label={t('updated')}>{format.dateTime(incident.updatedAt)}</Field>
          {incident.resolvedAt ? <Field label={t('resolved')}>{format.dateTime(incident.resolvedAt)}</Field> : null}
          {incident.closedAt ? <Field label={t('closed')}>{format.dateTime(incident.closedAt)}</Field> : null}
          {incident.reopenCount > 0 ? <Field label={t('reOpened')}>{t('times', { count: incident.reopenCount })}</Field> : null}
        </dl>
      </CardContent>
    </Card>
  );
}

function Person({ name }: { name: string }) {
  const user = useUser();
  return (
    <span className="flex min-w-0 items-center gap-2">
      <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-primary/10 text-[10px] font-semibold text-primary" aria-hidden>
        {initials(name === 'you' ? user.fullName : name)}
      </span>
      <span className="min-w-0 [overflow-wrap:anywhere]">{sentence(name)}</span>
    </span>
  );
}

function PeopleCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.detailsColumn');
  const nameOf = useNameOf(incident, viewer);
  return (
    <Card className="gap-2">
      <CardHeader>
        <CardTitle>{t('people')}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Field label={t('reporter')}>
            <Person name={nameOf(incident.reporterId)} />
          </Field>
          <Field label={t('assignee')}>
            {incident.assigneeId ? (
              <span data-testid="assignee-name">
                <Person name={nameOf(incident.assigneeId)} />
              </span>
            ) : (
              <span className="flex items-center gap-1.5 text-muted-foreground">
                <UserPlus className="size-4" />{' '}{t('notAssignedYet')}
              </span>
            )}
          </Field>
        </dl>
      </CardContent>
    </Card>
  );
}
