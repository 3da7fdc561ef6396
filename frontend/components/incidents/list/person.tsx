import type { Incident } from '@desk/contracts';
import { initials } from '@/lib/format';
import { cn } from '@/lib/utils';

/** Who works an incident, as the list says it: the viewer is "You", nobody is "Unassigned". */
export function assigneeLabel(incident: Incident, viewer: { id: string }): string {
  if (!incident.assigneeId) return 'Unassigned';
  if (incident.assigneeId === viewer.id) return 'You';
  // Null only while the service has not yet heard of the person.
  return incident.assigneeName ?? 'Assigned';
}

/** The assignee with an avatar of their own initials (the viewer's own for "You"). */
export function Assignee({ incident, viewer, className }: { incident: Incident; viewer: { id: string; fullName: string }; className?: string }) {
  const label = assigneeLabel(incident, viewer);
  if (!incident.assigneeId) return <span className={cn('text-muted-foreground', className)}>{label}</span>;
  const name = incident.assigneeId === viewer.id ? viewer.fullName : (incident.assigneeName ?? '');
  return (
    <span className={cn('inline-flex min-w-0 items-center gap-2', className)} data-testid="incident-assignee">
      <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-primary/10 text-[10px] font-semibold text-primary" aria-hidden>
        {initials(name)}
      </span>
      <span className="truncate">{label}</span>
    </span>
  );
}
