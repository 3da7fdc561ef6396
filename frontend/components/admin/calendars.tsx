'use client';

import { Pencil, Plus, Star, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import { useErrorToast } from '@/lib/i18n/errors';
import { WEEKDAYS, type Calendar } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useAssignCalendar, useDeleteCalendar, useMakeDefaultCalendar } from '@/lib/mutations/desk-operations';
import { useCalendars, useDepartments } from '@/lib/queries';
import type { Words } from '@/lib/i18n/words';
import { CalendarDialog } from './calendar-dialog';

/** A calendar's week in a line: `Mon–Fri 09:00–17:00`, or each day when they differ. */
export function weekSummary(calendar: Pick<Calendar, 'week'>, t: Words<'admin'>): string {
  const days = WEEKDAYS.map((day) => ({ label: t(`calendars.shortDay.${day}`), hours: (calendar.week[day] ?? []).map((hours) => `${hours.start}–${hours.end}`).join(', ') }));
  const groups: { from: string; to: string; hours: string }[] = [];
  for (const day of days) {
    const last = groups.at(-1);
    if (last && last.hours === day.hours) last.to = day.label;
    else groups.push({ from: day.label, to: day.label, hours: day.hours });
  }
  return groups.filter((group) => group.hours).map((group) => `${group.from === group.to ? group.from : `${group.from}–${group.to}`} ${group.hours}`).join('; ') || t('calendars.noHours');
}

/** Administration › Calendars: business hours SLA targets count in, and which department uses which. */
export function CalendarsTab() {
  const t = useTranslations('admin');
  const failed = useErrorToast();
  const calendars = useCalendars();
  const departments = useDepartments();
  const makeDefault = useMakeDefaultCalendar();
  const remove = useDeleteCalendar();
  const assign = useAssignCalendar();
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null);
  const calendarOf = new Map((calendars.data ?? []).flatMap((calendar) => calendar.departmentIds.map((id) => [id, calendar.id] as const)));
  return (
    <div className="space-y-6">
      <Card className="py-0">
        <CardContent className="px-0">
          <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm text-muted-foreground">{t('calendars.intro')}</p>
            <Button onClick={() => setEditing('new')} className="shrink-0"><Plus /> {t('calendars.new')}</Button>
          </div>
          <QueryStates query={calendars}>
            {(items) => (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-4">{t('calendars.calendar')}</TableHead>
                    <TableHead className="hidden md:table-cell">{t('calendars.workingHours')}</TableHead>
                    <TableHead className="hidden sm:table-cell">{t('calendars.holidays')}</TableHead>
                    <TableHead className="pr-4 text-right"><span className="sr-only">{t('calendars.actions')}</span></TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((calendar) => (
                    <TableRow key={calendar.id}>
                      <TableCell className="pl-4 whitespace-normal">
                        <div className="flex flex-wrap items-center gap-2 font-medium">
                          {calendar.name}
                          {calendar.isDefault ? <Badge variant="secondary">{t('calendars.default')}</Badge> : null}
                        </div>
                        <div className="text-xs text-muted-foreground">{calendar.timeZone}</div>
                        <div className="text-xs text-muted-foreground md:hidden">{weekSummary(calendar, t)}</div>
                      </TableCell>
                      <TableCell className="hidden text-sm whitespace-normal md:table-cell">{weekSummary(calendar, t)}</TableCell>
                      <TableCell className="hidden text-sm sm:table-cell">{calendar.holidays.length}</TableCell>
                      <TableCell className="pr-4 text-right whitespace-nowrap">
                        {calendar.isDefault ? null : (
                          <Button variant="ghost" size="icon" aria-label={t('calendars.makeDefaultLabel', { name: calendar.name })} title={t('calendars.makeDefault')} disabled={makeDefault.isPending}
                            onClick={() => makeDefault.mutate(calendar, { onSuccess: () => toast.success(t('calendars.isDefault', { name: calendar.name })), onError: failed })}>
                            <Star />
                          </Button>
                        )}
                        <Button variant="ghost" size="icon" aria-label={t('calendars.editLabel', { name: calendar.name })} onClick={() => setEditing(calendar)}><Pencil /></Button>
                        {calendar.isDefault ? null : (
                          <Button variant="ghost" size="icon" aria-label={t('calendars.deleteLabel', { name: calendar.name })} disabled={remove.isPending}
                            onClick={() => remove.mutate(calendar, { onSuccess: () => toast.success(t('calendars.deleted', { name: calendar.name })), onError: failed })}>
                            <Trash2 />
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </QueryStates>
        </CardContent>
      </Card>

      <Card>
        <CardHeader><CardTitle>{t('calendars.departments')}</CardTitle></CardHeader>
        <CardContent className="divide-y">
          {(departments.data ?? []).map((department) => (
            <div key={department.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
              <span className="font-medium" id={`calendar-of-${department.id}`}>{department.name}</span>
              <Select
                value={calendarOf.get(department.id) ?? 'default'}
                onValueChange={(value) =>
                  assign.mutate({ departmentId: department.id, calendarId: value === 'default' ? null : value }, { onSuccess: () => toast.success(t('calendars.assigned', { name: department.name })), onError: failed })
                }
              >
                <SelectTrigger className="w-full sm:w-72" aria-labelledby={`calendar-of-${department.id}`}><SelectValue /></SelectTrigger>
                <SelectContent>
                  <SelectItem value="default">{t('calendars.theDefault', { name: calendars.data?.find((calendar) => calendar.isDefault)?.name ?? '…' })}</SelectItem>
                  {(calendars.data ?? []).filter((calendar) => !calendar.isDefault).map((calendar) => <SelectItem key={calendar.id} value={calendar.id}>{calendar.name}</SelectItem>)}
                </SelectContent>
              </Select>
            </div>
          ))}
        </CardContent>
      </Card>
      {editing ? <CalendarDialog calendar={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}
