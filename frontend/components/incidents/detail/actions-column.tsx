'use client';

import { CheckCircle2, PlayCircle, RotateCcw, XCircle } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { INCIDENT_PRIORITIES, type Incident, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { allowedTransitions, mayAskReporter, mayAssign, mayChangePriority, type TransitionAction, type Viewer } from '@/lib/lifecycle';
import { cn } from '@/lib/utils';
import { AssigneeSelect } from './assignee-select';
import { DeclareMajorButton } from './major-incident';
import { NextSteps } from './next-steps';
import { RatingSelects } from './rating-selects';
import { SatisfactionCard } from './satisfaction-card';
import { TransitionDialog } from './transition-dialog';
import { AskReporterButton } from './waiting';
import { useIncidentWrites } from './use-incident-writes';
import { useLabels } from '@/lib/i18n/use-format';
import { useTranslations } from 'next-intl';

/** The right column: the status changes, assignment and priority this viewer may make now. */
export function ActionsColumn({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents');
  const [transition, setTransition] = useState<TransitionAction | null>(null);
  const actions = allowedTransitions(viewer, incident);
  const canAssign = mayAssign(viewer, incident);
  const canPrioritise = mayChangePriority(viewer, incident);
  const canAsk = mayAskReporter(viewer, incident) && !incident.waiting;

  return (
    <div className="space-y-6">
      <Card className="gap-3">
        <CardHeader>
          <CardTitle>{t('actionsColumn.whatYouCanDo')}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {actions.length > 0 ? (
            <div className="flex flex-wrap gap-2 @3xl:flex-col @3xl:items-stretch" role="group" aria-label={t('actionsColumn.statusChanges')}>
              {actions.map((action) => (
                <Button
                  key={action.to}
                  variant={action.tone === 'primary' ? 'default' : action.tone === 'danger' ? 'outline' : 'secondary'}
                  className={cn('@3xl:justify-start', action.tone === 'danger' && 'text-destructive hover:text-destructive')}
                  onClick={() => setTransition(action)}
                >
                  <TransitionIcon to={action.to} from={incident.status} />
                  {t(`transitions.${action.kind}.label`)}
                </Button>
              ))}
            </div>
          ) : null}
          {canAsk ? <div className="flex flex-col @3xl:items-stretch"><AskReporterButton incident={incident} /></div> : null}
          <div className="flex flex-col empty:hidden @3xl:items-stretch">
            <DeclareMajorButton incident={incident} viewer={viewer} />
          </div>
          {canAssign ? <AssigneeSelect incident={incident} viewer={viewer} /> : null}
          {canPrioritise ? <PrioritySelect incident={incident} /> : null}
          {canPrioritise ? <RatingSelects incident={incident} /> : null}
          <NextSteps incident={incident} viewer={viewer} />
        </CardContent>
      </Card>
      <SatisfactionCard incident={incident} viewer={viewer} />
      <TransitionDialog action={transition} incident={incident} viewerId={viewer.id} onClose={() => setTransition(null)} />
    </div>
  );
}

function TransitionIcon({ from, to }: { from: IncidentStatus; to: IncidentStatus }) {
  if (to === 'IN_PROGRESS' && from === 'OPEN') return <PlayCircle />;
  if (to === 'IN_PROGRESS' || to === 'OPEN') return <RotateCcw />;
  if (to === 'CANCELLED') return <XCircle />;
  return <CheckCircle2 />;
}

function PrioritySelect({ incident }: { incident: Incident }) {
  const t = useTranslations('incidents');
  const labels = useLabels();
  const { patch } = useIncidentWrites(incident);
  return (
    <div className="grid gap-1.5">
      <Label htmlFor="incident-priority">{t('actionsColumn.priority')}</Label>
      <Select
        value={incident.priority}
        onValueChange={(priority) =>
          patch.mutate({ priority: priority as IncidentPriority }, { onSuccess: (updated) => toast.success(t('actionsColumn.priorityOfIsNow', { key: updated.key, priority: labels.priority(updated.priority) })) })
        }
        disabled={patch.isPending}
      >
        <SelectTrigger id="incident-priority" className="w-full">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {INCIDENT_PRIORITIES.map((priority) => (
            <SelectItem key={priority} value={priority}>
              {labels.priority(priority)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
