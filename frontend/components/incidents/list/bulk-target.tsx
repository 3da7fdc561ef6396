'use client';

import { useTranslations } from 'next-intl';
import { INCIDENT_PRIORITIES, type Incident, type IncidentStatus } from '@desk/contracts';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import type { BulkChange } from '@/lib/bulk';
import { mayAssign, type Viewer } from '@/lib/lifecycle';
import { useUsers } from '@/lib/queries';
import type { BulkKind } from './bulk-dialog';
import { useLabels } from '@/lib/i18n/use-format';

const NOBODY = 'nobody';

/** The value a bulk change sets: a status, a priority or an assignee. */
export function BulkTarget({
  kind,
  selected,
  viewer,
  statuses,
  change,
  onChange,
}: {
  kind: BulkKind;
  selected: Incident[];
  viewer: Viewer;
  statuses: IncidentStatus[];
  change: BulkChange | null;
  onChange: (change: BulkChange) => void;
}) {
  const t = useTranslations('incidents.bulkTarget');
  const labels = useLabels();
  if (kind === 'status') {
    return (
      <Picker label={t('newStatus')} value={change?.kind === 'status' ? change.to : ''} onChange={(to) => onChange({ kind: 'status', to: to as IncidentStatus })}>
        {statuses.map((status) => (
          <SelectItem key={status} value={status}>
            {labels.status(status)}
          </SelectItem>
        ))}
      </Picker>
    );
  }
  if (kind === 'priority') {
    return (
      <Picker label={t('newPriority')} value={change?.kind === 'priority' ? change.to : ''} onChange={(to) => onChange({ kind: 'priority', to: to as (typeof INCIDENT_PRIORITIES)[number] })}>
        {[...INCIDENT_PRIORITIES].reverse().map((priority) => (
          <SelectItem key={priority} value={priority}>
            {labels.priority(priority)}
          </SelectItem>
        ))}
      </Picker>
    );
  }
  return <AssigneePicker selected={selected} viewer={viewer} change={change} onChange={onChange} />;
}

function AssigneePicker({ selected, viewer, change, onChange }: { selected: Incident[]; viewer: Viewer; change: BulkChange | null; onChange: (change: BulkChange) => void }) {
  const t = useTranslations('incidents.bulkTarget');
  const labels = useLabels();
  // Whom an incident can go to depends on its department: one department's people at a time.
  const departments = [...new Set(selected.filter((incident) => mayAssign(viewer, incident)).map((incident) => incident.departmentId))];
  const departmentId = departments.length === 1 ? departments[0] : undefined;
  const people = useUsers({ departmentId, isActive: 'true' }, departmentId !== undefined);
  if (departments.length > 1) {
    return <p className="text-sm text-muted-foreground">{t('theseIncidentsBelongTo')}</p>;
  }
  if (people.isPending) return <Skeleton className="h-9 w-full" />;
  const candidates = (people.data ?? []).filter((person) => person.role === 'staff' || person.role === 'manager');
  const value = change?.kind === 'assign' ? (change.assigneeId ?? NOBODY) : '';
  return (
    <Picker
      label={t('assignTo')}
      value={value}
      onChange={(id) => {
        const person = candidates.find((candidate) => candidate.id === id);
        onChange({ kind: 'assign', assigneeId: person?.id ?? null, assigneeName: person?.fullName ?? 'nobody' });
      }}
    >
      <SelectItem value={NOBODY}>{t('nobodyUnassign')}</SelectItem>
      {candidates.map((person) => (
        <SelectItem key={person.id} value={person.id}>
          {person.fullName} <span className="text-muted-foreground">· {labels.role(person.role)}</span>
        </SelectItem>
      ))}
    </Picker>
  );
}

function Picker({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: React.ReactNode }) {
  const t = useTranslations('incidents.bulkTarget');
  return (
    <div className="space-y-2">
      <Label htmlFor="bulk-target">{label}</Label>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger id="bulk-target" className="w-full" aria-label={label}>
          <SelectValue placeholder={t('choose')} />
        </SelectTrigger>
        <SelectContent>{children}</SelectContent>
      </Select>
    </div>
  );
}
