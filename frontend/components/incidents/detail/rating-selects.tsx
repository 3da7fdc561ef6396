'use client';

import { useTranslations } from 'next-intl';
import { toast } from 'sonner';
import { INCIDENT_LEVELS, type Incident, type IncidentLevel } from '@desk/contracts';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useIncidentWrites } from './use-incident-writes';
import { useLabels } from '@/lib/i18n/use-format';

/** Impact and urgency, for who may change the priority: a change moves the priority as the matrix says. */
export function RatingSelects({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents.ratingSelects');
  const labels = useLabels();
  const { patch } = useIncidentWrites(incident);
  const change = (field: 'impact' | 'urgency', level: IncidentLevel) =>
    patch.mutate({ [field]: level }, { onSuccess: (updated) => toast.success(t('setPriority', { field, priority: labels.priority(updated.priority) })) });
  const select = (field: 'impact' | 'urgency', label: string) => (
    <div className="grid gap-1.5">
      <Label htmlFor={`incident-${field}`}>{label}</Label>
      <Select value={incident[field] ?? ''} onValueChange={(level) => change(field, level as IncidentLevel)} disabled={patch.isPending}>
        <SelectTrigger id={`incident-${field}`} className="w-full">
          <SelectValue placeholder={t('notRated')} />
        </SelectTrigger>
        <SelectContent>
          {[...INCIDENT_LEVELS].reverse().map((level) => (
            <SelectItem key={level} value={level}>{labels.level(level)}</SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
  return (
    <div className="grid grid-cols-2 gap-3">
      {select('impact', 'Impact')}
      {select('urgency', 'Urgency')}
    </div>
  );
}
