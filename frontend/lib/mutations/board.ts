'use client';

import { useMutation, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import type { Incident, IncidentStatus, Page } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { changeIncident, invalidateIncidentViews, settleIncident } from './incidents';

// A card moved on the board: the card changes column at once (optimistically), the PATCH carries
// the version the person saw, and a refusal puts every column back as it was.

export interface BoardMove {
  incident: Incident;
  to: IncidentStatus;
  reason?: string;
}

type Columns = InfiniteData<Page<Incident>, string | undefined>;
type Snapshot = Array<[QueryKey, Columns | undefined]>;

/** The board's columns with `incident` taken out of its column and put at the top of `to`'s. */
function moveCard(queryKey: QueryKey, data: Columns | undefined, incident: Incident, to: IncidentStatus): Columns | undefined {
  if (!data) return data;
  const status = queryKey[3] as IncidentStatus;
  const pages = data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== incident.id) }));
  if (status === to && pages[0]) pages[0] = { ...pages[0], items: [{ ...incident, status: to }, ...pages[0].items] };
  return { ...data, pages };
}

export function useMoveOnBoard(options: { onRefused: (move: BoardMove, error: unknown) => void; onMoved: (updated: Incident) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ incident, to, reason }: BoardMove) => changeIncident(api, incident, { status: to, ...(reason ? { reason } : {}) }),
    onMutate: async ({ incident, to }): Promise<{ snapshot: Snapshot }> => {
      // A refetch landing now would put the card back where it was.
      await queryClient.cancelQueries({ queryKey: keys.incidentBoard });
      const snapshot = queryClient.getQueriesData<Columns>({ queryKey: keys.incidentBoard });
      for (const [queryKey, data] of snapshot) queryClient.setQueryData<Columns>(queryKey, moveCard(queryKey, data, incident, to));
      return { snapshot };
    },
    onError: (error, move, context) => {
      for (const [queryKey, data] of context?.snapshot ?? []) queryClient.setQueryData(queryKey, data);
      // The board's copy was out of date: fetch what the incidents are now.
      invalidateIncidentViews(queryClient);
      void queryClient.invalidateQueries({ queryKey: keys.incident(move.incident.key) });
      options.onRefused(move, error);
    },
    onSuccess: (updated) => {
      settleIncident(queryClient, updated);
      options.onMoved(updated);
    },
  });
}
