import { defineReplica } from '@desk/replica';

/**
 * identity-service's users and departments as this service keeps them (the shared columns only):
 * who may be assigned, which departments exist, the names on timelines, and the accounts
 * behind tokens. `@desk/replica` keeps them current.
 */
export const replica = defineReplica();
