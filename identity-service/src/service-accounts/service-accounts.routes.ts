import { auditContextOf, callerOf } from '@desk/auth';
import { createServiceAccountBodySchema, pageQuerySchema } from '@desk/contracts';
import { AppError, decodeCursor, parseInput, postgresTimestampText, toPage } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.js';
import type { IdentityDependencies } from '../dependencies.js';
import {
  hashClientSecret,
  insertServiceAccount,
  listServiceAccounts,
  newClientCredentials,
  replaceServiceAccountSecret,
  revokeServiceAccount,
  findServiceAccountById,
  toServiceAccount,
} from './service-accounts.repository.js';

const idParams = z.object({ id: z.uuid({ error: 'must be a UUID' }) });
const cursorPosition = z.object({ createdAt: postgresTimestampText, id: z.uuid() });

function notFound(): AppError {
  return AppError.notFound('SERVICE_ACCOUNT.NOT_FOUND', 'There is no service account with this id.');
}

/** Service accounts let other internal systems call the API with client credentials. Admins only (guarded in app.ts). */
export function serviceAccountsRouter(deps: IdentityDependencies): Router {
  const router = Router();

  router.post('/', async (request, response) => {
    const body = parseInput(createServiceAccountBodySchema, request.body, 'body');
    const { clientId, clientSecret } = newClientCredentials();
    const audit = auditContextOf(request);
    const row = await deps.db.transaction(async (trx) => {
      const inserted = await insertServiceAccount(trx, {
        name: body.name,
        clientId,
        secretHash: hashClientSecret(clientSecret),
        scopes: [...new Set(body.scopes)],
        createdBy: callerOf(request).id,
      });
      if (!inserted) throw AppError.conflict('SERVICE_ACCOUNT.NAME_TAKEN', `A service account named "${body.name}" already exists.`, { errors: [{ location: 'body', path: '/name', message: 'is already the name of another service account' }] });
      const account = toServiceAccount(inserted);
      await recordAudit(trx, audit, { action: 'service_account.created', target: { type: 'service_account', id: account.id }, before: null, after: account });
      return inserted;
    });
    deps.logger.info({ serviceAccountId: row.id, scopes: row.scopes }, 'service account created');
    // The secret is shown this once; only its hash is kept.
    response.status(201).set('Cache-Control', 'no-store').json({ ...toServiceAccount(row), clientSecret });
  });

  router.get('/', async (request, response) => {
    const query = parseInput(pageQuerySchema, request.query, 'query');
    const after = query.cursor ? decodeCursor(cursorPosition, query.cursor) : undefined;
    const rows = await listServiceAccounts(deps.db, { limit: query.limit + 1, ...(after ? { after } : {}) });
    response.json(toPage(rows, query.limit, toServiceAccount, (row) => ({ createdAt: row.cursor_created_at, id: row.id })));
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const row = await findServiceAccountById(deps.db, id);
    if (!row) throw notFound();
    response.json(toServiceAccount(row));
  });

  router.post('/:id/secret', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const { clientSecret } = newClientCredentials();
    const audit = auditContextOf(request);
    const row = await deps.db.transaction(async (trx) => {
      const before = await findServiceAccountById(trx, id, { forUpdate: true });
      if (!before) throw notFound();
      if (before.revoked_at !== null) throw AppError.conflict('SERVICE_ACCOUNT.REVOKED', 'This service account is revoked: it gets no new secret.');
      const after = await replaceServiceAccountSecret(trx, id, hashClientSecret(clientSecret));
      if (!after) throw notFound();
      // The views hold no secret or hash: the entry says that it was rotated, by whom, not to what.
      await recordAudit(trx, audit, {
        action: 'service_account.secret_rotated',
        target: { type: 'service_account', id },
        before: toServiceAccount(before),
        after: toServiceAccount(after),
      });
      return after;
    });
    deps.logger.info({ serviceAccountId: id }, 'service account secret rotated');
    response.set('Cache-Control', 'no-store').json({ ...toServiceAccount(row), clientSecret });
  });

  router.delete('/:id', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const audit = auditContextOf(request);
    await deps.db.transaction(async (trx) => {
      const before = await findServiceAccountById(trx, id, { forUpdate: true });
      if (!before) throw notFound();
      // Revoking a revoked account changes nothing, and records nothing.
      if (before.revoked_at !== null) return;
      const after = await revokeServiceAccount(trx, id);
      if (!after) throw notFound();
      await recordAudit(trx, audit, {
        action: 'service_account.revoked',
        target: { type: 'service_account', id },
        before: toServiceAccount(before),
        after: toServiceAccount(after),
      });
    });
    deps.logger.info({ serviceAccountId: id }, 'service account revoked');
    response.status(204).end();
  });

  return router;
}
