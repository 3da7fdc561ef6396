import type { Locale, UserSnapshot } from '@desk/contracts';
import { defineReplica, type ReplicaUser } from '@desk/replica';

/**
 * identity-service's users and departments as this service keeps them: the shared columns, the
 * email each user's mail goes to, and when the account was created (nobody is told about what
 * happened before that: recipients/notification-handlers.ts). `@desk/replica` keeps them current.
 */
export const replica = defineReplica({
  userColumns: {
    email: { type: 'text', value: (user: UserSnapshot) => user.email },
    created_at: { type: 'timestamptz', nullable: true, value: (user: UserSnapshot) => user.createdAt },
    // The language their mails and in-app notifications are written in; null: the default.
    locale: { type: 'text', nullable: true, value: (user: UserSnapshot) => user.locale ?? null },
  },
});

/** A user as this replica holds them, with the address mail goes to; `created_at` null for a row from before it was kept. */
export type Recipient = Omit<ReplicaUser, 'updated_at'> & { email: string; created_at: Date | null; locale: Locale | null };
