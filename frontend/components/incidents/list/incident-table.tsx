'use client';

import { useTranslations } from 'next-intl';
import type { Incident } from '@desk/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { MajorBadge, PriorityBadge, SlaBadge, StatusBadge } from '@/components/badges';
import { Checkbox } from '@/components/ui/checkbox';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { slaBadge } from '@/lib/sla';
import { cn } from '@/lib/utils';
import { Assignee } from './person';
import type { Selection } from './selection';
import { useFormat } from '@/lib/i18n/use-format';

export interface ListContext {
  viewer: { id: string; fullName: string; role: string };
  now: number;
  categoryName: (id: string) => string | undefined;
  departmentName: (id: string) => string | undefined;
  /** Staff, managers and admins: the assignee column, who reported it, and selection. */
  works: boolean;
}

/** A row's second line: the category, the department for admins, who reported it for those who work incidents. */
export function rowDetails(incident: Incident, context: ListContext): string {
  const parts = [context.categoryName(incident.categoryId) ?? 'Category'];
  if (context.viewer.role === 'admin') parts.push(context.departmentName(incident.departmentId) ?? '');
  if (context.works && incident.reporterName && incident.reporterId !== context.viewer.id) parts.push(`reported by ${incident.reporterName}`);
  return parts.filter(Boolean).join(' · ');
}

/** The list from the medium breakpoint up. A title of any length wraps inside its column. */
export function IncidentTable({ items, context, selection }: { items: Incident[]; context: ListContext; selection: Selection | null }) {
  const t = useTranslations('incidents.incidentTable');
  const format = useFormat();
  const router = useRouter();
  const { now, works } = context;
  const all = selection !== null && items.length > 0 && items.every((incident) => selection.selected.has(incident.id));
  const some = selection !== null && !all && items.some((incident) => selection.selected.has(incident.id));
  return (
    <div className="hidden overflow-hidden rounded-xl border bg-card shadow-xs md:block">
      <Table>
        <TableHeader>
          <TableRow className="bg-muted/40 hover:bg-muted/40">
            {selection ? (
              <TableHead className="w-10 pl-4">
                <Checkbox checked={all ? true : some ? 'indeterminate' : false} onCheckedChange={(checked) => selection.toggleAll(checked === true)} aria-label={t('selectEveryIncidentShown')} />
              </TableHead>
            ) : null}
            <TableHead className={cn('w-28', !selection && 'pl-4')}>{t('key')}</TableHead>
            <TableHead>{t('title')}</TableHead>
            <TableHead>{t('status')}</TableHead>
            <TableHead>{t('priority')}</TableHead>
            <TableHead>SLA</TableHead>
            {works ? <TableHead>{t('assignee')}</TableHead> : null}
            <TableHead className="pr-4 text-right">{t('updated')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((incident) => {
            const checked = selection?.selected.has(incident.id) ?? false;
            return (
              <TableRow
                key={incident.id}
                className="group cursor-pointer"
                data-state={checked ? 'selected' : undefined}
                onClick={() => router.push(`/incidents/${incident.key}`)}
                data-testid="incident-row"
              >
                {selection ? (
                  <TableCell className="pl-4" onClick={(event) => event.stopPropagation()}>
                    <Checkbox checked={checked} onCheckedChange={(on) => selection.toggle(incident.id, on === true)} aria-label={t('select', { key: incident.key })} />
                  </TableCell>
                ) : null}
                <TableCell className={cn('font-mono text-xs text-muted-foreground', !selection && 'pl-4')}>{incident.key}</TableCell>
                <TableCell className="max-w-[28rem] min-w-[12rem] whitespace-normal">
                  <Link prefetch={false}
                    href={`/incidents/${incident.key}`}
                    className="line-clamp-2 font-medium [overflow-wrap:anywhere] group-hover:text-primary"
                    title={incident.title}
                    onClick={(event) => event.stopPropagation()}
                  >
                    {incident.title}
                  </Link>
                  <div className="mt-0.5 truncate text-xs text-muted-foreground">{rowDetails(incident, context)}</div>
                </TableCell>
                <TableCell>
                  <div className="flex flex-col items-start gap-1">
                    <StatusBadge status={incident.status} />
                    {incident.isMajor ? <MajorBadge /> : null}
                  </div>
                </TableCell>
                <TableCell>
                  <PriorityBadge priority={incident.priority} />
                </TableCell>
                <TableCell>
                  <SlaBadge sla={slaBadge(incident, now)} now={now} />
                </TableCell>
                {works ? (
                  <TableCell className="max-w-[12rem] text-sm">
                    <Assignee incident={incident} viewer={context.viewer} />
                  </TableCell>
                ) : null}
                <TableCell className="pr-4 text-right text-sm text-muted-foreground" title={incident.updatedAt}>
                  {format.relativeTime(incident.updatedAt, now)}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
