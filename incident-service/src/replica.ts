import type { UserSnapshot } from '@desk/contracts';
import { defineReplica } from '@desk/replica';

/**
 * identity-service's users and departments as this service keeps them: the shared columns, and
 * each user's address, which tells who a mail to the desk is from (mail-in/). Who may be
 * assigned, which departments exist, the names on timelines, and the accounts behind tokens.
 * `@desk/replica` keeps them current.
 */
export const replica = defineReplica({
  userColumns: {
    email: { type: 'text', nullable: true, value: (user: UserSnapshot) => user.email.toLowerCase() },
  },
});
