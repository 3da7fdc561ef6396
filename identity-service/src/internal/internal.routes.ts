import { internalRevocationsQuerySchema, internalUsersQuerySchema } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import type { IdentityDependencies } from '../dependencies.js';
import { listDepartmentsByName, toDepartment } from '../departments/departments.repository.js';
import { listRevocations } from './list-revocations.use-case.js';
import { listUserChanges } from './list-user-changes.use-case.js';
import { mailSenderRegistrationBodySchema, registerMailSender } from '../registration/mail-sender-registration.use-case.js';

/**
 * `/internal`: what other services read to rebuild their replicas of users and departments,
 * and the deny list of revoked sign-ins and service accounts.
 * Not routed by the gateway; guarded by INTERNAL_API_TOKEN where `app.ts` mounts it.
 */
export function internalRouter(deps: IdentityDependencies): Router {
  const router = Router();

  router.get('/users', async (request, response) => {
    const query = parseInput(internalUsersQuerySchema, request.query, 'query');
    response.json(await listUserChanges(deps, query));
  });

  router.get('/departments', async (_request, response) => {
    const rows = await listDepartmentsByName(deps.db);
    // Departments are few: one page, in the listing shape every internal listing has.
    response.json({ items: rows.map(toDepartment), nextCursor: null });
  });

  // The sender of a mail to the desk, without an account: a reporter pending verification.
  router.post('/registrations', async (request, response) => {
    const body = parseInput(mailSenderRegistrationBodySchema, request.body, 'body');
    response.status(202).json(await registerMailSender(deps, body));
  });

  router.get('/revocations', async (request, response) => {
    const query = parseInput(internalRevocationsQuerySchema, request.query, 'query');
    response.json(await listRevocations(deps, query));
  });

  return router;
}
