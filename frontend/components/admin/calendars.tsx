'use client';

import { Pencil, Plus, Star, Trash2 } from 'lucide-react';
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
import { CalendarDialog } from './calendar-dialog';

const SHORT_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A calendar's week in a line: `Mon–Fri 09:00–17:00`, or each day when they differ. */
export function weekSummary(calendar: Pick<Calendar, 'week'>): string {
  const days = WEEKDAYS.map((day, index) => ({ label: SHORT_DAYS[index]!, hours: (calendar.week[day] ?? []).map((hours) => `${hours.start}–${hours.end}`).join(', ') }));
  const groups: { from: string; to: string; hours: string }[] = [];
  for (const day of days) {
    const last = groups.at(-1);
    if (last && last.hours === day.hours) last.to = day.label;
    else groups.push({ from: day.label, to: day.label, hours: day.hours });
  }
  return groups.filter((group) => group.hours).map((group) => `${group.from === group.to ? group.from : `${group.from}–${group.to}`} ${group.hours}`).join('; ') || 'No working hours';
}

/** Administration › Calendars: business hours SLA targets count in, and which department uses which. */
export function CalendarsTab() {
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
            <p className="text-sm text-muted-foreground">SLA targets count working time: the hours, holidays and closures of each department’s calendar, in its time zone. Open incidents are counted again when a calendar changes.</p>
            <Button onClick={() => setEditing('new')} className="shrink-0"><Plus /> New calendar</Button>
          </div>
          <QueryStates query={calendars}>
            {(items) => (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-4">Calendar</TableHead>
                    <TableHead className="hidden md:table-cell">Working hours</TableHead>
                    <TableHead className="hidden sm:table-cell">Holidays</TableHead>
                    <TableHead className="pr-4 text-right"><span className="sr-only">Actions</span></TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((calendar) => (
                    <TableRow key={calendar.id}>
                      <TableCell className="pl-4 whitespace-normal">
                        <div className="flex flex-wrap items-center gap-2 font-medium">
                          {calendar.name}
                          {calendar.isDefault ? <Badge variant="secondary">Default</Badge> : null}
                        </div>
                        <div className="text-xs text-muted-foreground">{calendar.timeZone}</div>
                        <div className="text-xs text-muted-foreground md:hidden">{weekSummary(calendar)}</div>
                      </TableCell>
                      <TableCell className="hidden text-sm whitespace-normal md:table-cell">{weekSummary(calendar)}</TableCell>
                      <TableCell className="hidden text-sm sm:table-cell">{calendar.holidays.length}</TableCell>
                      <TableCell className="pr-4 text-right whitespace-nowrap">
                        {calendar.isDefault ? null : (
                          <Button variant="ghost" size="icon" aria-label={`Make ${calendar.name} the default`} title="Make it the default" disabled={makeDefault.isPending}
                            onClick={() => makeDefault.mutate(calendar, { onSuccess: () => toast.success(`${calendar.name} is the default calendar`), onError: failed })}>
                            <Star />
                          </Button>
                        )}
                        <Button variant="ghost" size="icon" aria-label={`Edit ${calendar.name}`} onClick={() => setEditing(calendar)}><Pencil /></Button>
                        {calendar.isDefault ? null : (
                          <Button variant="ghost" size="icon" aria-label={`Delete ${calendar.name}`} disabled={remove.isPending}
                            onClick={() => remove.mutate(calendar, { onSuccess: () => toast.success(`${calendar.name} deleted; its departments use the default`), onError: failed })}>
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
        <CardHeader><CardTitle>Departments</CardTitle></CardHeader>
        <CardContent className="divide-y">
          {(departments.data ?? []).map((department) => (
            <div key={department.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
              <span className="font-medium" id={`calendar-of-${department.id}`}>{department.name}</span>
              <Select
                value={calendarOf.get(department.id) ?? 'default'}
                onValueChange={(value) =>
                  assign.mutate({ departmentId: department.id, calendarId: value === 'default' ? null : value }, { onSuccess: () => toast.success(`${department.name}’s calendar set; its open incidents are counted again`), onError: failed })
                }
              >
                <SelectTrigger className="w-full sm:w-72" aria-labelledby={`calendar-of-${department.id}`}><SelectValue /></SelectTrigger>
                <SelectContent>
                  <SelectItem value="default">The default ({calendars.data?.find((calendar) => calendar.isDefault)?.name ?? '…'})</SelectItem>
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
