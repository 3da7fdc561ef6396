import { inboxMigration, outboxFailureMigration, outboxMigration, parkedEventsMigration } from '@desk/messaging';
import type { Migration } from '@desk/platform';
import { replica } from './replica.js';

/**
 * Every change to the `incident` schema, in order. Never rename or remove one that has
 * shipped; change one only so that a new database still ends with the schema that databases
 * which ran it reach.
 */
export const incidentMigrations: Migration[] = [
  outboxMigration,
  inboxMigration,
  {
    name: 'incident_0001_replicas',
    // identity's departments and users. This migration once created them itself; it now runs the
    // shared definition (@desk/replica), so a new database gets them in their present shape here,
    // and a database that ran the original is brought to it by replica.migration at the end.
    up: (knex) => replica.migration.up(knex),
  },
  {
    name: 'incident_0002_catalog_and_sla',
    async up(knex) {
      await knex.schema.createTable('categories', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('name').notNullable();
        table.text('description');
        table.uuid('department_id').notNullable();
        table.boolean('is_active').notNullable().defaultTo(true);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create unique index categories_name_unique on categories (department_id, lower(name))');

      await knex.raw("create type incident_priority as enum ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')");
      await knex.raw("create type incident_status as enum ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED')");

      await knex.schema.createTable('sla_policies', (table) => {
        table.specificType('priority', 'incident_priority').primary();
        table.integer('response_minutes').notNullable();
        table.integer('resolution_minutes').notNullable();
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.uuid('updated_by');
      });
      await knex('sla_policies').insert([
        { priority: 'CRITICAL', response_minutes: 15, resolution_minutes: 4 * 60 },
        { priority: 'HIGH', response_minutes: 60, resolution_minutes: 8 * 60 },
        { priority: 'MEDIUM', response_minutes: 4 * 60, resolution_minutes: 24 * 60 },
        { priority: 'LOW', response_minutes: 8 * 60, resolution_minutes: 72 * 60 },
      ]);
    },
  },
  {
    name: 'incident_0003_incidents',
    async up(knex) {
      // Keys (INC-000042) come from this sequence: unique and never reused, even after a rollback.
      await knex.raw('create sequence incident_number_seq');
      await knex.schema.createTable('incidents', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.bigInteger('number').notNullable().unique().defaultTo(knex.raw("nextval('incident_number_seq')"));
        table.text('title').notNullable();
        table.text('description').notNullable();
        table.specificType('status', 'incident_status').notNullable().defaultTo('OPEN');
        table.specificType('priority', 'incident_priority').notNullable().defaultTo('MEDIUM');
        table.uuid('reporter_id').notNullable();
        table.uuid('department_id').notNullable();
        table.uuid('category_id').notNullable().references('id').inTable('categories');
        table.uuid('assignee_id');
        table.integer('version').notNullable().defaultTo(1);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('responded_at', { useTz: true });
        table.timestamp('resolved_at', { useTz: true });
        table.timestamp('closed_at', { useTz: true });
        table.timestamp('response_due_at', { useTz: true });
        table.timestamp('resolution_due_at', { useTz: true });
        table.timestamp('response_breached_at', { useTz: true });
        table.timestamp('resolution_breached_at', { useTz: true });
      });
      await knex.raw(`alter table incidents add column sla_breached boolean
        generated always as (response_breached_at is not null or resolution_breached_at is not null) stored`);
      // Full text over key, title and description ('simple': no stemming, works for any language).
      await knex.raw(`alter table incidents add column search tsvector generated always as (
        setweight(to_tsvector('simple', 'INC-' || lpad(number::text, 6, '0') || ' ' || number::text), 'A') ||
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', description), 'B')) stored`);

      // Every list is keyset-paginated on (sort column, id) within the caller's scope: one index
      // per scope and sort, so a page — first or thousandth — is an index range scan, never a
      // sort of the whole table. Filters ride on these or on their own leading column.
      const indexes: [string, string][] = [
        ['incidents_updated', '(updated_at desc, id desc)'],
        ['incidents_created', '(created_at desc, id desc)'],
        ['incidents_priority', '(priority desc, updated_at desc, id desc)'],
        ['incidents_department_updated', '(department_id, updated_at desc, id desc)'],
        ['incidents_department_created', '(department_id, created_at desc, id desc)'],
        ['incidents_department_priority', '(department_id, priority desc, updated_at desc, id desc)'],
        ['incidents_department_status_updated', '(department_id, status, updated_at desc, id desc)'],
        ['incidents_status_updated', '(status, updated_at desc, id desc)'],
        ['incidents_reporter_updated', '(reporter_id, updated_at desc, id desc)'],
        ['incidents_assignee_updated', '(assignee_id, updated_at desc, id desc)'],
        ['incidents_category_updated', '(category_id, updated_at desc, id desc)'],
      ];
      for (const [name, columns] of indexes) await knex.raw(`create index ${name} on incidents ${columns}`);
      await knex.raw('create index incidents_breached_updated on incidents (updated_at desc, id desc) where sla_breached');
      await knex.raw('create index incidents_department_breached_updated on incidents (department_id, updated_at desc, id desc) where sla_breached');
      await knex.raw('create index incidents_search on incidents using gin (search)');
      // The SLA job looks only at incidents whose clock still runs and has not been marked.
      await knex.raw(`create index incidents_response_due on incidents (response_due_at)
        where responded_at is null and response_breached_at is null and status = 'OPEN'`);
      await knex.raw(`create index incidents_resolution_due on incidents (resolution_due_at)
        where resolved_at is null and resolution_breached_at is null and status in ('OPEN', 'IN_PROGRESS')`);
      await knex.raw("create index incidents_auto_close on incidents (resolved_at) where status = 'RESOLVED'");

      await knex.schema.createTable('comments', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('incident_id').notNullable().references('id').inTable('incidents');
        table.uuid('author_id').notNullable();
        table.text('content').notNullable();
        table.boolean('is_internal').notNullable().defaultTo(false);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create index comments_incident_order on comments (incident_id, created_at, id)');

      // The timeline: one row per change, written in the change's transaction.
      await knex.schema.createTable('audit_log', (table) => {
        table.bigIncrements('id').primary();
        table.uuid('incident_id').notNullable().references('id').inTable('incidents');
        table.text('action').notNullable();
        table.uuid('actor_id');
        table.jsonb('old_value');
        table.jsonb('new_value');
        // Entries about internal notes: never shown to reporters.
        table.boolean('is_internal').notNullable().defaultTo(false);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create index audit_log_incident_order on audit_log (incident_id, id)');

      // A retried create with the same Idempotency-Key returns the first incident.
      await knex.schema.createTable('idempotency_keys', (table) => {
        table.uuid('caller_id').notNullable();
        table.text('key').notNullable();
        table.text('request_hash').notNullable();
        table.uuid('incident_id').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.primary(['caller_id', 'key']);
      });
      await knex.raw('create index idempotency_keys_created on idempotency_keys (created_at)');
    },
  },
  outboxFailureMigration,
  {
    name: 'incident_0004_reopens',
    async up(knex) {
      // How often and when last a resolution was rejected (RESOLVED → IN_PROGRESS): events carry
      // both so that readers such as analytics never have to count transitions themselves.
      await knex.schema.alterTable('incidents', (table) => {
        table.integer('reopen_count').notNullable().defaultTo(0);
        table.timestamp('reopened_at', { useTz: true });
      });
      await knex.raw(`update incidents set reopen_count = reopens.count, reopened_at = reopens.last
        from (select incident_id, count(*)::int as count, max(created_at) as last from audit_log
              where action = 'status_changed' and old_value = '"RESOLVED"'::jsonb and new_value->>'status' = 'IN_PROGRESS'
              group by incident_id) reopens
        where reopens.incident_id = incidents.id`);
    },
  },
  {
    name: 'incident_0005_search_lexemes',
    async up(knex) {
      // Every word the search index holds that a typed prefix could stand for, so that a search
      // for `passw` asks the GIN index for the words themselves (`password`) rather than for the
      // prefix: a prefix makes GIN gather every posting of every matching word into a bitmap
      // (tens of milliseconds for two common words at a million incidents), whole words let it
      // intersect posting lists. Words made only of ASCII digits and punctuation (keys, numbers,
      // versions) are left out: a search of digits stays a prefix search.
      await knex.raw('create table search_lexemes (lexeme text collate "C" primary key)');
      await knex.raw(`create function search_lexemes_of(vector tsvector) returns setof text
        language sql immutable strict parallel safe
        as $$ select lexeme from unnest(tsvector_to_array(vector)) as lexeme where lexeme ~ '[^!-@[-\`{-~]' $$`);
      // Sorted inserts: concurrent transactions meeting the same new words wait for each other in
      // one order, never in a cycle. A statement-level trigger files a bulk insert in one pass.
      await knex.raw(`create function incidents_search_lexemes_inserted() returns trigger language plpgsql as $$
        begin
          insert into search_lexemes (lexeme)
            select distinct lexeme from inserted, search_lexemes_of(inserted.search) as lexeme order by 1
            on conflict do nothing;
          return null;
        end $$`);
      await knex.raw(`create trigger incidents_search_lexemes_insert after insert on incidents
        referencing new table as inserted for each statement execute function incidents_search_lexemes_inserted()`);
      await knex.raw(`create function incidents_search_lexemes_updated() returns trigger language plpgsql as $$
        begin
          insert into search_lexemes (lexeme)
            select distinct lexeme from search_lexemes_of(new.search) as lexeme order by 1
            on conflict do nothing;
          return null;
        end $$`);
      await knex.raw(`create trigger incidents_search_lexemes_update after update of title, description on incidents
        for each row when (old.search is distinct from new.search) execute function incidents_search_lexemes_updated()`);
      await knex.raw(`insert into search_lexemes (lexeme)
        select distinct lexeme from incidents, search_lexemes_of(incidents.search) as lexeme order by 1 on conflict do nothing`);
    },
  },
  {
    name: 'incident_0006_api_json',
    async up(knex) {
      // The incident as the API shows it (toIncident), as JSON text, written by a trigger with
      // every insert and update: a list hands its rows' JSON to the response as it is. Built per
      // read it was most of what a list cost Postgres (0.33 of 0.6 ms for a page of 25: 23 fields,
      // 10 timestamps formatted); a desk reads its lists far more often than it changes incidents.
      // slaBreached is worked out here: generated columns are not computed yet in a BEFORE trigger.
      await knex.raw(`create function incidents_api_json() returns trigger language plpgsql as $$
        begin
          new.api_json := json_build_object(
            'id', new.id,
            'key', 'INC-' || case when length(new.number::text) < 6 then lpad(new.number::text, 6, '0') else new.number::text end,
            'title', new.title,
            'description', new.description,
            'status', new.status,
            'priority', new.priority,
            'reporterId', new.reporter_id,
            'departmentId', new.department_id,
            'categoryId', new.category_id,
            'assigneeId', new.assignee_id,
            'version', new.version,
            'createdAt', to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'updatedAt', to_char(new.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'respondedAt', to_char(new.responded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolvedAt', to_char(new.resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'closedAt', to_char(new.closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'responseDueAt', to_char(new.response_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolutionDueAt', to_char(new.resolution_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'responseBreachedAt', to_char(new.response_breached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolutionBreachedAt', to_char(new.resolution_breached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'slaBreached', new.response_breached_at is not null or new.resolution_breached_at is not null,
            'reopenCount', new.reopen_count,
            'reopenedAt', to_char(new.reopened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          )::text;
          return new;
        end $$`);
      await knex.raw('alter table incidents add column api_json text');
      await knex.raw('create trigger incidents_api_json before insert or update on incidents for each row execute function incidents_api_json()');
      // Every existing row through the trigger, which writes the column whatever the update sets.
      await knex.raw('update incidents set api_json = null');
      await knex.raw('alter table incidents alter column api_json set not null');
    },
  },
  {
    name: 'incident_0007_users_replicated_at',
    async up(knex) {
      // When this replica last wrote each user, by its own clock: each process polls it to drop
      // the accounts it cached as soon as they change, so requests need no lookup per caller.
      // (A database created since incident_0001 runs the shared definition has both already.)
      await knex.raw('alter table users add column if not exists replicated_at timestamptz not null default now()');
      await knex.raw('create index if not exists users_replicated_at on users (replicated_at)');
    },
  },
  // The shared definition of the user and department replica (@desk/replica), for databases
  // that ran the original incident_0001: it renames users_replica_updated to users_updated.
  replica.migration,
  // Events this service could not handle, set aside for an admin to replay or discard.
  parkedEventsMigration,
  // identity's row versions in the user and department replica: the newest state is the highest version.
  replica.rowVersionsMigration,
  {
    name: 'incident_0008_saved_views',
    async up(knex) {
      // A person's named filter sets of the incident list, as the query of the list's address.
      // Read only by their owner: the owner leads every index, and every statement names them.
      await knex.schema.createTable('saved_views', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('owner_id').notNullable();
        table.text('name').notNullable();
        table.text('query').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create unique index saved_views_owner_name on saved_views (owner_id, lower(name))');
      await knex.raw('create index saved_views_owner_created on saved_views (owner_id, created_at, id)');
      },
    },
    {
    name: 'incident_0009_incident_change_notify',
    async up(knex) {
      // Every incident event written to the outbox is announced on INCIDENT_CHANNEL for the live
      // change streams (incidents/incident-stream.ts). NOTIFY is delivered when the transaction
      // commits and dropped when it rolls back, so a stream never hears of a change that did not
      // happen. The payload names the row only (NOTIFY payloads are capped at 8000 bytes); the
      // schema keeps services sharing one database (the standalone platform) apart.
      await knex.raw(`create or replace function outbox_announce_incident_change() returns trigger language plpgsql as $$
        begin
          if new.type like 'incident.%' then
            perform pg_notify('desk_incident_changed', json_build_object('schema', tg_table_schema, 'seq', new.id::text)::text);
          end if;
          return new;
        end $$`);
      await knex.raw('create trigger outbox_announce_incident_change after insert on outbox for each row execute function outbox_announce_incident_change()');
    },
  },
  {
    name: 'incident_0010_open_breached_index',
    async up(knex) {
      // "Breached and still open" is a figure on every dashboard and the list it links to. Among a
      // million incidents most breached ones are long closed: without this index the count read
      // every breached entry (200,000 at a million) to find the few thousand still open.
      await knex.raw('create index incidents_status_breached_updated on incidents (status, updated_at desc, id desc) where sla_breached');
    },
  },
  {
    name: 'incident_0011_desk_operations',
    async up(knex) {
      // Business-hours calendars. Exactly one is the default: the calendar of every department
      // without one of its own. The seeded default runs around the clock, so SLA targets keep the
      // meaning they had before calendars until an administrator says otherwise.
      await knex.schema.createTable('calendars', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('name').notNullable();
        table.text('time_zone').notNullable();
        table.jsonb('week').notNullable();
        table.jsonb('holidays').notNullable().defaultTo('[]');
        table.jsonb('closures').notNullable().defaultTo('[]');
        table.boolean('is_default').notNullable().defaultTo(false);
        table.integer('version').notNullable().defaultTo(1);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create unique index calendars_name_unique on calendars (lower(name))');
      await knex.raw('create unique index calendars_one_default on calendars (is_default) where is_default');
      // Every version of every calendar, kept after the calendar changes or is deleted: the
      // working time an open incident used so far is counted on the version it ran on.
      await knex.schema.createTable('calendar_versions', (table) => {
        table.uuid('calendar_id').notNullable();
        table.integer('version').notNullable();
        table.jsonb('definition').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.primary(['calendar_id', 'version']);
      });
      const around = { start: '00:00', end: '24:00' };
      const week = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [around]]));
      const [defaultCalendar] = await knex('calendars')
        .insert({ name: 'Around the clock', time_zone: 'UTC', week: JSON.stringify(week), is_default: true })
        .returning<{ id: string }[]>('id');
      await knex('calendar_versions').insert({ calendar_id: defaultCalendar!.id, version: 1, definition: JSON.stringify({ timeZone: 'UTC', week, holidays: [], closures: [] }) });
      await knex.schema.createTable('department_calendars', (table) => {
        table.uuid('department_id').primary();
        table.uuid('calendar_id').notNullable().references('id').inTable('calendars').onDelete('cascade');
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create index department_calendars_calendar on department_calendars (calendar_id)');
      // Departments whose open incidents still have to be recounted on the calendar they use now
      // (after a calendar or an assignment changed); the SLA job works through them.
      await knex.schema.createTable('sla_recounts', (table) => {
        table.uuid('department_id').primary();
        table.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });

      // Impact × urgency gives the priority.
      await knex.raw("create type incident_level as enum ('LOW', 'MEDIUM', 'HIGH')");
      await knex.schema.createTable('priority_matrix', (table) => {
        table.specificType('impact', 'incident_level').notNullable();
        table.specificType('urgency', 'incident_level').notNullable();
        table.specificType('priority', 'incident_priority').notNullable();
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.uuid('updated_by');
        table.primary(['impact', 'urgency']);
      });
      const matrix: [string, string, string][] = [
        ['HIGH', 'HIGH', 'CRITICAL'], ['HIGH', 'MEDIUM', 'HIGH'], ['HIGH', 'LOW', 'MEDIUM'],
        ['MEDIUM', 'HIGH', 'HIGH'], ['MEDIUM', 'MEDIUM', 'MEDIUM'], ['MEDIUM', 'LOW', 'LOW'],
        ['LOW', 'HIGH', 'MEDIUM'], ['LOW', 'MEDIUM', 'LOW'], ['LOW', 'LOW', 'LOW'],
      ];
      await knex('priority_matrix').insert(matrix.map(([impact, urgency, priority]) => ({ impact, urgency, priority })));

      // Routing: how a category's new incidents find someone, and who is there to take them.
      await knex.schema.alterTable('categories', (table) => {
        table.text('assignment').notNullable().defaultTo('none');
        table.uuid('default_assignee_id');
        table.integer('max_open_per_person');
        // Round robin: who the category's last incident went to.
        table.uuid('last_assignee_id');
      });
      await knex.raw("alter table categories add constraint categories_assignment_check check (assignment in ('none', 'round_robin', 'least_loaded'))");
      // How far each background job has read a stream of changes (the routing job: user changes).
      await knex.schema.createTable('job_watermarks', (table) => {
        table.text('name').primary();
        table.timestamp('at', { useTz: true }).notNullable();
      });
      await knex.schema.createTable('staff_availability', (table) => {
        table.uuid('user_id').primary();
        table.boolean('available').notNullable();
        table.uuid('updated_by');
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });

      // The incident's SLA clock: the calendar it counts on (and that calendar's version), and the
      // working minutes each target had used at the checkpoint. Due times are recounted from the
      // checkpoint: it moves when the calendar changes and when the clock pauses or resumes.
      await knex.schema.alterTable('incidents', (table) => {
        table.specificType('impact', 'incident_level');
        table.specificType('urgency', 'incident_level');
        table.uuid('sla_calendar_id');
        table.integer('sla_calendar_version');
        table.timestamp('sla_checkpoint_at', { useTz: true });
        table.double('response_elapsed_minutes').notNullable().defaultTo(0);
        table.double('resolution_elapsed_minutes').notNullable().defaultTo(0);
        // Waiting on the reporter: the resolution clock is paused from waiting_since.
        table.timestamp('waiting_since', { useTz: true });
        table.text('waiting_message');
        table.uuid('waiting_by');
        table.timestamp('waiting_expires_at', { useTz: true });
      });
      await knex.raw("create index incidents_waiting_expires on incidents (waiting_expires_at) where waiting_since is not null");
      // Open work per person: least-loaded assignment counts it, and the routing job finds the
      // open incidents of people who left.
      await knex.raw("create index incidents_assignee_open on incidents (assignee_id) where status in ('OPEN', 'IN_PROGRESS')");

      await knex.raw(`create or replace function incidents_api_json() returns trigger language plpgsql as $$
        begin
          new.api_json := json_build_object(
            'id', new.id,
            'key', 'INC-' || case when length(new.number::text) < 6 then lpad(new.number::text, 6, '0') else new.number::text end,
            'title', new.title,
            'description', new.description,
            'status', new.status,
            'priority', new.priority,
            'impact', new.impact,
            'urgency', new.urgency,
            'reporterId', new.reporter_id,
            'departmentId', new.department_id,
            'categoryId', new.category_id,
            'assigneeId', new.assignee_id,
            'version', new.version,
            'createdAt', to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'updatedAt', to_char(new.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'respondedAt', to_char(new.responded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolvedAt', to_char(new.resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'closedAt', to_char(new.closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'responseDueAt', to_char(new.response_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolutionDueAt', to_char(new.resolution_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'responseBreachedAt', to_char(new.response_breached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolutionBreachedAt', to_char(new.resolution_breached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'slaBreached', new.response_breached_at is not null or new.resolution_breached_at is not null,
            'slaCalendarId', new.sla_calendar_id,
            'waiting', case when new.waiting_since is null then null else json_build_object(
              'since', to_char(new.waiting_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'message', new.waiting_message,
              'byId', new.waiting_by,
              'expiresAt', to_char(new.waiting_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end,
            'reopenCount', new.reopen_count,
            'reopenedAt', to_char(new.reopened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          )::text;
          return new;
        end $$`);
      // Every incident counts on the default calendar from its report (which is what the clock did
      // before calendars); the same statement writes each row's API JSON with the new fields. (A
      // row written without them, as bulk loads do, counts around the clock from its report.)
      await knex.raw('update incidents set sla_calendar_id = ?, sla_calendar_version = 1, sla_checkpoint_at = created_at', [defaultCalendar!.id]);
    },
  },
  {
    name: 'incident_0012_escalations',
    async up(knex) {
      await knex.schema.createTable('escalation_rules', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('name').notNullable();
        table.specificType('priority', 'incident_priority').notNullable();
        table.text('target').notNullable();
        table.integer('threshold_percent').notNullable();
        table.boolean('notify_assignee').notNullable().defaultTo(true);
        table.boolean('notify_manager').notNullable().defaultTo(true);
        table.boolean('raise_priority').notNullable().defaultTo(false);
        table.text('reassign').notNullable().defaultTo('none');
        table.boolean('is_active').notNullable().defaultTo(true);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw("alter table escalation_rules add constraint escalation_rules_target_check check (target in ('response', 'resolution'))");
      await knex.raw('alter table escalation_rules add constraint escalation_rules_threshold_check check (threshold_percent between 1 and 100)');
      await knex.raw("alter table escalation_rules add constraint escalation_rules_reassign_check check (reassign in ('none', 'manager', 'routing'))");
      await knex.raw('create index escalation_rules_priority on escalation_rules (priority) where is_active');
      // Each rule fires once per incident: this row is the proof, written in the firing's transaction.
      await knex.schema.createTable('escalation_firings', (table) => {
        table.uuid('incident_id').notNullable();
        table.uuid('rule_id').notNullable();
        table.timestamp('fired_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.primary(['incident_id', 'rule_id']);
      });
      // When the escalation job next looks at the incident: the earliest instant a rule that has
      // not fired could (null: none can). Not part of the incident as the API shows it.
      await knex.raw('alter table incidents add column escalation_check_at timestamptz');
      await knex.raw('create index incidents_escalation_check on incidents (escalation_check_at) where escalation_check_at is not null');
    },
  },
  {
    name: 'incident_0013_attachments',
    async up(knex) {
      await knex.schema.createTable('attachments', (table) => {
        table.uuid('id').primary();
        table.uuid('incident_id').notNullable().references('id').inTable('incidents');
        table.uuid('comment_id').references('id').inTable('comments');
        table.uuid('uploaded_by').notNullable();
        table.text('file_name').notNullable();
        table.text('content_type').notNullable();
        table.bigInteger('size_bytes').notNullable();
        table.text('sha256').notNullable();
        table.boolean('is_internal').notNullable();
        // Where the content is in the store (storage.ts); the thumbnail's, once made.
        table.text('storage_key').notNullable();
        table.text('thumbnail_key');
        table.text('status').notNullable();
        table.text('status_reason');
        // Set when the content has been looked at after upload (scan, thumbnail): the job's work list is the rest.
        table.timestamp('processed_at', { useTz: true });
        table.integer('processing_attempts').notNullable().defaultTo(0);
        // A job at work on it (any replica) holds it until then; past it, another may take it.
        table.timestamp('claimed_until', { useTz: true });
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw("alter table attachments add constraint attachments_status_check check (status in ('scanning', 'available', 'infected'))");
      await knex.raw('create index attachments_incident on attachments (incident_id, created_at, id)');
      await knex.raw('create index attachments_unprocessed on attachments (created_at) where processed_at is null');
      // Objects to remove from the store: written in the transaction that forgets them, removed
      // afterwards by the attachment job, so a crash in between leaves no object behind.
      await knex.schema.createTable('attachment_deletions', (table) => {
        table.bigIncrements('id');
        table.text('storage_key').notNullable();
        table.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.integer('attempts').notNullable().defaultTo(0);
      });
      // Uploads under way: the key is claimed before the first byte is stored, and released when
      // the upload commits or is cleaned up; one left by a crash is removed by the job.
      await knex.schema.createTable('attachment_uploads', (table) => {
        table.text('storage_key').primary();
        table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
    },
  },
  {
    name: 'incident_0014_collaboration',
    async up(knex) {
      // Watchers: the table says who added whom and when; the incident keeps their ids too
      // (written in the same transaction, under its row lock), so that every place that reads an
      // incident, and every event it publishes, knows who may see it without another query.
      await knex.schema.createTable('incident_watchers', (table) => {
        table.uuid('incident_id').notNullable().references('id').inTable('incidents');
        table.uuid('user_id').notNullable();
        table.uuid('added_by');
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.primary(['incident_id', 'user_id']);
      });
      await knex.raw("alter table incidents add column watcher_ids uuid[] not null default '{}'");
      await knex.raw('alter table incidents add column is_major boolean not null default false');
      // "What I watch": few incidents per person, found through the array.
      await knex.raw('create index incidents_watchers on incidents using gin (watcher_ids)');
      // Who a comment mentions (`<@id>` in its text), checked and told when it was written.
      await knex.raw("alter table comments add column mentioned_ids uuid[] not null default '{}'");

      // Links between incidents, stored once per pair: `related` either way, `duplicate_of` from
      // the duplicate, `parent_of` from the parent (a `child_of` request is stored turned round).
      await knex.schema.createTable('incident_links', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('source_id').notNullable().references('id').inTable('incidents');
        table.uuid('target_id').notNullable().references('id').inTable('incidents');
        table.text('type').notNullable();
        table.uuid('created_by');
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw("alter table incident_links add constraint incident_links_type_check check (type in ('related', 'duplicate_of', 'parent_of'))");
      await knex.raw('alter table incident_links add constraint incident_links_not_self check (source_id <> target_id)');
      // One link per pair, whichever way round it was made.
      await knex.raw('create unique index incident_links_pair on incident_links (least(source_id, target_id), greatest(source_id, target_id))');
      // A child has one parent; a duplicate is the duplicate of one incident.
      await knex.raw("create unique index incident_links_one_parent on incident_links (target_id) where type = 'parent_of'");
      await knex.raw("create unique index incident_links_one_original on incident_links (source_id) where type = 'duplicate_of'");
      await knex.raw('create index incident_links_target on incident_links (target_id)');

      // Major incidents: the declaration, its status updates, and the post-incident review.
      await knex.schema.createTable('major_incidents', (table) => {
        table.uuid('incident_id').primary().references('id').inTable('incidents');
        table.text('summary').notNullable();
        table.uuid('declared_by').notNullable();
        table.timestamp('declared_at', { useTz: true }).notNullable();
        table.text('review_what_happened');
        table.text('review_impact');
        table.text('review_follow_ups');
        table.uuid('reviewed_by');
        table.timestamp('reviewed_at', { useTz: true });
        table.timestamp('review_updated_at', { useTz: true });
      });
      await knex.schema.createTable('major_incident_updates', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('incident_id').notNullable().references('incident_id').inTable('major_incidents');
        table.text('message').notNullable();
        table.uuid('author_id').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable();
      });
      await knex.raw('create index major_incident_updates_incident on major_incident_updates (incident_id, created_at desc, id)');

      await knex.raw(`create or replace function incidents_api_json() returns trigger language plpgsql as $$
        begin
          new.api_json := json_build_object(
            'id', new.id,
            'key', 'INC-' || case when length(new.number::text) < 6 then lpad(new.number::text, 6, '0') else new.number::text end,
            'title', new.title,
            'description', new.description,
            'status', new.status,
            'priority', new.priority,
            'impact', new.impact,
            'urgency', new.urgency,
            'reporterId', new.reporter_id,
            'departmentId', new.department_id,
            'categoryId', new.category_id,
            'assigneeId', new.assignee_id,
            'version', new.version,
            'createdAt', to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'updatedAt', to_char(new.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'respondedAt', to_char(new.responded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolvedAt', to_char(new.resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'closedAt', to_char(new.closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'responseDueAt', to_char(new.response_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolutionDueAt', to_char(new.resolution_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'responseBreachedAt', to_char(new.response_breached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'resolutionBreachedAt', to_char(new.resolution_breached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'slaBreached', new.response_breached_at is not null or new.resolution_breached_at is not null,
            'slaCalendarId', new.sla_calendar_id,
            'waiting', case when new.waiting_since is null then null else json_build_object(
              'since', to_char(new.waiting_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'message', new.waiting_message,
              'byId', new.waiting_by,
              'expiresAt', to_char(new.waiting_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end,
            'reopenCount', new.reopen_count,
            'reopenedAt', to_char(new.reopened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'watcherIds', to_json(new.watcher_ids),
            'isMajor', new.is_major
          )::text;
          return new;
        end $$`);
      // Every row's API JSON with the new fields.
      await knex.raw('update incidents set api_json = null');
    },
  },
  {
    name: 'incident_0015_ongoing_major_index',
    async up(knex) {
      // The portal's banner asks for the ongoing major incidents every minute for everyone signed
      // in: a few rows, found without reading the incidents table.
      await knex.raw("create index incidents_ongoing_major on incidents (id) where is_major and status in ('OPEN', 'IN_PROGRESS')");
    },
  },
  {
    // Satisfaction: the reporter's rating of a resolved or closed incident (satisfaction/).
    name: 'incident_0016_satisfaction',
    async up(knex) {
      await knex.raw(`
        create table incident_satisfaction (
          incident_id uuid primary key references incidents (id) on delete cascade,
          reporter_id uuid not null,
          rating smallint not null check (rating between 1 and 5),
          comment text,
          first_rated_at timestamptz not null,
          updated_at timestamptz not null
        )`);
    },
  },
  {
    // Mail in (mail-in/): every mail taken, kept whole until it is filed as an incident or a
    // comment, its attachments too; its Message-ID makes a mail sent twice one incident. The
    // replica learns each user's address, to know who a mail is from: the rows held are marked
    // oldest, so the next catch-up brings every account whole.
    name: 'incident_0017_inbound_mail',
    async up(knex) {
      await knex.raw(`
        create table inbound_mails (
          id uuid primary key default gen_random_uuid(),
          message_id text not null unique,
          envelope_from text not null,
          recipient text not null,
          sender text not null,
          sender_name text,
          subject text not null default '',
          raw bytea,
          size_bytes integer not null,
          status text not null check (status in ('received', 'awaiting_sender', 'filed', 'ignored', 'rejected')),
          outcome text,
          incident_id uuid,
          comment_id uuid,
          attachment_count integer not null default 0,
          attachments_done integer not null default 0,
          -- Files the desk did not take (type, size), with why: [{ fileName, code, detail }].
          skipped_attachments jsonb not null default '[]',
          attempts integer not null default 0,
          last_error text,
          lease_until timestamptz,
          received_at timestamptz not null default now(),
          filed_at timestamptz
        )`);
      await knex.raw('create index inbound_mails_by_sender on inbound_mails (sender, received_at)');
      await knex.raw("create index inbound_mails_to_do on inbound_mails (received_at) where status in ('received', 'awaiting_sender') or (status = 'filed' and attachments_done < attachment_count)");
      await replica.users.migrate(knex);
      await knex.raw('create index users_by_email on users (lower(email))');
      await knex.raw("update users set updated_at = 'epoch', version = 0");
    },
  },
  {
    // A reporter's incidents are spread over the years they reported in, so the first page of
    // their list read a heap page per row (26 pages, mostly outside shared buffers: 0.7-1.3 ms
    // of Postgres CPU against 0.15 ms for a department's list, whose recently updated rows sit
    // together). This index holds the page's columns (api_json included), so the plain list is
    // an index-only scan of 3-4 leaf pages. The narrow incidents_reporter_updated stays for the
    // bitmap scans of filtered reporter lists, which would read far more of this one.
    name: 'incident_0018_reporter_list',
    async up(knex) {
      await knex.raw('create index incidents_reporter_list on incidents (reporter_id, updated_at desc, id desc) include (priority, assignee_id, api_json)');
    },
  },
  {
    // Open work by assignee with its department and id in the index: the departed-assignee job
    // (routing/reassign-job.ts) finds an assignee's open incidents outside their department from
    // the index alone. With the assignee alone it read each open incident's row (at ten million
    // incidents, 0.9 s per 200 people); the lists' filters use it as they used the one it replaces.
    name: 'incident_0019_assignee_open_department',
    async up(knex) {
      await knex.raw("create index incidents_assignee_open_department on incidents (assignee_id, department_id) include (id) where status in ('OPEN', 'IN_PROGRESS')");
      await knex.raw('drop index incidents_assignee_open');
    },
  },
  {
    // An incident's row (title, description, its search vector and api_json, ~2.4 kB) is over the
    // 2 kB at which Postgres moves values out of line, so api_json, the largest, went to the TOAST
    // table, a third of it compressed: every row of a list page cost a TOAST index look-up, its
    // chunks and often a decompression (a million incidents: 106 buffers and 0.41 ms for the
    // page's 26 values against 23 buffers and 0.06 ms inline). Rows up to a page now stay whole,
    // in line. What must still be compressed (api_json in the reporter list's index) is LZ4 where
    // this Postgres has it, several times faster to decompress than pglz. Rows written before stay
    // as they are until they next change, which is when they come back to the top of a list.
    name: 'incident_0020_rows_in_line',
    async up(knex) {
      await knex.raw('alter table incidents set (toast_tuple_target = 8160)');
      const { rows } = await knex.raw<{ rows: { lz4: boolean }[] }>("select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'");
      if (rows[0]?.lz4) await knex.raw('alter table incidents alter column api_json set compression lz4');
    },
  },
  {
    // Counts and reporter lists are index-only scans, which skip the heap only for pages the
    // visibility map marks all-visible; a changed or new row clears its page's mark until a
    // vacuum. Postgres vacuums a table after changes to a fifth of it (200,000 rows at a
    // million incidents), so on a working desk those scans read the heap for every recent row:
    // after three benchmark runs (~21,000 creates and status changes) a department's open-work
    // count read 931 heap rows in 18 ms, and 0 rows in 0.4 ms once vacuumed. Vacuum after every
    // 2,000 changes or new rows instead, whatever the size of the table: a vacuum reads only the
    // pages changed since the last and, with so few dead rows, leaves the indexes to a later one.
    name: 'incident_0021_vacuum_often',
    async up(knex) {
      await knex.raw(`alter table incidents set (
        autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
        autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 2000,
        autovacuum_analyze_scale_factor = 0.02)`);
    },
  },
  {
    // What the planner knows of the words in `search`: their most common ones with how often
    // each occurs, a list of ten times the statistics target. A word not on it is taken to occur
    // half as often as the rarest that is: at ten million incidents, with the default target (100,
    // 957 words, the rarest in 0.28 % of rows), a word nobody used was expected in 14,000 rows, so a
    // search for it walked the updated_at index to find its newest page — reading every row,
    // 56 s — instead of asking the full-text index (under a millisecond). A target of 1,000 keeps
    // some 6,000 words, the rarest in 0.028 %: 1,400 expected, and the full-text index is asked.
    // ANALYZE samples 300,000 rows for it (6 s at ten million); planning a search stays ~1 ms.
    name: 'incident_0022_search_statistics',
    async up(knex) {
      await knex.raw('alter table incidents alter column search set statistics 1000');
    },
  },
];
