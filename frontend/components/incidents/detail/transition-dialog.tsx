'use client';

import { toast } from 'sonner';
import type { Incident } from '@desk/contracts';
import { StatusChangeDialog } from '@/components/incidents/status-change-dialog';
import { mapFieldErrors } from '@/lib/form-errors';
import type { TransitionAction } from '@/lib/lifecycle';
import { useConflictMessage, useIncidentMutations } from '@/lib/mutations/incidents';
import { useLabels } from '@/lib/i18n/use-format';

/** Who hears of a status change (notification-service's rules): the reporter and the assignee, never the person who made it. */
function whoIsTold(incident: Incident, viewerId: string): string {
  const reporter = incident.reporterId !== viewerId;
  const assignee = incident.assigneeId !== null && incident.assigneeId !== viewerId && incident.assigneeId !== incident.reporterId;
  if (reporter && assignee) return 'The reporter and the assignee are told.';
  if (reporter) return 'The reporter is told.';
  if (assignee) return 'The assignee is told.';
  return '';
}

/** Confirms a status change on the incident page, with the reason the timeline and the people told will read. */
export function TransitionDialog({ action, incident, viewerId, onClose }: { action: TransitionAction | null; incident: Incident; viewerId: string; onClose: () => void }) {
  const conflictMessage = useConflictMessage();
  const labels = useLabels();
  const { patch } = useIncidentMutations(incident);
  return (
    <StatusChangeDialog
      action={action}
      incident={incident}
      description={action ? `${labels.status(incident.status)} → ${labels.status(action.to)}. ${whoIsTold(incident, viewerId)}`.trim() : ''}
      reasonRequired={false}
      cancelLabel="Go back"
      busy={patch.isPending}
      onClose={onClose}
      onConfirm={(reason, showReasonError) => {
        if (!action) return;
        patch.mutate(
          { status: action.to, ...(reason ? { reason } : {}) },
          {
            onSuccess: (updated) => {
              onClose();
              toast.success(`${updated.key} is now ${labels.status(updated.status).toLowerCase()}`);
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
