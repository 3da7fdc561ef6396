import {
  type Announcements,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  pointerWithin,
  rectIntersection,
} from '@dnd-kit/core';
import type { Incident, IncidentStatus } from '@desk/contracts';
import type { Words } from '@/lib/i18n/words';
import type { Viewer } from '@/lib/lifecycle';
import { checkMove, needsReason } from './board-rules';

// How dragging behaves on the board: which column a card is over, how the arrow keys move a
// picked-up card (a column at a time), and what screen readers hear.

/** The pointer's column when there is a pointer; the most-covered column when moving by keyboard. */
export const columnCollision: CollisionDetection = (args) => {
  const under = args.pointerCoordinates ? pointerWithin(args) : [];
  return under.length > 0 ? under : rectIntersection(args);
};

/** Left and right jump to the middle of the neighbouring column; up and down nudge within one. */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const { droppableRects, collisionRect } = context;
  if (event.code === 'ArrowUp' || event.code === 'ArrowDown') {
    event.preventDefault();
    return { ...currentCoordinates, y: currentCoordinates.y + (event.code === 'ArrowUp' ? -40 : 40) };
  }
  if (event.code !== 'ArrowRight' && event.code !== 'ArrowLeft') return undefined;
  event.preventDefault();
  if (!collisionRect) return undefined;
  const middle = collisionRect.left + collisionRect.width / 2;
  const columns = [...droppableRects.values()].sort((a, b) => a.left - b.left);
  const next = event.code === 'ArrowRight' ? columns.find((rect) => rect.left > middle) : [...columns].reverse().find((rect) => rect.left + rect.width < middle);
  if (!next) return currentCoordinates;
  return { x: currentCoordinates.x + (next.left + next.width / 2 - middle), y: currentCoordinates.y };
};

export function screenReaderInstructions(t: Words<'incidents'>) {
  return { draggable: t('board.dragInstructions') };
}

/** The incident a dragged card carries (useDraggable's data). */
export function draggedIncident(active: { data: { current?: Record<string, unknown> | undefined } } | null): Incident | undefined {
  return active?.data.current?.incident as Incident | undefined;
}

/** What a drop of `incident` on the column `to` does, in words (also what the board does on it). */
export function dropOutcome(viewer: Viewer, incident: Incident | undefined, to: string | number | undefined, t: Words<'incidents'>): string {
  if (!incident || to === undefined || to === incident.status) return t('board.staysWhereItWas', { name: incident?.key ?? t('board.theIncident') });
  const check = checkMove(viewer, incident, to as IncidentStatus, t);
  if (!check.allowed) return t('board.notMoved', { why: check.why });
  if (needsReason(check.action)) return t('board.sayWhy', { action: t(`transitions.${check.action.kind}.label`) });
  return t('board.moving', { key: incident.key, status: t(`statusInSentence.${to as IncidentStatus}`) });
}

/** What a screen reader says as a card is picked up, carried over columns and dropped. */
export function boardAnnouncements(viewer: Viewer, t: Words<'incidents'>): Announcements {
  const name = (incident: Incident | undefined) => (incident ? `${incident.key}, ${incident.title}` : t('board.theIncident'));
  const column = (status: IncidentStatus) => t(`statusInSentence.${status}`);
  const over = (incident: Incident | undefined, to: string | number | undefined): string => {
    if (!incident || to === undefined) return t('board.notOverColumn');
    const status = to as IncidentStatus;
    if (status === incident.status) return t('board.overCurrent', { status: column(status) });
    const check = checkMove(viewer, incident, status, t);
    return check.allowed ? t('board.overAllowed', { status: column(status), action: t(`transitions.${check.action.kind}.label`) }) : t('board.overRefused', { status: column(status), why: check.why });
  };
  return {
    onDragStart: ({ active }) => {
      const incident = draggedIncident(active);
      return incident ? t('board.pickedUpIn', { name: name(incident), status: column(incident.status) }) : t('board.pickedUp', { name: name(incident) });
    },
    onDragOver: ({ active, over: target }) => over(draggedIncident(active), target?.id),
    onDragEnd: ({ active, over: target }) => dropOutcome(viewer, draggedIncident(active), target?.id, t),
    onDragCancel: ({ active }) => t('board.cancelled', { name: name(draggedIncident(active)) }),
  };
}
