import { defineReplica } from '@desk/replica';

/**
 * identity-service's users and departments as this service keeps them (the shared columns only):
 * the names in the reports, and the accounts behind tokens. `@desk/replica` keeps them current.
 */
export const replica = defineReplica();
