'use client';

import { useTranslations } from 'next-intl';
import { toast } from 'sonner';
import type { Incident } from '@desk/contracts';
import { StatusChangeDialog } from '@/components/incidents/status-change-dialog';
import { mapFieldErrors } from '@/lib/form-errors';
import type { TransitionAction } from '@/lib/lifecycle';
import { useConflictMessage, useIncidentMutations } from '@/lib/mutations/incidents';
import { useLabels } from '@/lib/i18n/use-format';

/** Who hears of a status change (notification-service's rules): the reporter and the assignee, never the person who made it. */
function whoIsTold(incident: Incident, viewerId: string): 'both' | 'reporter' | 'assignee' | 'nobody' {
  const reporter = incident.reporterId !== viewerId;
  const assignee = incident.assigneeId !== null && incident.assigneeId !== viewerId && incident.assigneeId !== incident.reporterId;
  return reporter && assignee ? 'both' : reporter ? 'reporter' : assignee ? 'assignee' : 'nobody';
}

/** Confirms a status change on the incident page, with the reason the timeline and the people told will read. */
export function TransitionDialog({ action, incident, viewerId, onClose }: { action: TransitionAction | null; incident: Incident; viewerId: string; onClose: () => void }) {
  const t = useTranslations('incidents.transitionDialog');
  const tIncidents = useTranslations('incidents');
  const conflictMessage = useConflictMessage();
  const labels = useLabels();
  const { patch } = useIncidentMutations(incident);
  return (
    <StatusChangeDialog
      action={action}
      incident={incident}
      description={action ? t('description', { from: labels.status(incident.status), to: labels.status(action.to), told: whoIsTold(incident, viewerId) }) : ''}
      reasonRequired={false}
      cancelLabel={t('goBack')}
      busy={patch.isPending}
      onClose={onClose}
      onConfirm={(reason, showReasonError) => {
        if (!action) return;
        patch.mutate(
          { status: action.to, ...(reason ? { reason } : {}) },
          {
            onSuccess: (updated) => {
              onClose();
              toast.success(t('isNow', { key: updated.key, status: tIncidents(`statusInSentence.${updated.status}`) }));
            },
            onError: (error) => {
              const { byField } = mapFieldErrors(error, ['reason'] as const);
              if (byField.reason) return showReasonError(byField.reason);
              onClose();
              const { title, detail } = conflictMessage(error);
              toast.error(title, { description: detail });
            },
          },
        );
      }}
    />
  );
}
