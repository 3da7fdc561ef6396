import type { Caller } from '@desk/auth';
import { incidentPrioritySchema, type IncidentFilterQuery, type IncidentPriority, type ListIncidentsQuery } from '@desk/contracts';
import { AppError, decodeCursor, postgresTimestampMs, postgresTimestampText, QueryShapes, toPage } from '@desk/platform';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { jsonWithPeopleNames } from './people-names.js';
import { sinceLiteral } from './recent-search.js';

interface ListedRow {
  id: string;
  priority: IncidentPriority;
  cursor_time: string;
  /** The incident as the API shows it, as JSON text (the api_json column, kept by a trigger). */
  json: string;
  reporter_name: string | null;
  assignee_name: string | null;
}

/** A page whose items are JSON texts of incidents, written into the response as they are. */
export interface IncidentJsonPage {
  items: string[];
  nextCursor: string | null;
}

const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid(), p: incidentPrioritySchema.optional() });

/**
 * The words of a search: letters, digits and inner hyphens only (nothing reaches tsquery's
 * operator syntax), lower case, at most eight.
 */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}-]+/gu, '').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .slice(0, 8);
}

/** A prefix standing for more indexed words than this stays a prefix search. */
export const MAX_PREFIX_WORDS = 64;

/** A lexeme as a tsquery operand, taken as it is (no parsing, no dictionary). */
const operand = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * What `search` must match: `lexemes`, a tsquery of exact lexemes and prefixes, and
 * `indexedPhrases`, both answered by the GIN index; `checkedPhrases`, checked on each row found.
 * The last two are texts for `to_tsquery('simple', …)`, which parses hyphenated words into phrases.
 */
export interface SearchMatch {
  lexemes?: string;
  indexedPhrases?: string;
  checkedPhrases?: string;
}

/**
 * Every word must match. Each matches as a prefix (`lapt` finds laptops): a word with a letter is
 * looked up in search_lexemes and becomes the words it begins (`laptop | laptops`), matched
 * exactly, so the GIN index intersects posting lists instead of gathering every posting of a
 * prefix into a bitmap (30 of 34 ms for "password reset" at a million incidents). A word that
 * begins no indexed word is looked for as it is, matching nothing, through the same query as any
 * other (see below: the answer's timing must not depend on other departments' words). A prefix of more than
 * MAX_PREFIX_WORDS words, or of digits only, stays a prefix (`1234:*`).
 *
 * A hyphenated word (a host name, `srv-3783`) is a phrase of its parts, as Postgres parses it
 * (`'srv' <-> '-3783'`); as a prefix its first part would match most of the table. The index is
 * asked only for its parts with digits — in an identifier the number is what is rare, while the
 * GIN index pays for every posting page of a common part such as `srv` (11 ms instead of 0.2 at
 * a million incidents) — and each row found is checked for the whole phrase.
 */
export async function searchMatch(db: Knex, words: string[]): Promise<SearchMatch> {
  const hyphenated = words.filter((word) => word.includes('-'));
  const prefixes = words.filter((word) => !word.includes('-'));
  const expandable = prefixes.filter((word) => !/^[0-9]+$/.test(word));
  const lookups = [
    ...expandable.map((word) => ({ sql: '(select ?::text as word, array(select lexeme from search_lexemes where lexeme like ? order by lexeme limit ?) as lexemes)', bindings: [word, `${word}%`, MAX_PREFIX_WORDS + 1] })),
    ...hyphenated.map((word) => ({ sql: "(select ?::text as word, tsvector_to_array(to_tsvector('simple', ?)) as lexemes)", bindings: [word, word] })),
  ];
  const found = new Map<string, string[]>();
  if (lookups.length > 0) {
    const { rows } = await db.raw<{ rows: { word: string; lexemes: string[] }[] }>(
      lookups.map((lookup) => lookup.sql).join(' union all '),
      lookups.flatMap((lookup) => lookup.bindings),
    );
    for (const row of rows) found.set(row.word, row.lexemes);
  }
  const lexemes: string[] = [];
  for (const word of prefixes) {
    const begun = found.get(word);
    // A word no incident has is still looked for, as an exact word (it matches nothing), rather
    // than answered at once: the lexemes are shared by every department, and an instant "none"
    // would tell anyone that no incident anywhere contains the word.
    if (begun?.length === 0) lexemes.push(operand(word));
    else lexemes.push(begun && begun.length <= MAX_PREFIX_WORDS ? `(${begun.map(operand).join(' | ')})` : `${operand(word)}:*`);
  }
  const indexedPhrases: string[] = [];
  const checkedPhrases: string[] = [];
  for (const word of hyphenated) {
    const numbered = (found.get(word) ?? []).filter((lexeme) => /[0-9]/.test(lexeme));
    if (numbered.length === 0) {
      // e-mail, wi-fi: no part is rarer than the phrase
      indexedPhrases.push(word);
    } else {
      lexemes.push(...numbered.map(operand));
      checkedPhrases.push(word);
    }
  }
  return {
    ...(lexemes.length > 0 ? { lexemes: lexemes.join(' & ') } : {}),
    ...(indexedPhrases.length > 0 ? { indexedPhrases: indexedPhrases.join(' & ') } : {}),
    ...(checkedPhrases.length > 0 ? { checkedPhrases: checkedPhrases.join(' & ') } : {}),
  };
}

