import type { Caller } from '@desk/auth';
import type { Actor, IncidentFacts, IncidentStatus } from '@desk/contracts';

export function actorOf(caller: Caller): Actor {
  return { kind: caller.kind, id: caller.id, role: caller.role, departmentId: caller.departmentId };
}

export function factsOf(row: { status: IncidentStatus; reporter_id: string; department_id: string; watcher_ids?: string[] }): IncidentFacts {
  return { status: row.status, reporterId: row.reporter_id, departmentId: row.department_id, watcherIds: row.watcher_ids ?? [] };
}
