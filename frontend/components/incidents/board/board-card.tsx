'use client';

import { useTranslations } from 'next-intl';
import { useDraggable } from '@dnd-kit/core';
import { Ban, GripVertical } from 'lucide-react';
import Link from 'next/link';
import type { Incident, IncidentStatus } from '@desk/contracts';
import { PriorityBadge, SlaBadge } from '@/components/badges';
import type { Viewer } from '@/lib/lifecycle';
import { slaBadge } from '@/lib/sla';
import { cn } from '@/lib/utils';
import { MoveMenu } from './move-menu';

export interface CardProps {
  incident: Incident;
  viewer: Viewer;
  now: number;
  /** The assignee as people read it: their name, "You" or "Unassigned". */
  assignee: string;
  columns: IncidentStatus[];
  onMove: (incident: Incident, to: IncidentStatus) => void;
  /** The link to the incident keeps the board's filters for the way back. */
  href: string;
}

/** A card on the board: dragged by mouse or touch anywhere on it, from the keyboard by its handle. */
export function BoardCard(props: CardProps) {
  const { incident } = props;
  // The card stays put (faded) while a copy follows the pointer (the board's DragOverlay).
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, isDragging } = useDraggable({
    id: incident.id,
    data: { incident },
    attributes: { roleDescription: 'movable incident' },
  });
  return (
    <li
      ref={setNodeRef}
      {...listeners}
      className={cn('touch-manipulation', isDragging && 'opacity-40')}
      data-testid="board-card"
      data-key={incident.key}
      data-status={incident.status}
      data-priority={incident.priority}
    >
      <CardBody {...props} handle={<Handle incident={incident} setRef={setActivatorNodeRef} attributes={attributes} />} />
    </li>
  );
}

type HandleAttributes = ReturnType<typeof useDraggable>['attributes'];

function Handle({ incident, setRef, attributes }: { incident: Incident; setRef: (element: HTMLElement | null) => void; attributes: HandleAttributes }) {
  const t = useTranslations('incidents.boardCard');
  return (
    <button
      type="button"
      ref={setRef}
      {...attributes}
      aria-label={t('move', { key: incident.key, title: incident.title })}
      className="-ml-1 flex size-6 shrink-0 cursor-grab items-center justify-center rounded text-muted-foreground hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      data-testid="card-handle"
    >
      <GripVertical className="size-4" aria-hidden />
    </button>
  );
}

/** What a card shows; also the copy that follows the pointer while dragging. */
export function CardBody({ incident, viewer, now, assignee, columns, onMove, href, handle, overlay = false, refusedHere }: CardProps & { handle?: React.ReactNode; overlay?: boolean; refusedHere?: string | undefined }) {
  const t = useTranslations('incidents.boardCard');
  return (
    <article className={cn('min-w-0 rounded-lg border bg-card p-3 shadow-xs transition-shadow hover:border-primary/40', overlay && 'rotate-1 cursor-grabbing shadow-lg ring-2 ring-primary/30', refusedHere && 'ring-destructive/60')}>
      {refusedHere ? (
        <div className="mb-2 flex items-center gap-1.5 rounded bg-destructive/10 px-2 py-1 text-xs font-medium text-destructive">
          <Ban className="size-3.5 shrink-0" aria-hidden />{' '}{t('canTMoveTo')}{' '}{refusedHere}
        </div>
      ) : null}
      <div className="flex items-center gap-1.5">
        {handle ?? <GripVertical className="-ml-1 size-4 text-muted-foreground" aria-hidden />}
        <span className="font-mono text-xs text-muted-foreground">{incident.key}</span>
        <span className="ml-auto">{overlay ? null : <MoveMenu incident={incident} viewer={viewer} columns={columns} onMove={onMove} />}</span>
      </div>
      <Link prefetch={false} href={href} draggable={false} className="mt-1 line-clamp-3 text-sm font-medium [overflow-wrap:anywhere] hover:text-primary" title={incident.title}>
        {incident.title}
      </Link>
      <div className="mt-2 flex flex-wrap gap-1">
        <PriorityBadge priority={incident.priority} />
        <SlaBadge sla={slaBadge(incident, now)} now={now} className="max-w-full whitespace-normal" />
      </div>
      <div className={cn('mt-2 truncate text-xs', incident.assigneeId ? 'text-foreground/80' : 'text-muted-foreground')} data-testid="card-assignee">
        {assignee}
      </div>
    </article>
  );
}
