'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import type { IncidentChangeEvent } from '@desk/contracts';
import { followEventStream, type StreamState } from './event-stream';
import { invalidateIncidentViews } from './mutations/incidents';
import { keys } from './queries';
import { useApi } from './session';

/** Lists, the board, dashboards and analytics refetch at most this often, however many changes arrive. */
export const VIEW_REFRESH_INTERVAL_MS = 500;
/** Changes arriving together (a status change that also assigns) are gathered this long before refreshing. */
const GATHER_MS = 60;

export type HeardChange = IncidentChangeEvent & { receivedAt: number };

/** What the indicator and the incident page show about the live stream. */
export interface LiveIncidentsSnapshot {
  state: StreamState;
  /** The latest change heard of, and when (the browser's clock), or null. */
  lastChange: HeardChange | null;
  /** The latest change of each incident heard of in the last minute, by key. */
  recent: Readonly<Record<string, HeardChange>>;
}

/** How long a change stays in `recent`. */
const RECENT_KEPT_MS = 60_000;

const listeners = new Set<() => void>();
let snapshot: LiveIncidentsSnapshot = { state: 'stopped', lastChange: null, recent: {} };
const SERVER_SNAPSHOT: LiveIncidentsSnapshot = { state: 'stopped', lastChange: null, recent: {} };

function heard(change: IncidentChangeEvent): void {
  const now = Date.now();
  const entry: HeardChange = { ...change, receivedAt: now };
  const recent = Object.fromEntries(Object.entries(snapshot.recent).filter(([, kept]) => now - kept.receivedAt < RECENT_KEPT_MS));
  recent[change.key] = entry;
  update({ lastChange: entry, recent });
}

function update(next: Partial<LiveIncidentsSnapshot>): void {
  snapshot = { ...snapshot, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The live stream's state and the latest change, for indicators. */
export function useLiveIncidents(): LiveIncidentsSnapshot {
  return useSyncExternalStore(
    subscribe,
    () => snapshot,
    () => SERVER_SNAPSHOT,
  );
}

/**
 * Gathers changes and refreshes what they touch: each changed incident's page (the incident, its
 * conversation, timeline and people — the assignee's name comes from the people) soon after, and
 * every view of many incidents at most once per VIEW_REFRESH_INTERVAL_MS, so a burst of changes
 * costs one refetch of a list, not one per change.
 */
export class ChangeRefresher {
  private readonly keys = new Set<string>();
  private readonly ids = new Set<string>();
  private views = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastViewRefresh = 0;

  constructor(private readonly queryClient: QueryClient) {}

  changed(event: Pick<IncidentChangeEvent, 'id' | 'key'>): void {
    this.keys.add(event.key);
    this.ids.add(event.id);
    this.views = true;
    this.schedule();
  }

  /** Everything incident-related at once: after a gap in which changes may have been missed. */
  everything(): void {
    void this.queryClient.invalidateQueries({ queryKey: keys.incidents });
    void this.queryClient.invalidateQueries({ queryKey: ['analytics'] });
    this.lastViewRefresh = Date.now();
  }

  private schedule(): void {
    if (this.timer) return;
    const sinceViews = Date.now() - this.lastViewRefresh;
    this.timer = setTimeout(() => this.flush(), Math.max(GATHER_MS, VIEW_REFRESH_INTERVAL_MS - sinceViews));
  }

  private flush(): void {
    this.timer = undefined;
    for (const key of this.keys) void this.queryClient.invalidateQueries({ queryKey: keys.incident(key) });
    for (const id of this.ids) {
      void this.queryClient.invalidateQueries({ queryKey: keys.comments(id) });
      void this.queryClient.invalidateQueries({ queryKey: keys.timeline(id) });
      void this.queryClient.invalidateQueries({ queryKey: keys.incidentPeople(id) });
    }
    this.keys.clear();
    this.ids.clear();
    if (this.views) {
      this.views = false;
      this.lastViewRefresh = Date.now();
      invalidateIncidentViews(this.queryClient);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function parseChange(data: string): IncidentChangeEvent | undefined {
  try {
    const event = JSON.parse(data) as Partial<IncidentChangeEvent>;
    return typeof event.id === 'string' && typeof event.key === 'string' ? (event as IncidentChangeEvent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows `GET /incidents/stream` for as long as the component using it is mounted (once, in the
 * signed-in layout) and keeps every incident view current: each change someone makes to an
 * incident the viewer may see refreshes that incident's page and the lists, board, dashboards
 * and analytics, without reloading the page. After a reconnection that could not resume, or an
 * `event: reset`, everything incident-related refreshes, as changes may have been missed.
 */
export function useFollowIncidentChanges(): void {
  const api = useApi();
  const queryClient = useQueryClient();

  useEffect(() => {
    const controller = new AbortController();
    const refresher = new ChangeRefresher(queryClient);
    let openedBefore = false;
    void followEventStream(api, '/incidents/stream', {
      signal: controller.signal,
      onState: (state) => update({ state }),
      onOpen: (resumed) => {
        if (openedBefore && !resumed) refresher.everything();
        openedBefore = true;
      },
      onEvent: (event) => {
        if (event.event === 'reset') {
          refresher.everything();
          return;
        }
        if (event.event !== 'incident') return;
        const change = parseChange(event.data);
        if (!change) return;
        refresher.changed(change);
        heard(change);
      },
    }).finally(() => update({ state: 'stopped' }));
    return () => {
      controller.abort();
      refresher.stop();
    };
  }, [api, queryClient]);
}
