'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Incident } from '@desk/contracts';
import { mayWriteInternalNotes, type Viewer } from '@/lib/lifecycle';

/** A sentence on what happens next, where the buttons alone do not say it. */
export function NextSteps({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.nextSteps');
  const step = nextStep(incident, viewer);
  if (!step) return null;
  const link = (chunks: ReactNode) => (
    <Link href="/incidents/new" className="font-medium text-primary underline-offset-4 hover:underline">
      {chunks}
    </Link>
  );
  return (
    <p className="text-sm text-muted-foreground" data-testid="next-steps">
      {t.rich(step, { link })}
    </p>
  );
}

type Step = 'openReporter' | 'inProgressReporter' | 'resolvedReporter' | 'resolvedTeam' | 'closedReporter' | 'closedTeam' | 'cancelledReporter' | 'cancelledTeam';

function nextStep(incident: Incident, viewer: Viewer): Step | null {
  const reporter = viewer.id === incident.reporterId && !mayWriteInternalNotes(viewer, incident);
  switch (incident.status) {
    case 'OPEN':
      return reporter ? 'openReporter' : null;
    case 'IN_PROGRESS':
      return reporter ? 'inProgressReporter' : null;
    case 'RESOLVED':
      return reporter ? 'resolvedReporter' : 'resolvedTeam';
    case 'CLOSED':
      return reporter ? 'closedReporter' : 'closedTeam';
    case 'CANCELLED':
      return reporter ? 'cancelledReporter' : 'cancelledTeam';
  }
}
