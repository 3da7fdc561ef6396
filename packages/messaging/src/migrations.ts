import type { Knex } from 'knex';
import type { Migration } from '@desk/platform';

/** The outbox table, for a service that publishes events. Add to the service's migration list. */
export const outboxMigration: Migration = {
  name: 'messaging_0001_outbox',
  async up(knex: Knex) {
    await knex.schema.createTable('outbox', (table) => {
      table.bigIncrements('id').primary();
      table.uuid('event_id').notNullable().unique();
      table.text('type').notNullable();
      table.text('subject').notNullable();
      table.jsonb('payload').notNullable();
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.timestamp('published_at', { useTz: true });
      table.integer('attempts').notNullable().defaultTo(0);
      table.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.text('last_error');
    });
    // The relay reads pending rows in id order, and checks per subject for an earlier row still
    // waiting (keeps per-subject order); both only ever look at unpublished rows.
    await knex.raw('create index outbox_pending_idx on outbox (id) where published_at is null');
    await knex.raw('create index outbox_pending_subject_idx on outbox (subject, id) where published_at is null');
    await knex.raw('create index outbox_published_at_idx on outbox (published_at) where published_at is not null');
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('outbox');
  },
};

/**
 * Why a row last failed. A row nobody is bound to (`unroutable`) must not hold back the later
 * events of its subject: no consumer receives it, so none can see them out of order.
 */
export const outboxFailureMigration: Migration = {
  name: 'messaging_0002_outbox_failure',
  async up(knex: Knex) {
    await knex.schema.alterTable('outbox', (table) => {
      table.text('last_failure');
    });
  },
  async down(knex: Knex) {
    await knex.schema.alterTable('outbox', (table) => {
      table.dropColumn('last_failure');
    });
  },
};

/** The inbox table, for a service that consumes events. Add to the service's migration list. */
export const inboxMigration: Migration = {
  name: 'messaging_0001_inbox',
  async up(knex: Knex) {
    await knex.schema.createTable('inbox', (table) => {
      table.text('consumer').notNullable();
      table.uuid('event_id').notNullable();
      table.text('event_type').notNullable();
      table.timestamp('processed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.primary(['consumer', 'event_id']);
    });
    await knex.raw('create index inbox_processed_at_idx on inbox (processed_at)');
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('inbox');
  },
};
