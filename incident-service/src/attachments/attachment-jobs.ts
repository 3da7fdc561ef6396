import { Readable } from 'node:stream';
import { THUMBNAIL_TYPES, type AttachmentType } from '@desk/contracts';
import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import sharp from 'sharp';
import { rowStamp, type Clock } from '../clock.js';
import { findIncidentForUpdate, toIncidentSnapshot } from '../incidents/incidents.repository.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { attachmentSnapshot, queueObjectDeletion, type AttachmentRow } from './attachments.repository.js';
import type { Clamd } from './clamd.js';
import { MissingObject, type AttachmentStore } from './storage.js';

export interface AttachmentJobsOptions {
  db: Knex;
  store: AttachmentStore;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** Set when uploads are scanned (CLAMD_URL). */
  clamd?: Clamd;
  intervalMs: number;
}

/** How long one job may hold an attachment before another replica may take it. */
const CLAIM_SECONDS = 120;
const BATCH = 5;
/** An upload whose claim is this old was cut off by a crash: its object, if any, goes. */
const STALE_UPLOAD_MINUTES = 60;
/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;

/**
 * What happens to an attachment after it is stored, in the background and on every replica:
 * the malware scan (when CLAMD_URL is set; the file is held until then), the thumbnail of an
 * image, removing deleted attachments' objects from the store, and removing the objects of
 * uploads a crash cut off. Work is claimed row by row (SKIP LOCKED, then a claim time), so
 * replicas share it and each attachment is scanned and announced once.
 */