/** `INC-000123` (or `INC-123`): an incident key, found by its number rather than by text search. */
const KEY_QUERY = /^inc-?(\d{1,18})$/i;

/**
 * Whether a list runs as a prepared statement. The plain lists — a caller's scope in one order,
 * any page deep — are what every desk opens all day, and each has an index that returns its rows
 * in order whatever the ids bound, so a plan made once serves them all. A filter's best plan
 * depends on its value (an unassigned queue of one department is read along the department's
 * index, not by intersecting every unassigned incident), so filtered lists and searches are
 * planned for the values they ask for.
 */
export function runsPrepared(query: ListIncidentsQuery): boolean {
  return !(
    query.q ||
    query.status ||
    query.priority ||
    query.categoryId ||
    query.assigneeId ||
    query.reporterId ||
    query.departmentId ||
    query.createdFrom ||
    query.createdTo ||
    query.breached !== undefined ||
    query.watching ||
    query.dueBefore
  );
}

/**
 * GET /incidents. The caller's scope first — reporters their own, staff and managers their
 * department's (or their own reports with reporterId=me), admins and readers among service
 * accounts everything — then the filters, then one keyset page in the chosen order. Every
 * scope and order has an index that returns rows already in order, so any page is an index
 * range scan.
 */
const LIST_SHAPES = new QueryShapes();

