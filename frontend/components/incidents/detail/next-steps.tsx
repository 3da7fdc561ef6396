'use client';

import Link from 'next/link';
import type { Incident } from '@desk/contracts';
import { isFinal, mayWriteInternalNotes, type Viewer } from '@/lib/lifecycle';

/** A sentence on what happens next, where the buttons alone do not say it. */
export function NextSteps({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const text = nextStep(incident, viewer);
  if (!text) return null;
  return (
    <p className="text-sm text-muted-foreground" data-testid="next-steps">
      {text}
      {isFinal(incident.status) && !mayWriteInternalNotes(viewer, incident) ? (
        <>
          {' '}
          <Link href="/incidents/new" className="font-medium text-primary underline-offset-4 hover:underline">
            report a new incident
          </Link>
          .
        </>
      ) : null}
    </p>
  );
}

function nextStep(incident: Incident, viewer: Viewer): string | null {
  const reporter = viewer.id === incident.reporterId && !mayWriteInternalNotes(viewer, incident);
  switch (incident.status) {
    case 'OPEN':
      return reporter ? 'The team has it in its queue. You hear here and by mail when someone starts on it.' : null;
    case 'IN_PROGRESS':
      return reporter ? 'The team is working on it. You hear here and by mail when it is resolved.' : null;
    case 'RESOLVED':
      return reporter ? 'Check that it works for you: close it if so, or re-open it if it is not fixed. Left alone, it closes by itself after a few days.' : 'Waiting for the reporter to confirm. It closes by itself after a few days.';
    case 'CLOSED':
      return reporter ? 'Closed: it cannot change any more. If the problem is back,' : 'Closed: it cannot change any more.';
    case 'CANCELLED':
      return reporter ? 'Cancelled: it cannot change any more. If you need help after all,' : 'Cancelled: it cannot change any more.';
  }
}
