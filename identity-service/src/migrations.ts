import { inboxMigration, outboxFailureMigration, outboxMigration, parkedEventsMigration } from '@desk/messaging';
import type { Migration } from '@desk/platform';

/** Every change to the `identity` schema, in order. Never edit or rename one that has shipped. */
export const identityMigrations: Migration[] = [
  outboxMigration,
  {
    name: 'identity_0001_departments_and_users',
    async up(knex) {
      await knex.schema.createTable('departments', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('name').notNullable();
        table.text('description');
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create unique index departments_name_unique on departments (lower(name))');

      await knex.schema.createTable('users', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('email').notNullable();
        table.text('full_name').notNullable();
        table.text('password_hash').notNullable();
        table.text('role').notNullable();
        table.uuid('department_id').references('id').inTable('departments');
        table.boolean('is_active').notNullable().defaultTo(true);
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw("alter table users add constraint users_role_check check (role in ('reporter', 'staff', 'manager', 'admin'))");
      await knex.raw(
        "alter table users add constraint users_department_required check (role not in ('staff', 'manager') or department_id is not null)",
      );
      // Emails are stored lower-cased; the index is on lower() anyway so no writer can slip past it.
      await knex.raw('create unique index users_email_unique on users (lower(email))');
      // The directory lists by name; keyset pagination walks (lower(full_name), id).
      await knex.raw('create index users_name_order on users (lower(full_name), id)');
      await knex.raw('create index users_department_name_order on users (department_id, lower(full_name), id)');
      // Replica rebuilds page through users by (updated_at, id).
      await knex.raw('create index users_updated_order on users (updated_at, id)');
      await knex.raw("create index users_active_admins on users (id) where role = 'admin' and is_active");
    },
  },
  {
    name: 'identity_0002_tokens_and_keys',
    async up(knex) {
      await knex.schema.createTable('refresh_tokens', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        // One sign-in: every token a refresh chain produces shares the family.
        table.uuid('family_id').notNullable();
        table.uuid('user_id').notNullable().references('id').inTable('users');
        // SHA-256 of the token: the token itself is never stored.
        table.binary('token_hash').notNullable().unique();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('expires_at', { useTz: true }).notNullable();
        table.timestamp('used_at', { useTz: true });
        table.timestamp('revoked_at', { useTz: true });
        table.text('revoked_reason');
      });
      await knex.raw('create index refresh_tokens_family on refresh_tokens (family_id)');
      await knex.raw('create index refresh_tokens_live_by_user on refresh_tokens (user_id) where revoked_at is null');
      await knex.raw('create index refresh_tokens_expiry on refresh_tokens (expires_at)');

      await knex.schema.createTable('signing_keys', (table) => {
        table.text('kid').primary();
        table.text('algorithm').notNullable();
        table.jsonb('public_jwk').notNullable();
        // AES-256-GCM under SIGNING_KEY_SECRET.
        table.text('private_key_encrypted').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        // Signs until then.
        table.timestamp('retires_at', { useTz: true }).notNullable();
        // Verifies (is published) until then: the last token it signed has expired by then.
        table.timestamp('expires_at', { useTz: true }).notNullable();
      });

      await knex.schema.createTable('service_accounts', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('name').notNullable();
        table.text('client_id').notNullable().unique();
        table.text('secret_hash').notNullable();
        table.specificType('scopes', 'text[]').notNullable();
        table.uuid('created_by').references('id').inTable('users');
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('last_used_at', { useTz: true });
        table.timestamp('revoked_at', { useTz: true });
      });
      await knex.raw('create unique index service_accounts_name_unique on service_accounts (lower(name))');
      await knex.raw('create index service_accounts_created_order on service_accounts (created_at desc, id desc)');

      await knex.schema.createTable('login_throttle', (table) => {
        // `account:<email>`, `address:<ip>` or `account-address:<email>|<ip>`.
        table.text('key').primary();
        table.integer('failures').notNullable();
        table.timestamp('window_started_at', { useTz: true }).notNullable();
        table.timestamp('locked_until', { useTz: true });
      });
      await knex.raw('create index login_throttle_window on login_throttle (window_started_at)');
    },
  },
  outboxFailureMigration,
  {
    // Replicas keep the newest state of a user or department by its version, not by a clock, and
    // catch up by `updated_at` with an overlap: the trigger stamps each change when its statement
    // runs (clock_timestamp(), not the transaction's start), so a change is stamped within moments
    // of its commit, and the overlap covers the rest of its transaction.
    name: 'identity_0003_row_versions',
    async up(knex) {
      // A statement that sets `updated_at` to a time of its own (a repair, a test) keeps it.
      await knex.raw(`create or replace function stamp_change() returns trigger language plpgsql as $$
        begin
          if tg_op = 'UPDATE' then new.version := old.version + 1; end if;
          if new.updated_at is null or new.updated_at = now() or (tg_op = 'UPDATE' and new.updated_at = old.updated_at) then
            new.updated_at := clock_timestamp();
          end if;
          return new;
        end $$`);
      for (const table of ['users', 'departments']) {
        await knex.raw(`alter table ${table} add column version integer not null default 1`);
        await knex.raw(`create trigger ${table}_stamp_change before insert or update on ${table} for each row execute function stamp_change()`);
      }
    },
  },
  {
    // Self-registration by mail, password resets, and the budget of mail any one address gets.
    name: 'identity_0004_accounts',
    async up(knex) {
      // A registration waiting for its address to be verified: not a user yet, so nothing else
      // (receipts, notifications) can reach the address, and nobody signs in with it.
      await knex.schema.createTable('pending_registrations', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.text('email').notNullable();
        table.text('full_name').notNullable();
        table.text('password_hash').notNullable();
        // SHA-256 of the mailed token: the token itself is never stored.
        table.binary('token_hash').notNullable().unique();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('expires_at', { useTz: true }).notNullable();
      });
      // One pending registration per address: registering again replaces it (a new link).
      await knex.raw('create unique index pending_registrations_email on pending_registrations (lower(email))');
      await knex.raw('create index pending_registrations_expiry on pending_registrations (expires_at)');

      await knex.schema.createTable('password_reset_tokens', (table) => {
        table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
        table.uuid('user_id').notNullable().references('id').inTable('users');
        table.binary('token_hash').notNullable().unique();
        table.text('requested_by').notNullable();
        table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.timestamp('expires_at', { useTz: true }).notNullable();
        table.timestamp('used_at', { useTz: true });
      });
      await knex.raw("alter table password_reset_tokens add constraint password_reset_tokens_requested_by check (requested_by in ('self', 'admin'))");
      await knex.raw('create index password_reset_tokens_live_by_user on password_reset_tokens (user_id) where used_at is null');
      await knex.raw('create index password_reset_tokens_expiry on password_reset_tokens (expires_at)');

      // Mail sent to an address on request of someone who need not be signed in (verification
      // links, "someone tried to register", reset links): counted per address, so the desk
      // cannot be made to mail-bomb anyone.
      await knex.schema.createTable('account_mail_log', (table) => {
        table.bigIncrements('id');
        table.text('email').notNullable();
        table.text('kind').notNullable();
        table.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      await knex.raw('create index account_mail_log_by_address on account_mail_log (email, sent_at)');
      await knex.raw('create index account_mail_log_age on account_mail_log (sent_at)');
    },
  },
  {
    // The audit trail of administrative changes (identity's own and, through events, other
    // services'). Rows are only ever inserted, in the transaction of the change they describe.
    name: 'identity_0006_audit',
    async up(knex) {
      await knex.schema.createTable('audit_log', (table) => {
        table.bigIncrements('id').primary();
        table.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        table.text('actor_kind').notNullable();
        table.uuid('actor_id');
        table.text('source_address');
        table.text('action').notNullable();
        table.text('target_type').notNullable();
        table.text('target_id').notNullable();
        table.jsonb('before');
        table.jsonb('after');
        // The event a row came from, when another service recorded it: a redelivery adds nothing.
        table.uuid('source_event_id').unique();
      });
      await knex.raw("alter table audit_log add constraint audit_log_actor_check check (actor_kind in ('user', 'service', 'system') and (actor_id is not null) = (actor_kind <> 'system'))");
      // Newest first, keyset on (occurred_at, id); one index per filter, each in that order.
      await knex.raw('create index audit_log_order on audit_log (occurred_at desc, id desc)');
      await knex.raw('create index audit_log_actor_order on audit_log (actor_id, occurred_at desc, id desc)');
      await knex.raw('create index audit_log_target_order on audit_log (target_id, occurred_at desc, id desc)');
      await knex.raw('create index audit_log_action_order on audit_log (action, occurred_at desc, id desc)');
    },
  },
  // identity-service consumes `audit.recorded` (other services' administrative changes): each once, parked when it cannot.
  inboxMigration,
  parkedEventsMigration,
  {
    // The deny list of access tokens: a sign-in (refresh family, the tokens' `sid`) or a service
    // account revoked. Triggers fill it from every path that revokes, so no code path can forget;
    // the gateway and every service poll `/internal/revocations` and refuse matching tokens.
    name: 'identity_0008_revocations',
    async up(knex) {
      await knex.raw(`create table revocations (
        kind text not null check (kind in ('session', 'service-account')),
        id uuid not null,
        revoked_at timestamptz not null default clock_timestamp(),
        primary key (kind, id)
      )`);
      await knex.raw('create index revocations_order on revocations (revoked_at, kind, id)');
      await knex.raw(`create or replace function record_session_revocation() returns trigger language plpgsql as $$
        begin
          insert into revocations (kind, id) values ('session', new.family_id) on conflict do nothing;
          return null;
        end $$`);
      await knex.raw(`create trigger refresh_tokens_revoked after update of revoked_at on refresh_tokens
        for each row when (old.revoked_at is null and new.revoked_at is not null) execute function record_session_revocation()`);
      await knex.raw(`create or replace function record_service_account_revocation() returns trigger language plpgsql as $$
        begin
          insert into revocations (kind, id) values ('service-account', new.id) on conflict do nothing;
          return null;
        end $$`);
      await knex.raw(`create trigger service_accounts_revoked after update of revoked_at on service_accounts
        for each row when (old.revoked_at is null and new.revoked_at is not null) execute function record_service_account_revocation()`);
    },
  },
  {
    // Two-step sign-in: a TOTP seed per account (sealed with SIGNING_KEY_SECRET), single-use
    // recovery codes (hashes only), and the short-lived challenges between a sign-in's password
    // and its code.
    name: 'identity_0009_mfa',
    async up(knex) {
      await knex.raw(`create table user_mfa (
        user_id uuid primary key references users (id) on delete cascade,
        secret_sealed text not null,
        -- Null while a setup waits for its first code (until setup_expires_at).
        enabled_at timestamptz,
        setup_expires_at timestamptz,
        -- The newest 30-second step a code was accepted for: a code works once.
        last_used_step bigint not null default 0,
        created_at timestamptz not null default now()
      )`);
      await knex.raw(`create table mfa_recovery_codes (
        user_id uuid not null references users (id) on delete cascade,
        code_hash bytea not null,
        used_at timestamptz,
        created_at timestamptz not null default now(),
        primary key (user_id, code_hash)
      )`);
      await knex.raw(`create table mfa_challenges (
        id uuid primary key default gen_random_uuid(),
        token_hash bytea not null unique,
        user_id uuid not null references users (id) on delete cascade,
        purpose text not null check (purpose in ('verify', 'enrol')),
        address text not null,
        failed_attempts integer not null default 0,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`);
      await knex.raw('create index mfa_challenges_expiry on mfa_challenges (expires_at)');
      // Ending a person's sessions spends their waiting challenges (revokeAllSessionsOfUser).
      await knex.raw('create index mfa_challenges_waiting on mfa_challenges (user_id) where used_at is null');
    },
  },
  {
    // The language a person reads the portal and their mails in; null until they choose one
    // (the portal then follows the browser, the mails are in English).
    name: 'identity_0010_locale',
    async up(knex) {
      await knex.raw(`alter table users add column locale text check (locale in ('en', 'de'))`);
    },
  },
  {
    // A reporter pending verification made from a mail to the desk has no password yet: they
    // choose one when they follow their link.
    name: 'identity_0011_password_on_verification',
    async up(knex) {
      await knex.raw('alter table pending_registrations alter column password_hash drop not null');
    },
  },
  {
    // The language a registration was made in (the browser's): its verification mail is written
    // in it, and the account starts with it.
    name: 'identity_0012_registration_locale',
    async up(knex) {
      await knex.raw(`alter table pending_registrations add column locale text check (locale in ('en', 'de'))`);
    },
  },
];