export async function listIncidents(deps: IncidentDependencies, caller: Caller, query: ListIncidentsQuery): Promise<IncidentJsonPage> {
  const { db } = deps;
  // A created range walks the created_at index in order; sorted by updatedAt it would have to
  // read past every incident updated since, so a range without a sort lists by createdAt.
  const sort = query.sort ?? (query.createdFrom || query.createdTo ? 'createdAt' : 'updatedAt');
  const timeColumn = sort === 'createdAt' ? 'created_at' : 'updated_at';
  const position = query.cursor ? decodeCursor(cursorSchema, query.cursor) : undefined;
  if (position && sort === 'priority' && !position.p) {
    throw AppError.badRequest('VALIDATION.FAILED', 'The cursor belongs to another sort order; start again from the first page.', { errors: [{ location: 'query', path: '/cursor', message: 'is for another sort order' }] });
  }
  const order = (prefix: string) =>
    (sort === 'priority' ? ['priority', 'updated_at', 'id'] : [timeColumn, 'id']).map((column) => ({ column: `${prefix}${column}`, order: 'desc' as const }));
  const n = query.limit + 1;
  // The page's rows: the caller's scope, the filters, the search, after the cursor. (It fills
  // `page` rather than returning it: an async function returning a query builder would run it.)
  const matching = async (page: Knex.QueryBuilder) => {
    page
      .select('incidents.id', 'incidents.priority', 'incidents.reporter_id', 'incidents.assignee_id', 'incidents.api_json as json', `incidents.${timeColumn}`)
      // Timestamps in the cursor keep Postgres's microseconds; a JS Date would round them off.
      .select(db.raw(`incidents.${timeColumn}::text as cursor_time`));
    await whereMatching(deps, caller, query, page);
    if (position) {
      if (sort === 'priority') page.whereRaw('(priority, updated_at, id) < (?::incident_priority, ?::timestamptz, ?::uuid)', [position.p!, position.t, position.id]);
      else page.whereRaw(`(${timeColumn}, id) < (?::timestamptz, ?::uuid)`, [position.t, position.id]);
    }
  };
  // For the page's rows only, the names of their people from the users replica, in the same
  // statement (a second round trip cost a third of the service's CPU per page on a 2-vCPU
  // machine). Outside the page's LIMIT, so a search that sorts its matches looks up the names of
  // the page, not of every match.
  const withNames = (builder: Knex.QueryBuilder, page: Knex.QueryBuilder | Knex.Raw) =>
    builder
      .from(page)
      .select('page.id', 'page.priority', 'page.json', 'page.cursor_time')
      .select(db.raw('(select full_name from users where users.id = page.reporter_id) as reporter_name'))
      .select(db.raw('(select full_name from users where users.id = page.assignee_id) as assignee_name'))
      // The page's own order (Postgres reads it from the subquery: no second sort).
      .orderBy(order('page.'));
  const build = async (builder: Knex.QueryBuilder) => {
    const page = db('incidents');
    await matching(page);
    withNames(builder, page.orderBy(order('')).limit(n).as('page'));
  };

  let rows: ListedRow[];
  const recentSince = recentSearchSince(deps, query, sort);
  if (runsPrepared(query)) {
    // The plain lists: one shape per scope, order and first or later page, its SQL compiled once
    // (QueryShapes checks the values below line up with knex's bindings before it keeps it).
    const scope = plainScopeOf(caller);
    const cursorValues = position ? (sort === 'priority' ? [position.p, position.t, position.id] : [position.t, position.id]) : [];
    const values = [...(scope.value === undefined ? [] : [scope.value]), ...cursorValues, n];
    rows = await LIST_SHAPES.run<ListedRow>(db, 'incidents', `${scope.kind}|${sort}|${position ? 'after' : 'first'}`, values, build);
  } else if (recentSince && (!position || postgresTimestampMs(position.t) >= recentSince.getTime())) {
    // A search, newest first: the matches updated since the recent-search index's day, from that
    // index (recent-search.ts); the older ones, from the index of every incident, only when the
    // recent ones do not fill the page (a gating condition Postgres checks once, before it reads
    // any). One statement: one snapshot, one round trip; the outer order sorts at most twice a
    // page. (A cursor time a minute off at the index's day would only choose the other way, which
    // answers the same page.)
    const since = sinceLiteral(recentSince);
    const page = db('incidents');
    await matching(page);
    const recent = page.clone().whereRaw(`incidents.updated_at >= ${since}`).orderBy(order('')).limit(n);
    const older = page.clone().whereRaw(`incidents.updated_at < ${since}`).whereRaw('(select count(*) from recent) < ?', [n]).orderBy(order('')).limit(n);
    const builder = db.queryBuilder().with('recent', recent);
    withNames(builder, db.raw('(select * from recent union all ?) as page', [older])).limit(n);
    rows = (await builder) as ListedRow[];
  } else {
    const builder = db('incidents');
    await build(builder);
    rows = (await builder) as ListedRow[];
  }
  // api_json stays without names, so a renamed person shows under the new name at once.
  return toPage(rows, query.limit, (row) => jsonWithPeopleNames(row.json, row.reporter_name, row.assignee_name), (row) => ({ t: row.cursor_time, id: row.id, ...(sort === 'priority' ? { p: row.priority } : {}) }));
}

/**
 * The day of the recent-search index a list asks first, when it is a search by words in the
 * default order (newest update first) and the index is built; otherwise undefined.
 */
function recentSearchSince(deps: IncidentDependencies, query: ListIncidentsQuery, sort: string): Date | undefined {
  if (!query.q || sort !== 'updatedAt' || KEY_QUERY.test(query.q.trim())) return undefined;
  return deps.recentSearch?.since();
}

