import { inboxMigration, parkedEventsMigration } from '@desk/messaging';
import type { Migration } from '@desk/platform';
import { replica } from './replica.js';

/** The columns of a fact table; `facts` and a rebuild's `facts_next` are made alike. */
export const FACT_TABLE = 'facts';
export const NEXT_FACT_TABLE = 'facts_next';

/**
 * Every change to the `analytics` schema, in order. Never rename or remove one that has
 * shipped; change one only so that a new database still ends with the schema that databases
 * which ran it reach.
 */
export const analyticsMigrations: Migration[] = [
  inboxMigration,
  {
    name: 'analytics_0001_facts',
    async up(knex) {
      // identity's users (names for the reports; role, department and activity to refuse tokens
      // of changed accounts) and departments. They were once created here by hand; the shared
      // definition (@desk/replica) now makes them, and replica.migration at the end brings a
      // database that ran the original up to it.
      await replica.migration.up(knex);

      // One row per incident, as its newest event (highest version) describes it.
      await knex.schema.createTable(FACT_TABLE, (table) => {
        table.uuid('id').primary();
        table.text('key').notNullable();
        table.text('title').notNullable();
        table.text('status').notNullable();
        table.text('priority').notNullable();
        table.uuid('reporter_id').notNullable();
        table.uuid('department_id').notNullable();
        table.uuid('category_id').notNullable();
        table.uuid('assignee_id');
        table.integer('version').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable();
        table.timestamp('updated_at', { useTz: true }).notNullable();
        table.timestamp('responded_at', { useTz: true });
        table.timestamp('resolved_at', { useTz: true });
        table.timestamp('closed_at', { useTz: true });
        table.timestamp('cancelled_at', { useTz: true });
        table.integer('reopen_count').notNullable().defaultTo(0);
        table.timestamp('reopened_at', { useTz: true });
        table.timestamp('response_due_at', { useTz: true });
        table.timestamp('resolution_due_at', { useTz: true });
        table.timestamp('response_breached_at', { useTz: true });
        table.timestamp('resolution_breached_at', { useTz: true });
      });
      // The transaction that last wrote the row: the in-memory model reads what committed since
      // it last looked, by transaction id (see FactStore).
      await knex.raw(`alter table ${FACT_TABLE} add column written_xid xid8 not null default pg_current_xact_id()`);
      await knex.raw(`create index facts_written on ${FACT_TABLE} (written_xid)`);
      // The export pages through facts in the order they were created.
      await knex.raw(`create index facts_created on ${FACT_TABLE} (created_at, id)`);

      // Which fact table is current: a rebuild swaps in a new one and bumps the generation, so
      // every replica of the service reloads its model.
      await knex.schema.createTable('model_state', (table) => {
        table.smallint('id').primary();
        table.integer('generation').notNullable();
        table.timestamp('rebuilt_at', { useTz: true });
      });
      await knex.raw('alter table model_state add constraint model_state_single check (id = 1)');
      await knex('model_state').insert({ id: 1, generation: 1 });
    },
  },
  // The shared definition of the user and department replica (@desk/replica), for databases
  // that ran the original analytics_0001: adds the departments' description and the users'
  // replicated_at.
  replica.migration,
  // Events this service could not handle, set aside for an admin to replay or discard.
  parkedEventsMigration,
  // identity's row versions in the user and department replica: the newest state is the highest version.
  replica.rowVersionsMigration,
  {
    // Satisfaction ratings, one per incident (the newest rating wins), with the department,
    // category, assignee and priority the incident had when it was rated: CSAT is grouped and filtered by those.
    name: 'analytics_satisfaction',
    async up(knex) {
      await knex.raw(`
        create table satisfaction (
          incident_id uuid primary key,
          department_id uuid not null,
          category_id uuid not null,
          assignee_id uuid,
          priority text not null,
          rating smallint not null check (rating between 1 and 5),
          rated_at timestamptz not null,
          updated_at timestamptz not null
        )`);
      await knex.raw('create index satisfaction_rated on satisfaction (rated_at)');
    },
  },
  {
    // The model's catch-up reads what each transaction wrote in pages, in (transaction, id)
    // order (FactStore): the index of written_xid alone left each page to sort.
    name: 'analytics_facts_written_id',
    async up(knex) {
      await knex.raw(`create index facts_written_id on ${FACT_TABLE} (written_xid, id)`);
      await knex.raw('drop index facts_written');
    },
  },
];
