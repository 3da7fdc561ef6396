import type { AnalyticsSatisfaction } from '@desk/contracts';
import type { Knex } from 'knex';
import type { FactFilter } from './facts/figures.js';
import { replica } from './replica.js';

interface GroupRow {
  department_id: string | null;
  category_id: string | null;
  assignee_id: string | null;
  week: Date | null;
  g_department: number;
  g_category: number;
  g_assignee: number;
  g_week: number;
  responses: string;
  average: string | null;
  satisfied: string;
  r1: string;
  r2: string;
  r3: string;
  r4: string;
  r5: string;
}

const figures = (row: GroupRow) => {
  const responses = Number(row.responses);
  return {
    responses,
    average: row.average === null ? null : Math.round(Number(row.average) * 100) / 100,
    csat: responses === 0 ? null : Number(row.satisfied) / responses,
  };
};

/**
 * CSAT over the ratings given in the window (by when they were given), in one statement with
 * grouping sets: overall, per department, category and assignee (the incident's at the time of
 * rating), and per week. Ratings are one per rated incident, a small share of all incidents.
 */
export async function satisfactionFigures(db: Knex, filter: FactFilter): Promise<Omit<AnalyticsSatisfaction, 'filters' | 'generatedAt'>> {
  const where: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  if (filter.from !== undefined) {
    where.push('rated_at >= ?');
    bindings.push(new Date(filter.from));
  }
  if (filter.to !== undefined) {
    where.push('rated_at < ?');
    bindings.push(new Date(filter.to));
  }
  if (filter.departmentId !== undefined) {
    where.push('department_id = ?');
    bindings.push(filter.departmentId);
  }
  if (filter.categoryId !== undefined) {
    where.push('category_id = ?');
    bindings.push(filter.categoryId);
  }
  if (filter.priority !== undefined) {
    where.push('priority = any(?::text[])');
    bindings.push(filter.priority);
  }
  const { rows } = await db.raw<{ rows: GroupRow[] }>(
    `select department_id, category_id, assignee_id, date_trunc('week', rated_at at time zone 'UTC') as week,
            grouping(department_id) as g_department, grouping(category_id) as g_category, grouping(assignee_id) as g_assignee,
            grouping(date_trunc('week', rated_at at time zone 'UTC')) as g_week,
            count(*) as responses, avg(rating) as average, count(*) filter (where rating >= 4) as satisfied,
            count(*) filter (where rating = 1) as r1, count(*) filter (where rating = 2) as r2, count(*) filter (where rating = 3) as r3,
            count(*) filter (where rating = 4) as r4, count(*) filter (where rating = 5) as r5
       from satisfaction
      ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
      group by grouping sets ((), (department_id), (category_id), (assignee_id), (date_trunc('week', rated_at at time zone 'UTC')))`,
    bindings,
  );
  const only = (keep: 'department' | 'category' | 'assignee' | 'week' | 'none') =>
    rows.filter(
      (row) =>
        Number(row.g_department) === (keep === 'department' ? 0 : 1) &&
        Number(row.g_category) === (keep === 'category' ? 0 : 1) &&
        Number(row.g_assignee) === (keep === 'assignee' ? 0 : 1) &&
        Number(row.g_week) === (keep === 'week' ? 0 : 1),
    );
  const total = only('none')[0];
  const departments = only('department');
  const assignees = only('assignee');
  const [departmentNames, peopleNames] = await Promise.all([
    replica.namesOf(db, 'departments', departments.map((row) => row.department_id!)),
    replica.namesOf(db, 'users', assignees.flatMap((row) => (row.assignee_id ? [row.assignee_id] : []))),
  ]);
  const byResponses = <T extends { responses: number }>(a: T, b: T) => b.responses - a.responses;
  return {
    overall: total
      ? { ...figures(total), distribution: [total.r1, total.r2, total.r3, total.r4, total.r5].map(Number) }
      : { responses: 0, average: null, csat: null, distribution: [0, 0, 0, 0, 0] },
    byDepartment: departments.map((row) => ({ departmentId: row.department_id!, name: departmentNames.get(row.department_id!) ?? null, ...figures(row) })).sort(byResponses),
    byCategory: only('category').map((row) => ({ categoryId: row.category_id!, ...figures(row) })).sort(byResponses),
    byAssignee: assignees.map((row) => ({ assigneeId: row.assignee_id, name: row.assignee_id ? (peopleNames.get(row.assignee_id) ?? null) : null, ...figures(row) })).sort(byResponses),
    trend: only('week')
      .map((row) => ({ start: row.week!.toISOString().slice(0, 10), ...figures(row) }))
      .sort((a, b) => a.start.localeCompare(b.start)),
  };
}