/** The scope of a plain list (no filters, so no watching and no reporterId): what `whereMatching` narrows it to. */
function plainScopeOf(caller: Caller): { kind: 'own' | 'department' | 'all'; value?: string | null } {
  if (caller.kind === 'user' && caller.role === 'reporter') return { kind: 'own', value: caller.id };
  if (caller.kind === 'user' && (caller.role === 'staff' || caller.role === 'manager')) return { kind: 'department', value: caller.departmentId };
  return { kind: 'all' };
}

/**
 * Narrows `builder` to the incidents a list or a count covers: the caller's scope, then the
 * filters. Shared so that a figure and the list it links to never disagree about what they hold.
 * (It changes the builder rather than returning it: a query builder is a thenable, and returning
 * one from an async function would run it.)
 */
export async function whereMatching(deps: IncidentDependencies, caller: Caller, query: IncidentFilterQuery, builder: Knex.QueryBuilder): Promise<void> {
  const { db } = deps;

  const reporterId = query.reporterId === 'me' ? caller.id : query.reporterId;
  if (query.watching) {
    // What the caller watches: theirs to see whatever their role (a service account watches nothing).
    builder.whereRaw('watcher_ids @> array[?]::uuid[]', [caller.kind === 'user' ? caller.id : '00000000-0000-0000-0000-000000000000']);
  } else if (caller.kind === 'user' && caller.role === 'reporter') {
    builder.where('reporter_id', caller.id);
  } else if (caller.kind === 'user' && (caller.role === 'staff' || caller.role === 'manager')) {
    if (reporterId === caller.id) {
      builder.where('reporter_id', caller.id);
    } else {
      if (query.departmentId && query.departmentId !== caller.departmentId) {
        throw AppError.forbidden('INCIDENT.FORBIDDEN_DEPARTMENT', "You can list only your own department's incidents.");
      }
      builder.where('department_id', caller.departmentId);
    }
  }

  if (reporterId) builder.where('reporter_id', reporterId);
  if (query.departmentId) builder.where('department_id', query.departmentId);
  if (query.categoryId) builder.where('category_id', query.categoryId);
  if (query.status) builder.whereIn('status', query.status);
  if (query.priority) builder.whereIn('priority', query.priority);
  if (query.assigneeId === 'unassigned') builder.whereNull('assignee_id');
  else if (query.assigneeId) builder.where('assignee_id', query.assigneeId === 'me' ? caller.id : query.assigneeId);
  if (query.createdFrom) builder.where('created_at', '>=', query.createdFrom);
  if (query.createdTo) builder.where('created_at', '<', query.createdTo);
  if (query.breached !== undefined) builder.where('sla_breached', query.breached);
  if (query.dueBefore) {
    // A target still running that falls due before the instant; each arm is the predicate of a
    // partial index the SLA job uses (incidents_response_due, incidents_resolution_due).
    const dueBefore = query.dueBefore;
    builder.where((due) =>
      due
        .where((response) => response.whereNull('responded_at').whereNull('response_breached_at').where('status', 'OPEN').where('response_due_at', '<', dueBefore))
        .orWhere((resolution) => resolution.whereNull('resolved_at').whereNull('resolution_breached_at').whereIn('status', ['OPEN', 'IN_PROGRESS']).where('resolution_due_at', '<', dueBefore)),
    );
  }
  const key = query.q ? KEY_QUERY.exec(query.q.trim()) : null;
  if (key) {
    builder.where('number', key[1]);
  } else if (query.q) {
    const words = searchWords(query.q);
    if (words.length === 0) throw AppError.badRequest('VALIDATION.FAILED', 'The search has no words to look for.', { errors: [{ location: 'query', path: '/q', message: 'has no letters or digits' }] });
    const match = await searchMatch(db, words);
    const indexed = [...(match.lexemes ? ['?::tsquery'] : []), ...(match.indexedPhrases ? ["to_tsquery('simple', ?)"] : [])];
    builder.whereRaw(`search @@ (${indexed.join(' && ')})`, [...(match.lexemes ? [match.lexemes] : []), ...(match.indexedPhrases ? [match.indexedPhrases] : [])]);
    // ts_match_vq is the @@ operator as a function, which no index answers: a check of each row found.
    if (match.checkedPhrases) builder.whereRaw("ts_match_vq(search, to_tsquery('simple', ?))", [match.checkedPhrases]);
  }

}
