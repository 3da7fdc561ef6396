'use client';

import { useTranslations } from 'next-intl';
import type { Incident } from '@desk/contracts';
import { ArrowRightLeft, Flag, UserPlus, X } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { mayAssignAny, mayChangeAnyPriority, statusTargets } from '@/lib/bulk';
import type { Viewer } from '@/lib/lifecycle';
import { BulkDialog, type BulkKind } from './bulk-dialog';

/**
 * What can be done to the selected incidents at once. Each action is offered when it applies to
 * at least one of them; the dialog says which it cannot apply to, and why, before anything is sent.
 */
export function BulkBar({ selected, viewer, onClear, onFinished }: { selected: Incident[]; viewer: Viewer; onClear: () => void; onFinished: (changedIds: string[]) => void }) {
  const t = useTranslations('incidents.bulkBar');
  const [kind, setKind] = useState<BulkKind | null>(null);
  const statuses = statusTargets(viewer, selected);
  const priority = mayChangeAnyPriority(viewer, selected);
  const assign = mayAssignAny(viewer, selected);
  const nothing = statuses.length === 0 && !priority && !assign;
  return (
    <div role="region" aria-label={t('changeTheSelectedIncidents')} className="mb-3 flex flex-wrap items-center gap-2 rounded-xl border border-primary/30 bg-primary/5 px-3 py-2" data-testid="bulk-bar">
      <span className="mr-1 text-sm font-medium" aria-live="polite">{t('selected', { length: selected.length })}</span>
      <Button size="sm" variant="outline" disabled={statuses.length === 0} onClick={() => setKind('status')}>
        <ArrowRightLeft />{' '}{t('changeStatus')}
      </Button>
      <Button size="sm" variant="outline" disabled={!priority} onClick={() => setKind('priority')}>
        <Flag />{' '}{t('changePriority')}
      </Button>
      {viewer.role === 'manager' || viewer.role === 'admin' ? (
        <Button size="sm" variant="outline" disabled={!assign} onClick={() => setKind('assign')}>
          <UserPlus />{' '}{t('assign')}
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" onClick={onClear}>
        <X />{' '}{t('clearSelection')}
      </Button>
      {nothing ? <span className="text-xs text-muted-foreground">{t('noneOfTheSelected')}</span> : null}
      {kind ? (
        <BulkDialog
          kind={kind}
          selected={selected}
          viewer={viewer}
          statuses={statuses}
          onClose={(changedIds) => {
            setKind(null);
            if (changedIds) onFinished(changedIds);
          }}
        />
      ) : null}
    </div>
  );
}
