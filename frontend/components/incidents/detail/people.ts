'use client';

import { useTranslations } from 'next-intl';
import type { Incident } from '@desk/contracts';
import type { Viewer } from '@/lib/lifecycle';
import { usePeopleDirectory } from '@/lib/queries';

/** Names a person on the incident page: "you", their name, or their part in the incident. */
export type NameOf = (id: string | null) => string;

/**
 * Names for the people on an incident. The incident's own `reporterName` and `assigneeName`
 * come first (the API fills them from the incident's people, so every role sees them); then the
 * incident's people list (GET /incidents/{id}/people); whoever stays unknown is named by their
 * part in it. Both sources are queries, so a live refresh of either renames at once.
 */
export function useNameOf(incident: Incident, viewer: Viewer): NameOf {
  const t = useTranslations('incidents.people');
  const people = usePeopleDirectory(incident.id);
  return (id) => {
    if (!id) return t('desk');
    if (id === viewer.id) return t('you');
    if (id === incident.reporterId && incident.reporterName) return incident.reporterName;
    if (id === incident.assigneeId && incident.assigneeName) return incident.assigneeName;
    const known = people.get(id)?.fullName;
    if (known) return known;
    if (id === incident.reporterId) return t('reporter');
    if (id === incident.assigneeId) return t('assignee');
    return t('teamMember');
  };
}
