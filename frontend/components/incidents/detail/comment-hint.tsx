'use client';

import { Info } from 'lucide-react';
import type { Incident } from '@desk/contracts';
import { STATUS_LABELS } from '@/lib/format';
import { allowedTransitions, type Viewer } from '@/lib/lifecycle';
import type { NameOf } from './people';

/**
 * What a comment on a resolved, closed or cancelled incident does, as the services do it: it is
 * added in any status and changes nothing else — no re-opening, no new place in anyone's queue
 * (incident-service, add-comment.use-case.ts). A public comment is sent to the reporter and the
 * assignee, an internal note to the assignee and the department, never to its writer
 * (notification-service, recipients/rules.ts), each as their notification settings allow.
 */
export function commentHint(incident: Incident, viewer: Viewer, nameOf: NameOf, internal: boolean): string | null {
  if (incident.status !== 'RESOLVED' && incident.status !== 'CLOSED' && incident.status !== 'CANCELLED') return null;
  const status = STATUS_LABELS[incident.status].toLowerCase();
  const told: string[] = [];
  if (!internal && incident.reporterId !== viewer.id) told.push(`${nameOf(incident.reporterId)}, who reported it,`);
  if (incident.assigneeId && incident.assigneeId !== viewer.id) told.push(`${nameOf(incident.assigneeId)}, who is assigned to it,`);
  if (internal) told.push('the department’s team in the portal');
  const who = told.length > 0 ? `${capitalise(told.join(' and '))} ${told.length > 1 ? 'are' : 'is'} told.` : 'Nobody is assigned to it, so nobody is told.';
  const reopen = allowedTransitions(viewer, incident).find((action) => action.to === 'IN_PROGRESS');
  const next =
    incident.status === 'RESOLVED'
      ? reopen
        ? ` If the problem is not fixed, use “${reopen.label}” instead.`
        : ''
      : viewer.id === incident.reporterId
        ? ' If the problem is back, report a new incident.'
        : '';
  return `This incident is ${status}. A comment is added to it but does not re-open it. ${who}${next}`;
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
