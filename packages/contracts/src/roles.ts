import { z } from 'zod';

/** Who a caller is. `service` is another internal system, signed in with client credentials. */
export const ROLES = ['reporter', 'staff', 'manager', 'admin', 'service'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Roles a person (not a service account) can hold. */
export const USER_ROLES = ['reporter', 'staff', 'manager', 'admin'] as const;
export const userRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof userRoleSchema>;
