import type { AssignmentMode } from '@desk/contracts';
import type { Knex } from 'knex';
import type { CategoryRow } from '../catalog/categories.repository.js';

/** The rule that picked someone, as the timeline and the event say it. */
export interface RoutingRule {
  /** `default_assignee`, or the category's mode. */
  rule: 'default_assignee' | Exclude<AssignmentMode, 'none'>;
  categoryId: string;
  categoryName: string;
}

export interface RoutingDecision {
  assigneeId: string | null;
  rule: RoutingRule | null;
  /** Why no one was picked though the category routes (everyone away or at the cap). */
  skipped?: string;
}

/** Whether the category routes its incidents to anyone at all. */
export function routes(category: Pick<CategoryRow, 'assignment' | 'default_assignee_id'>): boolean {
  return category.assignment !== 'none' || category.default_assignee_id !== null;
}

interface Candidate {
  id: string;
  open: number;
}

/**
 * Holds the department's routing lock until the transaction ends: who gets the next incident is
 * decided by one transaction at a time per department, across requests and service replicas, and
 * each decision sees the assignments committed before it (READ COMMITTED reads them afresh). The
 * category is then read without a row lock: filing an incident holds a key-share lock on its
 * category until commit, which a FOR UPDATE would wait for while the filer waits for this lock.
 */
export async function lockDepartmentRouting(trx: Knex.Transaction, departmentId: string): Promise<void> {
  await trx.raw("select pg_advisory_xact_lock(hashtextextended('desk.routing:' || ?, 0))", [departmentId]);
}

/**
 * The department's active staff who are available (no switch set counts as available), in id
 * order, each with their open incidents (OPEN and IN_PROGRESS, in any category of the department)
 * when `counted` (least loaded and caps need them; a plain round robin does not).
 */
async function candidates(trx: Knex.Transaction, departmentId: string, roles: readonly string[], exclude: readonly string[], counted: boolean): Promise<Candidate[]> {
  const open = counted ? "(select count(*) from incidents i where i.assignee_id = u.id and i.status in ('OPEN', 'IN_PROGRESS'))" : '0';
  const rows = await trx.raw<{ rows: { id: string; open: string }[] }>(
    `select u.id, ${open} as open
       from users u left join staff_availability a on a.user_id = u.id
      where u.department_id = ? and u.is_active and u.role = any(?::text[]) and coalesce(a.available, true)
        and not (u.id = any(?::uuid[]))
      order by u.id`,
    [departmentId, [...roles], [...exclude]] as unknown as readonly Knex.Value[],
  );
  return rows.rows.map((row) => ({ id: row.id, open: Number(row.open) }));
}

/** The first candidate after `last` in id order, wrapping round: each takes their turn. */
function nextAfter(list: readonly Candidate[], last: string | null): Candidate {
  if (last === null) return list[0]!;
  return list.find((candidate) => candidate.id > last) ?? list[0]!;
}

/**
 * Who the category's rule gives an incident to, under the department's routing lock (the caller
 * holds it). The default assignee first, while available and under the cap; then round robin (the
 * next available person after the last one given one) or least loaded (fewest open incidents;
 * among equals, the next in turn). `exclude`: people it must not go to (whoever just left it).
 * Records the turn on the category.
 */
export async function decideAssignee(trx: Knex.Transaction, category: CategoryRow, exclude: readonly string[] = []): Promise<RoutingDecision> {
  const cap = category.max_open_per_person;
  const underCap = (candidate: Candidate) => cap === null || candidate.open < cap;
  const named = (rule: RoutingRule['rule']): RoutingRule => ({ rule, categoryId: category.id, categoryName: category.name });

  if (category.default_assignee_id && !exclude.includes(category.default_assignee_id)) {
    const [person] = (await candidates(trx, category.department_id, ['staff', 'manager'], exclude, cap !== null)).filter((candidate) => candidate.id === category.default_assignee_id);
    if (person && underCap(person)) return { assigneeId: person.id, rule: named('default_assignee') };
  }
  if (category.assignment === 'none') {
    return { assigneeId: null, rule: null, ...(category.default_assignee_id ? { skipped: 'the default assignee is away or at the cap' } : {}) };
  }
  const pool = (await candidates(trx, category.department_id, ['staff'], exclude, cap !== null || category.assignment === 'least_loaded')).filter(underCap);
  if (pool.length === 0) return { assigneeId: null, rule: null, skipped: cap === null ? 'no staff available' : `no staff available under the cap of ${cap}` };
  let chosen: Candidate;
  if (category.assignment === 'round_robin') {
    chosen = nextAfter(pool, category.last_assignee_id);
  } else {
    const fewest = Math.min(...pool.map((candidate) => candidate.open));
    chosen = nextAfter(pool.filter((candidate) => candidate.open === fewest), category.last_assignee_id);
  }
  await trx('categories').where({ id: category.id }).update({ last_assignee_id: chosen.id });
  return { assigneeId: chosen.id, rule: named(category.assignment) };
}
