'use client';

import { useTranslations } from 'next-intl';
import { Search } from 'lucide-react';
import { INCIDENT_PRIORITIES } from '@desk/contracts';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { usePeopleDirectory, type IncidentFilters } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { cn } from '@/lib/utils';
import { useLabels } from '@/lib/i18n/use-format';

// The filters the list and the board share: the same controls, labels and address parameters, so
// moving between the two keeps what the person chose (see incident-filters.ts).

export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const t = useTranslations('incidents.filterControls');
  return (
    <div className="relative flex-1">
      <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
      <Input value={value} onChange={(event) => onChange(event.target.value)} placeholder={t('searchKeyTitleOr')} className="pl-9" aria-label={t('searchIncidents')} maxLength={200} />
    </div>
  );
}

export function PriorityFilter({ value, onChange }: { value: IncidentFilters['priority']; onChange: (priority: IncidentFilters['priority']) => void }) {
  const t = useTranslations('incidents.filterControls');
  const labels = useLabels();
  return (
    <Select value={value} onValueChange={(priority) => onChange(priority as IncidentFilters['priority'])}>
      <SelectTrigger className="w-full sm:w-[140px]" aria-label={t('priority')}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="all">{t('anyPriority')}</SelectItem>
        {[...INCIDENT_PRIORITIES].reverse().map((priority) => (
          <SelectItem key={priority} value={priority}>
            {labels.priority(priority)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

const ASSIGNEE_CHOICES = ['anyone', 'me', 'unassigned'];

/** Anyone, me, nobody; or one person, when a dashboard's workload figure linked to their incidents. */
export function AssigneeFilter({ value, onChange }: { value: string; onChange: (assignee: string) => void }) {
  const t = useTranslations('incidents.filterControls');
  // Names the viewer may read (managers: their department; admins: everyone).
  const people = usePeopleDirectory();
  const user = useUser();
  const personLabel = (id: string) => (id === user.id ? t('assignedToMe') : t('assignedTo', { name: people.get(id)?.fullName ?? t('onePerson') }));
  return (
    <Select value={value} onValueChange={onChange}>
      <SelectTrigger className="w-full sm:w-[150px]" aria-label={t('assignee')}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="anyone">{t('anyone')}</SelectItem>
        <SelectItem value="me">{t('assignedToMe')}</SelectItem>
        <SelectItem value="unassigned">{t('unassigned')}</SelectItem>
        {!ASSIGNEE_CHOICES.includes(value) ? <SelectItem value={value}>{personLabel(value)}</SelectItem> : null}
      </SelectContent>
    </Select>
  );
}

export function BreachedSwitch({ id, checked, onChange, className }: { id: string; checked: boolean; onChange: (breached: boolean) => void; className?: string }) {
  const t = useTranslations('incidents.filterControls');
  return <FilterSwitch id={id} checked={checked} onChange={onChange} className={className} label={t('slaBreached')} />;
}

/** Only the incidents the signed-in person watches (any department's). */
export function WatchingSwitch({ id, checked, onChange, className }: { id: string; checked: boolean; onChange: (watching: boolean) => void; className?: string }) {
  const t = useTranslations('incidents.filterControls');
  return <FilterSwitch id={id} checked={checked} onChange={onChange} className={className} label={t('watching')} />;
}

function FilterSwitch({ id, checked, onChange, className, label }: { id: string; checked: boolean; onChange: (on: boolean) => void; className?: string | undefined; label: string }) {
  return (
    <div className={cn('flex h-9 items-center gap-2 rounded-md border px-3 whitespace-nowrap', className)}>
      <Switch id={id} checked={checked} onCheckedChange={onChange} />
      <Label htmlFor={id} className="text-sm font-normal">
        {label}
      </Label>
    </div>
  );
}
