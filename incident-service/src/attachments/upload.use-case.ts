import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Caller } from '@desk/auth';
import { type Attachment, attachmentFieldsSchema, mayUseInternalNotes, THUMBNAIL_TYPES, type AttachmentType } from '@desk/contracts';
import { AppError, fieldIssuesOf, parseByteSize } from '@desk/platform';
import busboy from 'busboy';
import type { Request } from 'express';
import { rowStamp } from '../clock.js';
import { commentErrors } from '../comments/comment-errors.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, findIncidentForUpdate, toIncidentSnapshot } from '../incidents/incidents.repository.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { attachmentErrors } from './attachment-errors.js';
import { attachmentSnapshot, insertAttachment, toAttachment, type AttachmentRow } from './attachments.repository.js';
import type { Knex } from 'knex';
import { recognise, SNIFF_BYTES, TextCheck } from './content-type.js';

/** Room for the multipart framing and form fields around a file of the largest size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Passes a file through on its way to the store: holds its first bytes until its type is
 * recognised (refusing it before anything is stored), then counts, hashes and, for text, goes on
 * checking that it stays text.
 */
class Inspector extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private text?: TextCheck;
  private readonly hash = createHash('sha256');
  /** Bytes passed so far (not `size`: the S3 library reads a body's `size` as its total length). */
  bytes = 0;
  contentType?: AttachmentType;

  constructor(
    private readonly fileName: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  private async decide(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    const recognised = await recognise(head, this.fileName);
    if (!recognised.ok) throw attachmentErrors.typeRefused(recognised.detail);
    this.contentType = recognised.contentType;
    if (recognised.contentType === 'text/plain') this.text = new TextCheck();
    this.pass(head);
  }

  private pass(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.text && !this.text.push(chunk)) throw attachmentErrors.typeRefused('The file began as text but goes on as binary data (a control character or invalid UTF-8 further in); only plain text is accepted under a text name.');
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) throw attachmentErrors.tooLarge(this.maxBytes);
    this.hash.update(chunk);
    this.push(chunk);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.contentType) {
      try {
        this.pass(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return callback();
    this.decide().then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    const done = () => {
      if (this.bytes === 0) return callback(attachmentErrors.malformed('The file is empty.'));
      if (this.text && !this.text.end()) return callback(attachmentErrors.typeRefused('The file ends in an incomplete UTF-8 character; only plain text is accepted under a text name.'));
      callback();
    };
    if (this.contentType) return done();
    if (this.headBytes === 0) return callback(attachmentErrors.malformed('The file is empty.'));
    this.decide().then(done, callback);
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }
}

/** Uploads under way in this instance, against ATTACHMENT_CONCURRENT_UPLOADS. */
let uploading = 0;

interface Received {
  fields: Record<string, string>;
  fileName: string;
  inspector: Inspector;
}

/**
 * POST /incidents/{id}/attachments: one file from a `multipart/form-data` body, streamed to the
 * store as it arrives (never whole in memory), then recorded with its timeline entry and
 * `incident.attachment_added` event in one transaction. Whatever fails on the way — too large,
 * a refused type, a broken body, the client gone, the database — leaves no object behind: a
 * partial object is removed at once, and the claim on its key (`attachment_uploads`) lets the
 * attachment job remove one a crash left.
 */
export async function uploadAttachment(deps: IncidentDependencies, caller: Caller, idOrKey: string, request: Request): Promise<Attachment> {
  const { config, store } = deps;
  const maxBytes = parseByteSize(config.ATTACHMENT_MAX_BYTES);
  if (!request.is('multipart/form-data')) {
    throw new AppError({ status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE', detail: 'Send the file as multipart/form-data, in a part named file.' });
  }
  const declared = Number(request.get('content-length') ?? 0);
  if (declared > maxBytes + MULTIPART_OVERHEAD) throw attachmentErrors.tooLarge(maxBytes);

  // Who may attach is known before a byte is read.
  const actor = actorOf(caller);
  const incident = await findIncident(deps.db, idOrKey);
  if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
  const mayInternal = mayUseInternalNotes(actor, factsOf(incident));

  if (uploading >= config.ATTACHMENT_CONCURRENT_UPLOADS) {
    throw AppError.serviceUnavailable('ATTACHMENT.STORAGE_UNAVAILABLE', 'Many files are being uploaded right now; try again in a few seconds.', { headers: { 'Retry-After': '5' } });
  }
  uploading += 1;
  const key = `attachments/${incident.id}/${randomUUID()}`;
  let claimed = false;
  let commentInternal = false;
  try {
    const received = await receive(request, maxBytes, async (fields, fileName, file) => {
      const parsed = attachmentFieldsSchema.safeParse(fields);
      if (!parsed.success) throw attachmentErrors.malformed('A form field is not valid.', fieldIssuesOf(parsed.error, 'body'));
      if (parsed.data.isInternal === 'true' && !mayInternal) throw commentErrors.internalForbidden();
      if (parsed.data.commentId) {
        const comment = await deps.db('comments').select('is_internal').where({ id: parsed.data.commentId, incident_id: incident.id }).first<{ is_internal: boolean } | undefined>();
        if (!comment || (comment.is_internal && !mayInternal)) throw commentErrors.notFound();
        commentInternal = comment.is_internal;
      }
      if (!fileName) throw attachmentErrors.malformed('The file part has no filename.');
      const inspector = new Inspector(fileName, maxBytes);
      await deps.db('attachment_uploads').insert({ storage_key: key });
      claimed = true;
      // The file's errors (too large, a broken body) reach the store through the inspector.
      pipeline(file, inspector).catch(() => undefined);
      await deps.store.put(key, inspector, 'application/octet-stream');
      return inspector;
    });
    const { commentId, isInternal: asked } = attachmentFieldsSchema.parse(received.fields);
    const isInternal = asked === 'true' || commentInternal;
    const row = await recordUpload(deps, caller, incident.id, { key, fileName: received.fileName, inspector: received.inspector, commentId: commentId ?? null, isInternal });
    claimed = false;
    deps.attachmentJobs?.kick();
    return toAttachment(row);
  } catch (error) {
    if (claimed) {
      // The object may be partly or wholly stored: remove it, then the claim. If either fails,
      // the claim stays and the attachment job removes the object later.
      await store
        .delete(key)
        .then(() => deps.db('attachment_uploads').where({ storage_key: key }).delete())
        .catch((cleanupError: unknown) => deps.logger.warn({ err: cleanupError, key }, 'could not remove an upload that failed; the attachment job will'));
    }
    throw error;
  } finally {
    uploading -= 1;
  }
}

/**
 * The stored file, recorded: the attachment, its timeline entry and `incident.attachment_added`
 * in one transaction under the incident's lock (and whatever `within` records with it), the
 * claim on its key released.
 */
async function recordUpload(
  deps: IncidentDependencies,
  caller: Caller,
  incidentId: string,
  upload: { key: string; fileName: string; inspector: Inspector; commentId: string | null; isInternal: boolean },
  within?: (trx: Knex.Transaction) => Promise<void>,
): Promise<AttachmentRow> {
  const { config } = deps;
  const actor = actorOf(caller);
  const { key, commentId, isInternal } = upload;
  const contentType = upload.inspector.contentType!;
  const scanning = config.CLAMD_URL !== undefined;
  return deps.db.transaction(async (trx) => {
    const locked = await findIncidentForUpdate(trx, incidentId);
    if (!locked || !maySee(actor, factsOf(locked), caller.scopes)) throw incidentErrors.notFound();
    const stamp = rowStamp(deps.clock);
    const inserted = await insertAttachment(trx, {
      id: randomUUID(),
      incident_id: locked.id,
      comment_id: commentId,
      uploaded_by: caller.id,
      file_name: upload.fileName,
      content_type: contentType,
      size_bytes: upload.inspector.bytes,
      sha256: upload.inspector.sha256,
      is_internal: isInternal,
      storage_key: key,
      status: scanning ? 'scanning' : 'available',
      // Nothing more to do for a file that is neither scanned nor an image.
      processed_at: scanning || THUMBNAIL_TYPES.includes(contentType) ? null : deps.clock.now(),
      ...(stamp ? { created_at: stamp } : {}),
    });
    await appendTimeline(trx, {
      incidentId: locked.id,
      action: 'attachment_added',
      actorId: caller.id,
      newValue: { attachmentId: inserted.id, fileName: inserted.file_name, contentType, sizeBytes: upload.inspector.bytes, commentId: inserted.comment_id, isInternal },
      isInternal,
      at: stamp,
    });
    await deps.outbox.add(trx, 'incident.attachment_added', {
      subject: locked.id,
      time: deps.clock.now(),
      data: { incident: toIncidentSnapshot(locked), actorId: caller.id, attachment: attachmentSnapshot(inserted) },
    });
    await within?.(trx);
    await trx('attachment_uploads').where({ storage_key: key }).delete();
    return inserted;
  });
}

/**
 * A file that arrives some other way than an upload (an attachment of a mail to the desk):
 * checked, stored and recorded exactly as an upload is — type recognised from its bytes, size
 * limit, scan — as the caller, public unless `isInternal`. `within` runs in the recording
 * transaction; if it throws, nothing is recorded and the stored object is removed.
 */
export async function attachStream(
  deps: IncidentDependencies,
  caller: Caller,
  incidentId: string,
  file: Readable,
  fileName: string,
  options: { commentId?: string | null; isInternal?: boolean; within?: (trx: Knex.Transaction) => Promise<void> } = {},
): Promise<Attachment> {
  const maxBytes = parseByteSize(deps.config.ATTACHMENT_MAX_BYTES);
  const key = `attachments/${incidentId}/${randomUUID()}`;
  await deps.db('attachment_uploads').insert({ storage_key: key });
  try {
    const inspector = new Inspector(fileName.trim().slice(0, 255) || 'attachment', maxBytes);
    const piped = pipeline(file, inspector);
    piped.catch(() => undefined);
    await deps.store.put(key, inspector, 'application/octet-stream');
    await piped;
    const row = await recordUpload(deps, caller, incidentId, { key, fileName: fileName.trim().slice(0, 255) || 'attachment', inspector, commentId: options.commentId ?? null, isInternal: options.isInternal ?? false }, options.within);
    deps.attachmentJobs?.kick();
    return toAttachment(row);
  } catch (error) {
    await deps.store
      .delete(key)
      .then(() => deps.db('attachment_uploads').where({ storage_key: key }).delete())
      .catch((cleanupError: unknown) => deps.logger.warn({ err: cleanupError, key }, 'could not remove a file that failed; the attachment job will'));
    throw error;
  }
}

/**
 * Reads the multipart body: form fields first, then exactly one part named `file`, which
 * `onFile` consumes; resolves once the body has been read to its end and `onFile` has finished.
 */
function receive(
  request: Request,
  maxBytes: number,
  onFile: (fields: Record<string, string>, fileName: string, file: Readable) => Promise<Inspector>,
): Promise<Received> {
  return new Promise<Received>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 8, fieldSize: 1024, parts: 10, fileSize: maxBytes + 1 } });
    } catch (error) {
      reject(attachmentErrors.malformed((error as Error).message));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Promise<Inspector> | undefined;
    let fileStream: Readable | undefined;
    let fileName = '';
    let failed = false;
    let finished = false;
    const fail = (cause: unknown) => {
      if (failed) return;
      const error = cause instanceof Error ? cause : new Error(String(cause));
      failed = true;
      request.unpipe(parser);
      // The rest of the body is read and dropped, so the answer reaches the client.
      request.resume();
      // The store stops taking the file and removes what it has, before anything else is decided.
      fileStream?.destroy(error);
      void (file ?? Promise.resolve()).then(
        () => reject(error),
        () => reject(error),
      );
    };
    request.once('close', () => {
      if (!request.complete && !finished) fail(new Error('the client closed the connection during the upload'));
    });
    parser.on('field', (name, value) => {
      if (file) return fail(attachmentErrors.malformed(`The form field "${name}" comes after the file; send form fields before the file part.`));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return fail(attachmentErrors.malformed(`The file part is named "${name}"; name it file.`));
      }
      fileName = info.filename?.trim().slice(0, 255) ?? '';
      fileStream = stream;
      // Handled where the file is piped; until then (the checks before storing), it must not go unheard.
      stream.on('error', () => undefined);
      stream.once('limit', () => stream.destroy(attachmentErrors.tooLarge(maxBytes)));
      file = onFile(fields, fileName, stream);
      file.catch(fail);
    });
    parser.on('filesLimit', () => fail(attachmentErrors.malformed('Send one file per request.')));
    parser.on('partsLimit', () => fail(attachmentErrors.malformed('The body has too many parts.')));
    parser.on('fieldsLimit', () => fail(attachmentErrors.malformed('The body has too many form fields.')));
    parser.on('error', (error: Error) => fail(attachmentErrors.malformed(`The multipart body is broken: ${error.message}.`)));
    parser.on('close', () => {
      finished = true;
      if (failed) return;
      if (!file) return fail(attachmentErrors.malformed('The body has no part named file.'));
      file.then((inspector) => resolve({ fields, fileName, inspector }), fail);
    });
    request.pipe(parser);
  });
}

