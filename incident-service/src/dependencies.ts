import type { HttpMetrics } from '@desk/platform';
import type { EventBus, Outbox, ParkingLot } from '@desk/messaging';
import type { ReplicaKeeper } from '@desk/replica';
import type { Clock } from './clock.js';
import type { IncidentConfig } from './config.js';
import type { AttachmentJobs } from './attachments/attachment-jobs.js';
import type { AttachmentStore } from './attachments/storage.js';
import type { Clamd } from './attachments/clamd.js';
import type { IncidentStreams } from './incidents/incident-stream.js';
import type { RecentSearch } from './incidents/recent-search.js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';

// What the service's routes and use cases are built from. Its own module, so that they import
// it without importing app.ts, which imports them.
export interface IncidentDependencies {
  /** The service's parked events, which the gateway's admin API reaches through /internal/events/parked. */
  parking: ParkingLot;
  config: IncidentConfig;
  db: Knex;
  bus: EventBus;
  outbox: Outbox;
  logger: Logger;
  /** The time of every change: the real clock, or one set in the past to replay history (clock.ts). */
  clock: Clock;
  /** The user and department replica: catch-ups, and the check of the accounts behind tokens. */
  replica: ReplicaKeeper<object>;
  /** The live change streams (`GET /incidents/stream`). */
  streams: IncidentStreams;
  /** Where attachments' bytes are kept (the file system or S3-compatible storage). */
  store: AttachmentStore;
  /** Scans and thumbnails new attachments, removes deleted ones' objects; kicked after uploads and deletions. */
  attachmentJobs?: AttachmentJobs;
  /** The malware scanner uploads are held for (CLAMD_URL), if any. */
  clamd?: Clamd;
  /** The service's metrics registry (`/metrics`), with the event spine's metrics on it. */
  metrics?: HttpMetrics;
  /** The full-text index of recent incidents, which searches ask first (incidents/recent-search.ts). */
  recentSearch?: RecentSearch;
}
