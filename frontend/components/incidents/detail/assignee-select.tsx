'use client';

import { useTranslations } from 'next-intl';
import { CheckIcon } from 'lucide-react';
import { Select as SelectPrimitive } from 'radix-ui';
import { toast } from 'sonner';
import type { Incident } from '@desk/contracts';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectTrigger, SelectValue } from '@/components/ui/select';
import { sentence } from '@/lib/form-errors';
import type { Viewer } from '@/lib/lifecycle';
import { useUsers } from '@/lib/queries';
import { useNameOf } from './people';
import { useIncidentWrites } from './use-incident-writes';
import { useLabels } from '@/lib/i18n/use-format';

/**
 * A choice of person: the name is what the field shows once chosen; the role sits on a line of
 * its own in the menu, so neither is ever cut short however narrow the column.
 */
function PersonOption({ value, name, detail }: { value: string; name: string; detail?: string }) {
  return (
    <SelectPrimitive.Item
      value={value}
      className="relative flex w-full cursor-default flex-col items-start rounded-sm py-1.5 pr-8 pl-2 text-sm outline-hidden select-none focus:bg-accent focus:text-accent-foreground data-[disabled]:pointer-events-none data-[disabled]:opacity-50"
    >
      <span className="absolute top-2 right-2 flex size-3.5 items-center justify-center">
        <SelectPrimitive.ItemIndicator>
          <CheckIcon className="size-4" />
        </SelectPrimitive.ItemIndicator>
      </span>
      <SelectPrimitive.ItemText>
        <span className="[overflow-wrap:anywhere] whitespace-normal">{name}</span>
      </SelectPrimitive.ItemText>
      {detail ? <span className="text-xs whitespace-normal text-muted-foreground">{detail}</span> : null}
    </SelectPrimitive.Item>
  );
}

/** Assignment, for the department's manager and admins: staff and managers of the incident's department. */
export function AssigneeSelect({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.assigneeSelect');
  const labels = useLabels();
  const { assign } = useIncidentWrites(incident);
  const nameOf = useNameOf(incident, viewer);
  const assignees = useUsers({ departmentId: incident.departmentId, isActive: 'true' });
  const candidates = (assignees.data ?? []).filter((person) => person.role === 'staff' || person.role === 'manager');
  const current = incident.assigneeId;

  return (
    <div className="grid gap-1.5">
      <Label htmlFor="incident-assignee">{t('assignee')}</Label>
      <Select
        value={current ?? 'none'}
        onValueChange={(value) => {
          const assigneeId = value === 'none' ? null : value;
          const name = assigneeId ? (candidates.find((person) => person.id === assigneeId)?.fullName ?? nameOf(assigneeId)) : null;
          assign.mutate(assigneeId, {
            onSuccess: (updated) => toast.success(name ? t('isAssignedTo', { key: updated.key, name }) : t('isNoLongerAssigned', { key: updated.key })),
          });
        }}
        disabled={assign.isPending || assignees.isPending}
      >
        <SelectTrigger id="incident-assignee" className="w-full">
          <SelectValue placeholder={assignees.isPending ? t('loading') : t('unassigned')} />
        </SelectTrigger>
        <SelectContent position="popper" className="max-w-[min(22rem,calc(100vw-2rem))]">
          <PersonOption value="none" name="Unassigned" detail="Back to the department's queue" />
          {current && !candidates.some((person) => person.id === current) ? <PersonOption value={current} name={sentence(nameOf(current))} /> : null}
          {candidates.map((person) => (
            <PersonOption key={person.id} value={person.id} name={person.fullName} detail={`${labels.role(person.role)}${person.id === viewer.id ? ' · you' : ''}`} />
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
