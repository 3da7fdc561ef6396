'use client';

import { useTranslations } from 'next-intl';
import { ArrowRightLeft } from 'lucide-react';
import type { Incident, IncidentStatus } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import type { Viewer } from '@/lib/lifecycle';
import { checkMove } from './board-rules';
import { useLabels } from '@/lib/i18n/use-format';

/** "Move to…": the same moves as dragging, as a plain menu; the ones not possible say why. */
export function MoveMenu({ incident, viewer, columns, onMove }: { incident: Incident; viewer: Viewer; columns: IncidentStatus[]; onMove: (incident: Incident, to: IncidentStatus) => void }) {
  const labels = useLabels();
  const t = useTranslations('incidents');
  const targets = columns.filter((status) => status !== incident.status);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        {/* A press on the menu is not the start of a drag. */}
        <Button variant="ghost" size="icon" className="size-7" aria-label={t('moveMenu.moveTo', { key: incident.key })} onPointerDown={(event) => event.stopPropagation()} onMouseDown={(event) => event.stopPropagation()}>
          <ArrowRightLeft className="size-3.5" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel>{t('moveMenu.moveTo2')}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {targets.map((status) => {
          const check = checkMove(viewer, incident, status, t);
          return (
            <DropdownMenuItem key={status} disabled={!check.allowed} onSelect={() => check.allowed && onMove(incident, status)} className="flex-col items-start gap-0.5">
              <span>{check.allowed ? t('moveMenu.text', { status: labels.status(status), t: t(`transitions.${check.action.kind}.label`) }) : labels.status(status)}</span>
              {check.allowed ? null : <span className="text-xs text-muted-foreground">{check.why}</span>}
            </DropdownMenuItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