export class AttachmentJobs {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly options: AttachmentJobsOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.again = false;
    await this.running;
  }

  /** Runs a round soon (after a new upload or a deletion), or once more after the one under way. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'attachment jobs failed; retrying next round'))
      .finally(() => {
        this.running = null;
        if (this.again && this.timer) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One round of everything, after the round under way if there is one; resolves when it is done (tests call it). */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    const round = this.round();
    this.running = round.catch(() => undefined).finally(() => {
      this.running = null;
    });
    await round;
  }

  private async round(): Promise<void> {
    while ((await this.processBatch()) === BATCH);
    await this.purgeDeleted();
    await this.removeStaleUploads();
  }

  private async processBatch(): Promise<number> {
    const { db } = this.options;
    const claimed = await db.transaction(async (trx) => {
      const rows = await trx('attachments')
        .select<AttachmentRow[]>('*')
        .whereNull('processed_at')
        .where((query) => query.whereNull('claimed_until').orWhere('claimed_until', '<', trx.fn.now()))
        .orderBy('created_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked();
      if (rows.length === 0) return [];
      await trx('attachments')
        .whereIn('id', rows.map((row) => row.id))
        .update({ claimed_until: trx.raw(`now() + interval '${CLAIM_SECONDS} seconds'`), processing_attempts: trx.raw('processing_attempts + 1') });
      return rows;
    });
    for (const row of claimed) {
      await this.process(row).catch((error: unknown) => {
        this.options.logger.warn({ err: error, attachmentId: row.id, attempt: row.processing_attempts + 1 }, 'processing an attachment failed; it is tried again later');
      });
    }
    return claimed.length;
  }

  private async process(row: AttachmentRow): Promise<void> {
    const { db, store, clamd } = this.options;
    if (row.status === 'scanning' && clamd) {
      const { body } = await store.get(row.storage_key);
      const result = await clamd.scan(body);
      if (!result.clean) {
        await this.removeInfected(row, result.signature);
        return;
      }
    }
    let thumbnailKey: string | null = row.thumbnail_key;
    if (THUMBNAIL_TYPES.includes(row.content_type as AttachmentType) && !thumbnailKey) {
      thumbnailKey = await this.thumbnail(row);
    }
    const updated = await db('attachments')
      .where({ id: row.id })
      .whereNull('processed_at')
      .update({ status: 'available', thumbnail_key: thumbnailKey, processed_at: db.fn.now(), claimed_until: null });
    // Deleted while it was being processed: its thumbnail would be left behind.
    if (updated === 0 && thumbnailKey && thumbnailKey !== row.thumbnail_key) await store.delete(thumbnailKey);
  }

  /** A WebP preview; null when the image cannot be read (the file stays, without a preview). */
  private async thumbnail(row: AttachmentRow): Promise<string | null> {
    const { store, logger } = this.options;
    const { body } = await store.get(row.storage_key);
    const resize = sharp({ limitInputPixels: 50_000_000, animated: false })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 });
    body.pipe(resize);
    body.once('error', (error) => resize.destroy(error));
    let image: Buffer;
    try {
      image = await resize.toBuffer();
    } catch (error) {
      if (error instanceof MissingObject) throw error;
      logger.info({ err: error, attachmentId: row.id }, 'no thumbnail: the image could not be read');
      return null;
    }
    const key = `${row.storage_key}.thumbnail.webp`;
    await store.put(key, Readable.from([image]), 'image/webp');
    return key;
  }

  private async removeInfected(row: AttachmentRow, signature: string): Promise<void> {
    const { db, outbox, clock, logger } = this.options;
    await db.transaction(async (trx) => {
      const incident = await findIncidentForUpdate(trx, row.incident_id);
      const current = await trx('attachments').select('status').where({ id: row.id }).forUpdate().first<{ status: string } | undefined>();
      if (!incident || !current || current.status !== 'scanning') return;
      await trx('attachments').where({ id: row.id }).update({ status: 'infected', status_reason: signature, processed_at: trx.fn.now(), claimed_until: null });
      await queueObjectDeletion(trx, [row.storage_key]);
      const stamp = rowStamp(clock);
      await appendTimeline(trx, {
        incidentId: row.incident_id,
        action: 'attachment_removed',
        actorId: null,
        oldValue: { attachmentId: row.id, fileName: row.file_name, contentType: row.content_type, sizeBytes: Number(row.size_bytes), commentId: row.comment_id },
        newValue: { reason: 'infected', signature },
        isInternal: row.is_internal,
        at: stamp,
      });
      await outbox.add(trx, 'incident.attachment_removed', {
        subject: row.incident_id,
        time: clock.now(),
        data: { incident: toIncidentSnapshot(incident), actorId: null, attachment: attachmentSnapshot(row), reason: 'infected' },
      });
    });
    logger.warn({ attachmentId: row.id, incidentId: row.incident_id, signature }, 'the malware scanner found something in an attachment; its content is deleted');
    await this.purgeDeleted();
  }

  /** Removes from the store what the database has already forgotten. */
  private async purgeDeleted(): Promise<void> {
    const { db, store, logger } = this.options;
    for (;;) {
      const done = await db.transaction(async (trx) => {
        const rows = await trx('attachment_deletions').select<{ id: string; storage_key: string }[]>('id', 'storage_key').orderBy('id').limit(50).forUpdate().skipLocked();
        const removed: string[] = [];
        for (const row of rows) {
          try {
            await store.delete(row.storage_key);
            removed.push(row.id);
          } catch (error) {
            logger.warn({ err: error, key: row.storage_key }, 'could not remove a deleted attachment from the store; trying again later');
            await trx('attachment_deletions').where({ id: row.id }).increment('attempts', 1);
          }
        }
        if (removed.length > 0) await trx('attachment_deletions').whereIn('id', removed).delete();
        return rows.length < 50 || removed.length === 0;
      });
      if (done) return;
    }
  }

  private async removeStaleUploads(): Promise<void> {
    const { db, store, logger } = this.options;
    const stale = await db('attachment_uploads')
      .select<{ storage_key: string }[]>('storage_key')
      .where('started_at', '<', db.raw(`now() - interval '${STALE_UPLOAD_MINUTES} minutes'`))
      .limit(100);
    for (const { storage_key: key } of stale) {
      try {
        await store.delete(key);
        await db('attachment_uploads').where({ storage_key: key }).delete();
        logger.info({ key }, 'removed what an interrupted upload left in the store');
      } catch (error) {
        logger.warn({ err: error, key }, 'could not remove an interrupted upload; trying again later');
      }
    }
  }
}
