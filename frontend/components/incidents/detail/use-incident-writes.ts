'use client';

import { toast } from 'sonner';
import type { Incident } from '@desk/contracts';
import { useConflictMessage, useIncidentMutations } from '@/lib/mutations/incidents';

/** The incident's writes, with refusals (a conflict, a role) as a toast; the page then shows the incident as it now is. */
export function useIncidentWrites(incident: Incident) {
  const conflictMessage = useConflictMessage();
  return useIncidentMutations(incident, {
    onError: (error) => {
      const { title, detail } = conflictMessage(error);
      toast.error(title, { description: detail });
    },
  });
}
