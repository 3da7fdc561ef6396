import { inboxMigration, parkedEventsMigration } from '@desk/messaging';
import type { Migration } from '@desk/platform';
import { replica } from './replica.js';

/**
 * Every change to the `notification` schema, in order. Never rename or remove one that has
 * shipped; change one only so that a new database still ends with the schema that databases
 * which ran it reach.
 */
export const notificationMigrations: Migration[] = [
  inboxMigration,
  {
    name: 'notification_0001_replicas',
    async up(knex) {
      // Copies of identity's users and incident-service's incidents, fed by their events. The
      // users were once created here by hand; the shared definition (@desk/replica) now makes
      // them, and replica.migration at the end brings a database that ran the original up to it.
      await replica.migration.up(knex);
      await knex.raw('create index users_department on users (department_id, role) where is_active');
      await knex.schema.createTable('incidents', (table) => {
        table.uuid('id').primary();
        table.text('key').notNullable();
        table.text('title').notNullable();
        table.text('status').notNullable();
        table.text('priority').notNullable();
        table.uuid('reporter_id').notNullable();
        table.uuid('assignee_id');
        table.uuid('department_id').notNullable();
        table.integer('version').notNullable();
        table.timestamp('updated_at', { useTz: true }).notNullable();
      });
      await knex.raw('create index incidents_updated on incidents (updated_at)');
    },
  },
  {
    name: 'notification_0002_inbox_preferences_deliveries',
    async up(knex) {
      await knex.schema.createTable('notifications', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('user_id').notNullable();
        table.uuid('event_id').notNullable();
        table.text('type').notNullable();
        table.uuid('incident_id').notNullable();
        table.text('incident_key').notNullable();
        table.text('headline').notNullable();
        table.text('detail').notNullable();
        table.uuid('actor_id');
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('read_at', { useTz: true });
        table.unique(['event_id', 'user_id']);
      });
      // The inbox newest first, and its unread count.
      await knex.raw('create index notifications_inbox on notifications (user_id, created_at desc, id desc)');
      await knex.raw('create index notifications_unread on notifications (user_id) where read_at is null');

      await knex.schema.createTable('preferences', (table) => {
        table.uuid('user_id').notNullable();
        table.text('event_type').notNullable();
        table.boolean('email').notNullable();
        table.boolean('in_app').notNullable();
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.primary(['user_id', 'event_type']);
      });

      await knex.raw("create type delivery_status as enum ('PENDING', 'SENDING', 'SENT', 'FAILED')");
      await knex.schema.createTable('deliveries', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('event_id').notNullable();
        table.text('event_type').notNullable();
        table.uuid('incident_id').notNullable();
        table.text('incident_key').notNullable();
        table.uuid('user_id').notNullable();
        table.text('to_address').notNullable();
        // The mail as composed when the event was handled: a retry sends exactly this.
        table.text('subject').notNullable();
        table.text('text_body').notNullable();
        table.text('html_body').notNullable();
        table.text('message_id').notNullable();
        table.text('in_reply_to');
        table.text('traceparent');
        table.specificType('status', 'delivery_status').notNullable().defaultTo('PENDING');
        table.integer('attempts').notNullable().defaultTo(0);
        table.text('last_error');
        table.timestamp('next_attempt_at', { useTz: true }).defaultTo(knex.fn.now());
        table.timestamp('lease_until', { useTz: true });
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('sent_at', { useTz: true });
        table.unique(['event_id', 'user_id']);
        table.unique(['message_id']);
      });
      // What the sender claims next: due pending mail, and sends whose lease ran out (a crash).
      await knex.raw("create index deliveries_due on deliveries (next_attempt_at) where status = 'PENDING'");
      await knex.raw("create index deliveries_leased on deliveries (lease_until) where status = 'SENDING'");
      await knex.raw('create index deliveries_listing on deliveries (created_at desc, id desc)');
      await knex.raw('create index deliveries_by_incident on deliveries (incident_id, created_at desc)');
      await knex.raw('create index deliveries_by_user on deliveries (user_id, created_at desc)');
    },
  },
  // The shared definition of the user and department replica (@desk/replica), for databases
  // that ran the original notification_0001: adds the departments and the users' replicated_at.
  replica.migration,
  // Events this service could not handle, set aside for an admin to replay or discard.
  parkedEventsMigration,
  // identity's row versions in the user and department replica: the newest state is the highest version.
  replica.rowVersionsMigration,
  {
    // A total order of each inbox for the live stream: a client resuming with Last-Event-ID gets
    // exactly the notifications after that one (created_at ties within a transaction and is no
    // commit order; a one-second overlap re-sent what the client had).
    name: 'notification_0003_stream_order',
    async up(knex) {
      await knex.raw('alter table notifications add column seq bigserial');
      await knex.raw('create unique index notifications_stream_order on notifications (user_id, seq)');
    },
  },
  {
    // Mail about an account (verification and reset links, password changed) is about no
    // incident, and a verification mail goes to an address that is no user yet.
    name: 'notification_account_mails',
    async up(knex) {
      await knex.raw('alter table deliveries alter column incident_id drop not null, alter column incident_key drop not null, alter column user_id drop not null');
    },
  },
  {
    // When each account was created: nobody is told about what happened before (history that
    // was replayed or imported). Rows held before stay null, told as before, until their next event.
    name: 'notification_user_created_at',
    async up(knex) {
      await replica.users.migrate(knex);
    },
  },
  {
    // Outgoing webhooks: endpoints admins register, one delivery per event and endpoint, and
    // the log of every attempt (webhooks/).
    name: 'notification_webhooks',
    async up(knex) {
      await knex.raw(`
        create table webhooks (
          id uuid primary key default gen_random_uuid(),
          url text not null,
          events text[] not null,
          description text not null default '',
          status text not null default 'ACTIVE' check (status in ('ACTIVE', 'DISABLED')),
          disabled_reason text,
          disabled_at timestamptz,
          -- The signing secrets: the previous one keeps signing next to the current one until it expires.
          secret text not null,
          previous_secret text,
          previous_secret_expires_at timestamptz,
          -- The failure streak: since when every attempt failed, and how many in a row.
          failing_since timestamptz,
          consecutive_failures integer not null default 0,
          created_by uuid not null,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now()
        )`);
      await knex.raw(`
        create table webhook_deliveries (
          id uuid primary key default gen_random_uuid(),
          webhook_id uuid not null references webhooks (id) on delete cascade,
          event_id uuid not null,
          event_type text not null,
          -- The body exactly as every attempt sends it.
          payload text not null,
          traceparent text,
          status text not null default 'PENDING' check (status in ('PENDING', 'SENDING', 'SUCCEEDED', 'FAILED')),
          attempts integer not null default 0,
          next_attempt_at timestamptz default now(),
          lease_until timestamptz,
          -- Retried until then; a redelivery or the endpoint enabled again starts a new window.
          retry_until timestamptz not null,
          last_error text,
          created_at timestamptz not null default now(),
          delivered_at timestamptz,
          unique (webhook_id, event_id)
        )`);
      // Each endpoint's due deliveries, read by the sender one endpoint at a time.
      await knex.raw("create index webhook_deliveries_due on webhook_deliveries (webhook_id, next_attempt_at) where status = 'PENDING'");
      await knex.raw("create index webhook_deliveries_leased on webhook_deliveries (lease_until) where status = 'SENDING'");
      await knex.raw('create index webhook_deliveries_log on webhook_deliveries (webhook_id, created_at desc, id desc)');
      await knex.raw('create index webhook_deliveries_age on webhook_deliveries (created_at)');
      await knex.raw(`
        create table webhook_attempts (
          delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
          attempt integer not null,
          at timestamptz not null default now(),
          request_url text not null,
          request_headers jsonb not null,
          remote_address text,
          response_status integer,
          duration_ms integer not null,
          response_excerpt text,
          error text,
          primary key (delivery_id, attempt)
        )`);
    },
  },
  {
    // The language each person reads their mails and notifications in (identity's users.locale).
    name: 'notification_user_locale',
    async up(knex) {
      await replica.users.migrate(knex);
    },
  },
];
