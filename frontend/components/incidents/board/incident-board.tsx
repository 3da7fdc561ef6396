'use client';

import { useTranslations } from 'next-intl';
import { DndContext, type DragEndEvent, DragOverlay, KeyboardSensor, MouseSensor, TouchSensor, useSensor, useSensors } from '@dnd-kit/core';
import { Ban } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { toast } from 'sonner';
import type { Incident, IncidentStatus } from '@desk/contracts';
import { StatusChangeDialog } from '@/components/incidents/status-change-dialog';
import { EmptyState, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import type { TransitionAction } from '@/lib/lifecycle';
import { filtersFromParams, filtersToParams } from '@/lib/incident-filters';
import { useMoveOnBoard, type BoardMove } from '@/lib/mutations/board';
import { useConflictMessage } from '@/lib/mutations/incidents';
import { type IncidentFilters, usePeopleDirectory } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { useNow } from '@/lib/use-now';
import { CardBody } from './board-card';
import { BoardColumn, type DropState } from './board-column';
import { BoardFilters } from './board-filters';
import { boardColumns, checkMove, needsReason } from './board-rules';
import { boardAnnouncements, columnCollision, columnKeyboardCoordinates, draggedIncident, screenReaderInstructions } from './board-dnd';
import { useLabels } from '@/lib/i18n/use-format';

/** The board: a column per status, cards moved between them as the lifecycle allows this person. */
export function IncidentBoard() {
  const t = useTranslations('incidents');
  const user = useUser();
  if (user.role === 'reporter') {
    return (
      <>
        <PageHeader title={t('incidentBoard.board')} />
        <EmptyState
          icon={Ban}
          title={t('incidentBoard.theBoardIsFor')}
          action={
            <Button asChild>
              <Link href="/incidents">{t('incidentBoard.seeYourIncidents')}</Link>
            </Button>
          }
        >
          {t('incidentBoard.yourDepartmentSStaff')}
        </EmptyState>
      </>
    );
  }
  return <Board />;
}

function Board() {
  const conflictMessage = useConflictMessage();
  const labels = useLabels();
  const t = useTranslations('incidents');
  const user = useUser();
  const viewer = { id: user.id, role: user.role, departmentId: user.departmentId ?? null };
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(searchParams.toString())), [searchParams]);
  const columns = boardColumns(filters.status);
  const now = useNow();
  const people = usePeopleDirectory();
  const [active, setActive] = useState<Incident | null>(null);
  // A move that should say why waits here for its reason.
  const [pending, setPending] = useState<{ incident: Incident; action: TransitionAction } | null>(null);
  const [overStatus, setOverStatus] = useState<IncidentStatus | null>(null);

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    // On touch screens a short press picks a card up, so a swipe still scrolls the board.
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );

  const moves = useMoveOnBoard({
    onMoved: (updated) => toast.success(t('incidentBoard.isNow', { key: updated.key, status: t(`statusInSentence.${updated.status}`) })),
    onRefused: (move: BoardMove, error) => {
      const { title, detail } = conflictMessage(error);
      toast.error(title, { description: t('incidentBoard.isBackIn', { key: move.incident.key, status: t(`statusInSentence.${move.incident.status}`), detail }) });
    },
  });

  const update = (change: Partial<IncidentFilters>) => {
    const query = filtersToParams({ ...filters, ...change }).toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  /** A move asked for by a drop or the "Move to…" menu: made at once, or after asking why. */
  const requestMove = (incident: Incident, to: IncidentStatus) => {
    const check = checkMove(viewer, incident, to, t);
    if (!check.allowed) {
      toast(t('incidentBoard.staysIn', { key: incident.key, status: t(`statusInSentence.${incident.status}`) }), { description: check.why });
      return;
    }
    if (needsReason(check.action)) setPending({ incident, action: check.action });
    else moves.mutate({ incident, to });
  };

  const onDragEnd = ({ active: dragged, over }: DragEndEvent) => {
    setActive(null);
    setOverStatus(null);
    const incident = draggedIncident(dragged);
    if (!incident || !over || over.id === incident.status) return;
    // A refused drop sends nothing: the column said why while the card was over it (and screen readers hear it).
    requestMove(incident, over.id as IncidentStatus);
  };

  const dropState = (status: IncidentStatus): DropState => {
    if (!active) return { kind: 'idle' };
    if (active.status === status) return { kind: 'source' };
    const check = checkMove(viewer, active, status, t);
    return check.allowed ? { kind: 'allowed', label: t(`transitions.${check.action.kind}.label`) } : { kind: 'refused', why: check.why };
  };

  const assigneeOf = (incident: Incident): string => {
    if (!incident.assigneeId) return t('incidentBoard.unassigned');
    if (incident.assigneeId === user.id) return t('incidentBoard.you');
    return incident.assigneeName ?? people.get(incident.assigneeId)?.fullName ?? t('incidentBoard.assigned');
  };
  const hrefOf = (incident: Incident) => `/incidents/${incident.key}`;
  const cardProps = { viewer, now, columns, onMove: requestMove };

  return (
    <>
      <PageHeader
        title={t('incidentBoard.board')}
        description={t('incidentBoard.incidentsByStatusDrag')}
      />
      <BoardFilters filters={filters} onChange={update} />
      <DndContext
        id="incident-board"
        sensors={sensors}
        collisionDetection={columnCollision}
        accessibility={{ announcements: boardAnnouncements(viewer, t), screenReaderInstructions: screenReaderInstructions(t) }}
        onDragStart={({ active: dragged }) => setActive(draggedIncident(dragged) ?? null)}
        onDragOver={({ over }) => setOverStatus((over?.id as IncidentStatus | undefined) ?? null)}
        onDragCancel={() => setActive(null)}
        onDragEnd={onDragEnd}
      >
        <div className="-mx-4 flex snap-x snap-mandatory scroll-px-4 gap-3 overflow-x-auto px-4 pb-4 sm:-mx-6 sm:scroll-px-6 sm:px-6 lg:mx-0 lg:px-0" data-testid="board">
          {columns.map((status) => (
            <BoardColumn key={status} status={status} filters={filters} drop={dropState(status)} assigneeOf={assigneeOf} hrefOf={hrefOf} {...cardProps} />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>{active ? <CardBody incident={active} assignee={assigneeOf(active)} href={hrefOf(active)} overlay refusedHere={overStatus && dropState(overStatus).kind === 'refused' ? t(`statusInSentence.${overStatus}`) : undefined} {...cardProps} /> : null}</DragOverlay>
      </DndContext>
      <StatusChangeDialog
        action={pending?.action ?? null}
        incident={pending?.incident ?? null}
        description={pending ? t('incidentBoard.text', { status: labels.status(pending.incident.status), status2: labels.status(pending.action.to), title: pending.incident.title }) : ''}
        reasonRequired
        cancelLabel={t('incidentBoard.leaveItWhereIt')}
        onClose={() => setPending(null)}
        onConfirm={(reason) => {
          if (!pending) return;
          setPending(null);
          moves.mutate({ incident: pending.incident, to: pending.action.to, reason });
        }}
      />
    </>
  );
}
