import { auditContextOf, callerOf, requireRole, requireScope } from '@desk/auth';
import { countUsersQuerySchema, createUserBodySchema, listUsersQuerySchema, updateLocaleBodySchema, updateUserBodySchema } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';
import { adminResetMfa, mfaStatusForAdmin } from '../mfa/mfa.use-cases.js';
import { adminPasswordReset } from '../passwords/password-reset.use-case.js';
import { countUsers } from './count-users.use-case.js';
import { createUser } from './create-user.use-case.js';
import { getUser } from './get-user.use-case.js';
import { listUsers } from './list-users.use-case.js';
import { applyUserUpdate, setOwnLocale } from './update-user.use-case.js';
import { USERS_READ_SCOPE } from './user-visibility.js';

const userIdParamsSchema = z.object({ id: z.uuid({ error: 'must be a user id (a UUID)' }) });

/** `/users`: the directory. Admins manage it; managers read their department; everyone reads themselves. */
export function usersRouter(deps: IdentityDependencies): Router {
  const router = Router();

  router.get('/', requireScope(USERS_READ_SCOPE), async (request, response) => {
    const query = parseInput(listUsersQuerySchema, request.query, 'query');
    response.json(await listUsers(deps, callerOf(request), query));
  });

  // Every person chooses their own language; before `/:id`, which would read "me" as an id.
  router.put('/me/locale', async (request, response) => {
    const caller = callerOf(request);
    if (caller.kind !== 'user') throw AppError.forbidden('AUTH.FORBIDDEN', 'Service accounts have no language of their own; only people choose one.');
    const { locale } = parseInput(updateLocaleBodySchema, request.body, 'body');
    response.json(await setOwnLocale(deps, auditContextOf(request), caller.id, locale));
  });

  // Before `/:id`, which would read "count" as an id.
  router.get('/count', requireScope(USERS_READ_SCOPE), async (request, response) => {
    const query = parseInput(countUsersQuerySchema, request.query, 'query');
    response.json(await countUsers(deps, callerOf(request), query));
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const body = parseInput(createUserBodySchema, request.body, 'body');
    const user = await createUser(deps, auditContextOf(request), body);
    response.status(201).location(`/users/${user.id}`).json(user);
  });

  router.get('/:id', requireScope(USERS_READ_SCOPE), async (request, response) => {
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    response.json(await getUser(deps, callerOf(request), id));
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    const body = parseInput(updateUserBodySchema, request.body, 'body');
    response.json(await applyUserUpdate(deps, auditContextOf(request), id, body));
  });

  router.post('/:id/password-reset', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    await adminPasswordReset(deps, auditContextOf(request), id);
    response.status(202).json({ message: 'A link to choose a new password was mailed to the person; their sessions have ended.' });
  });

  router.get('/:id/mfa', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    response.json(await mfaStatusForAdmin(deps, id));
  });

  router.post('/:id/mfa-reset', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(userIdParamsSchema, request.params, 'params');
    await adminResetMfa(deps, auditContextOf(request), id);
    response.status(204).end();
  });

  return router;
}
