import type { Caller } from '@desk/auth';
import { callerOf, requireScope } from '@desk/auth';
import { mayUseInternalNotes } from '@desk/contracts';
import { Router, type Request, type Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, findIncidentForUpdate, toIncidentSnapshot, type IncidentRow } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { attachmentErrors } from './attachment-errors.js';
import { attachmentSnapshot, findAttachment, forgetAttachment, listIncidentAttachments, toAttachment, type AttachmentRow } from './attachments.repository.js';
import { MissingObject } from './storage.js';
import { uploadAttachment } from './upload.use-case.js';

function attachmentIdOf(request: Request): string {
  const parsed = z.object({ attachmentId: z.uuid() }).safeParse(request.params);
  if (!parsed.success) throw attachmentErrors.notFound();
  return parsed.data.attachmentId;
}

/**
 * The attachment and its incident, when the caller may see both: the incident (else 404, as for
 * one that does not exist), and for an internal attachment, internal notes. Reporters never
 * learn that an internal attachment exists.
 */
async function readable(deps: IncidentDependencies, caller: Caller, attachmentId: string): Promise<{ row: AttachmentRow; incident: IncidentRow; mayInternal: boolean }> {
  const row = await findAttachment(deps.db, attachmentId);
  if (!row) throw attachmentErrors.notFound();
  const incident = await findIncident(deps.db, row.incident_id);
  const actor = actorOf(caller);
  if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw attachmentErrors.notFound();
  const mayInternal = mayUseInternalNotes(actor, factsOf(incident));
  if (row.is_internal && !mayInternal) throw attachmentErrors.notFound();
  return { row, incident, mayInternal };
}

/** `filename` for old clients (ASCII, quotes and backslashes dropped) and `filename*` (RFC 6266, UTF-8) for the rest. */
function dispositionOf(kind: 'attachment' | 'inline', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored object. Served so that no browser runs or renders it as a page from the API's
 * origin: a download (`Content-Disposition: attachment`) of the type its content was recognised
 * as, never sniffed (`nosniff`, from helmet), in a sandbox with nothing allowed should a browser
 * open it anyway.
 */
async function sendObject(deps: IncidentDependencies, response: Response, key: string, headers: Record<string, string>): Promise<void> {
  let object;
  try {
    object = await deps.store.get(key);
  } catch (error) {
    if (error instanceof MissingObject) throw attachmentErrors.notFound();
    deps.logger.error({ err: error, key }, 'the attachment store did not answer');
    throw attachmentErrors.storageUnavailable();
  }
  response.set({
    ...headers,
    'Content-Length': String(object.size),
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-site',
  });
  await pipeline(object.body, response).catch((error: unknown) => {
    // The client went away mid-download, or the store broke off: nothing more to answer.
    if (!response.writableEnded) deps.logger.info({ err: error, key }, 'a download ended early');
    response.destroy();
  });
}

/** Uploads and the list, mounted under /incidents. */
export function incidentAttachmentsRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.post('/:id/attachments', requireScope('incidents:write'), async (request, response) => {
    const idOrKey = incidentIdOrKey(request);
    const attachment = await uploadAttachment(deps, callerOf(request), idOrKey, request);
    response.location(`/attachments/${attachment.id}`);
    response.status(201).json(attachment);
  });

  router.get('/:id/attachments', requireScope('incidents:read'), async (request, response) => {
    const idOrKey = incidentIdOrKey(request);
    const caller = callerOf(request);
    const actor = actorOf(caller);
    const incident = await findIncident(deps.db, idOrKey);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const rows = await listIncidentAttachments(deps.db, incident.id, mayUseInternalNotes(actor, factsOf(incident)));
    response.json({ items: rows.map(toAttachment) });
  });

  return router;
}

/** One attachment: its content, its thumbnail, deleting it. Mounted at /attachments. */
export function attachmentsRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/:attachmentId', requireScope('incidents:read'), async (request, response) => {
    const { row } = await readable(deps, callerOf(request), attachmentIdOf(request));
    response.json(toAttachment(row));
  });

  router.get('/:attachmentId/content', requireScope('incidents:read'), async (request, response) => {
    const { row } = await readable(deps, callerOf(request), attachmentIdOf(request));
    if (row.status === 'scanning') throw attachmentErrors.scanning();
    if (row.status === 'infected') throw attachmentErrors.infected(row.status_reason);
    const etag = `"${row.sha256}"`;
    if (request.get('if-none-match') === etag) {
      response.status(304).set({ ETag: etag, 'Cache-Control': 'private, no-cache' }).end();
      return;
    }
    await sendObject(deps, response, row.storage_key, {
      'Content-Type': row.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : row.content_type,
      'Content-Disposition': dispositionOf('attachment', row.file_name),
      ETag: etag,
      'Cache-Control': 'private, no-cache',
    });
  });

  router.get('/:attachmentId/thumbnail', requireScope('incidents:read'), async (request, response) => {
    const { row } = await readable(deps, callerOf(request), attachmentIdOf(request));
    if (row.status !== 'available' || !row.thumbnail_key) throw attachmentErrors.notFound();
    // A WebP the platform made itself, shown in the page.
    await sendObject(deps, response, row.thumbnail_key, {
      'Content-Type': 'image/webp',
      'Content-Disposition': dispositionOf('inline', `${row.file_name}.webp`),
      'Cache-Control': 'private, max-age=86400, immutable',
    });
  });

  router.delete('/:attachmentId', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const { row, mayInternal } = await readable(deps, caller, attachmentIdOf(request));
    if (row.uploaded_by !== caller.id && !mayInternal) throw attachmentErrors.deleteForbidden();
    await deps.db.transaction(async (trx) => {
      const incident = await findIncidentForUpdate(trx, row.incident_id);
      const current = await trx('attachments').select('*').where({ id: row.id }).forUpdate().first<AttachmentRow | undefined>();
      if (!incident || !current) throw attachmentErrors.notFound();
      await forgetAttachment(trx, current);
      const stamp = rowStamp(deps.clock);
      await appendTimeline(trx, {
        incidentId: incident.id,
        action: 'attachment_removed',
        actorId: caller.id,
        oldValue: { attachmentId: current.id, fileName: current.file_name, contentType: current.content_type, sizeBytes: Number(current.size_bytes), commentId: current.comment_id },
        newValue: { reason: 'deleted' },
        isInternal: current.is_internal,
        at: stamp,
      });
      await deps.outbox.add(trx, 'incident.attachment_removed', {
        subject: incident.id,
        time: deps.clock.now(),
        data: { incident: toIncidentSnapshot(incident), actorId: caller.id, attachment: attachmentSnapshot(current), reason: 'deleted' },
      });
    });
    deps.attachmentJobs?.kick();
    response.status(204).end();
  });

  return router;
}
