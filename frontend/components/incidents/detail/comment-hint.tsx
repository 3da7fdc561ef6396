'use client';

import { Info } from 'lucide-react';
import type { Incident } from '@desk/contracts';
import type { Words } from '@/lib/i18n/words';
import { allowedTransitions, type Viewer } from '@/lib/lifecycle';
import type { NameOf } from './people';

/**
 * What a comment on a resolved, closed or cancelled incident does, as the services do it: it is
 * added in any status and changes nothing else — no re-opening, no new place in anyone's queue
 * (incident-service, add-comment.use-case.ts). A public comment is sent to the reporter and the
 * assignee, an internal note to the assignee and the department, never to its writer
 * (notification-service, recipients/rules.ts), each as their notification settings allow.
 */
export function commentHint(incident: Incident, viewer: Viewer, nameOf: NameOf, internal: boolean, t: Words<'incidents'>): string | null {
  if (incident.status !== 'RESOLVED' && incident.status !== 'CLOSED' && incident.status !== 'CANCELLED') return null;
  const reporter = !internal && incident.reporterId !== viewer.id ? nameOf(incident.reporterId) : null;
  const assignee = incident.assigneeId && incident.assigneeId !== viewer.id ? nameOf(incident.assigneeId) : null;
  const told = [
    reporter ? t('commentHint.reporter', { name: reporter }) : null,
    assignee ? t('commentHint.assignee', { name: assignee }) : null,
    internal ? t('commentHint.team') : null,
  ].filter((part): part is string => part !== null);
  const who = told.length > 0 ? t('commentHint.told', { who: capitalise(told.join(t('commentHint.and'))), count: told.length }) : t('commentHint.nobodyTold');
  const reopen = allowedTransitions(viewer, incident).find((action) => action.to === 'IN_PROGRESS');
  const next =
    incident.status === 'RESOLVED'
      ? reopen
        ? t('commentHint.useReopen', { action: t(`transitions.${reopen.kind}.label`) })
        : ''
      : viewer.id === incident.reporterId
        ? t('commentHint.reportNew')
        : '';
  return [t('commentHint.intro', { status: t(`statusInSentence.${incident.status}`) }), who, next].filter(Boolean).join(' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function CommentHint({ text }: { text: string }) {
  return (
    <p className="mb-3 flex gap-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100" data-testid="comment-hint">
      <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>{text}</span>
    </p>
  );
}
