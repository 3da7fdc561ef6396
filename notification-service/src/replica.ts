import type { UserSnapshot } from '@desk/contracts';
import { defineReplica, type ReplicaUser } from '@desk/replica';

/**
 * identity-service's users and departments as this service keeps them: the shared columns, and
 * the email each user's mail goes to. `@desk/replica` keeps them current.
 */
export const replica = defineReplica({ userColumns: { email: { type: 'text', value: (user: UserSnapshot) => user.email } } });

/** A user as this replica holds them, with the address mail goes to. */
export type Recipient = Omit<ReplicaUser, 'updated_at'> & { email: string };
