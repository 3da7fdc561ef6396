import type { Caller } from '@desk/auth';
import { SAVED_VIEWS_PER_PERSON, type CreateSavedViewBody, type SavedView, type UpdateSavedViewBody } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IncidentDependencies } from '../dependencies.js';
import {
  countSavedViews,
  deleteSavedView,
  insertSavedView,
  isNameTaken,
  listSavedViews,
  lockOwner,
  toSavedView,
  updateSavedView,
} from './saved-views.repository.js';

// Saved views belong to whoever saved them: every statement names the caller as the owner, so
// someone else's view is a 404, exactly like one that does not exist.

const errors = {
  notFound: () => AppError.notFound('VIEW.NOT_FOUND', 'You have no saved view with this id.'),
  nameTaken: (name: string) =>
    AppError.conflict('VIEW.NAME_TAKEN', `You already have a view named "${name}". Choose another name.`, {
      errors: [{ location: 'body', path: '/name', message: 'you already have a view with this name; choose another' }],
    }),
  limitReached: () =>
    AppError.conflict('VIEW.LIMIT_REACHED', `You have ${SAVED_VIEWS_PER_PERSON} saved views, the most one person keeps. Delete one you no longer use first.`),
};

export async function listViews(deps: IncidentDependencies, caller: Caller): Promise<SavedView[]> {
  return (await listSavedViews(deps.db, caller.id)).map(toSavedView);
}

export async function saveView(deps: IncidentDependencies, caller: Caller, body: CreateSavedViewBody): Promise<SavedView> {
  try {
    const row = await deps.db.transaction(async (trx) => {
      await lockOwner(trx, caller.id);
      if ((await countSavedViews(trx, caller.id)) >= SAVED_VIEWS_PER_PERSON) throw errors.limitReached();
      return insertSavedView(trx, { ownerId: caller.id, name: body.name, query: body.query });
    });
    return toSavedView(row);
  } catch (error) {
    if (isNameTaken(error)) throw errors.nameTaken(body.name);
    throw error;
  }
}

export async function changeView(deps: IncidentDependencies, caller: Caller, id: string, body: UpdateSavedViewBody): Promise<SavedView> {
  try {
    const row = await updateSavedView(deps.db, caller.id, id, { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.query !== undefined ? { query: body.query } : {}) });
    if (!row) throw errors.notFound();
    return toSavedView(row);
  } catch (error) {
    if (isNameTaken(error)) throw errors.nameTaken(body.name ?? '');
    throw error;
  }
}

export async function deleteView(deps: IncidentDependencies, caller: Caller, id: string): Promise<void> {
  if (!(await deleteSavedView(deps.db, caller.id, id))) throw errors.notFound();
}
