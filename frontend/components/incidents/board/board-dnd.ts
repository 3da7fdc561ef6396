import {
  type Announcements,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  pointerWithin,
  rectIntersection,
} from '@dnd-kit/core';
import type { Incident, IncidentStatus } from '@desk/contracts';
import { STATUS_LABELS } from '@/lib/format';
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

export const screenReaderInstructions = {
  draggable:
    'To move this incident, press space or enter to pick it up. Use the left and right arrow keys to choose a column, then press space or enter to drop it there, or escape to leave it where it was. The “Move to” menu next to it does the same.',
};

/** The incident a dragged card carries (useDraggable's data). */
export function draggedIncident(active: { data: { current?: Record<string, unknown> | undefined } } | null): Incident | undefined {
  return active?.data.current?.incident as Incident | undefined;
}

/** What a drop of `incident` on the column `to` does, in words (also what the board does on it). */
export function dropOutcome(viewer: Viewer, incident: Incident | undefined, to: string | number | undefined): string {
  if (!incident || to === undefined || to === incident.status) return `${incident?.key ?? 'The incident'} stays where it was.`;
  const check = checkMove(viewer, incident, to as IncidentStatus);
  if (!check.allowed) return `Not moved: ${check.why}`;
  if (needsReason(check.action)) return `${check.action.label}: say why in the dialog that opened.`;
  return `Moving ${incident.key} to ${STATUS_LABELS[to as IncidentStatus]}.`;
}

/** What a screen reader says as a card is picked up, carried over columns and dropped. */
export function boardAnnouncements(viewer: Viewer): Announcements {
  const name = (incident: Incident | undefined) => (incident ? `${incident.key}, ${incident.title}` : 'The incident');
  const over = (incident: Incident | undefined, to: string | number | undefined): string => {
    if (!incident || to === undefined) return 'Not over a column.';
    const status = to as IncidentStatus;
    if (status === incident.status) return `Over ${STATUS_LABELS[status]}, where it is now.`;
    const check = checkMove(viewer, incident, status);
    return check.allowed ? `Over ${STATUS_LABELS[status]}: ${check.action.label.toLowerCase()} if dropped here.` : `Over ${STATUS_LABELS[status]}: cannot move here. ${check.why}`;
  };
  return {
    onDragStart: ({ active }) => {
      const incident = draggedIncident(active);
      return `Picked up ${name(incident)}${incident ? `, in ${STATUS_LABELS[incident.status]}` : ''}.`;
    },
    onDragOver: ({ active, over: target }) => over(draggedIncident(active), target?.id),
    onDragEnd: ({ active, over: target }) => dropOutcome(viewer, draggedIncident(active), target?.id),
    onDragCancel: ({ active }) => `Cancelled. ${name(draggedIncident(active))} stays where it was.`,
  };
}
