import { incidentSnapshotSchema, type RebuildResult } from '@desk/contracts';
import { AppError, internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { FACT_TABLE, NEXT_FACT_TABLE } from '../migrations.js';
import { rebuildInProgress, upsertFacts } from './facts.repository.js';

export interface RebuildOptions {
  db: Knex;
  logger: Logger;
  incidentUrl: string;
  internalToken?: string | undefined;
  /** Drop what an interrupted rebuild left behind instead of refusing to start. */
  force?: boolean;
  /** Called after each page with the number of incidents replayed so far. */
  onProgress?: (incidents: number) => void;
}

export const rebuildErrors = {
  running: () =>
    AppError.conflict(
      'ANALYTICS.REBUILD_RUNNING',
      'A rebuild of the analytics model is already running. Wait for it to finish; if one was interrupted, run `npm run rebuild -w @desk/analytics-service -- --force`.',
    ),
};

/**
 * Rebuilds the fact table from incident-service's internal listing and swaps it in: a fresh
 * table is filled page by page while events keep flowing (the consumer writes them to both
 * tables meanwhile, and the newer version of a fact always wins), then the two are swapped under
 * a lock in one transaction and the model's generation bumped so every replica reloads. If
 * anything fails, the current model stays as it was.
 */
export async function rebuildFacts(options: RebuildOptions): Promise<RebuildResult> {
  const { db, logger } = options;
  const started = Date.now();
  if (await rebuildInProgress(db)) {
    if (!options.force) throw rebuildErrors.running();
    logger.warn('dropping the table an interrupted rebuild left behind');
    await db.schema.dropTableIfExists(NEXT_FACT_TABLE);
  }
  try {
    // From here on the consumer writes every event to the new table as well. Two rebuilds
    // asked for at once take turns here: Postgres's catalog does not serialise two concurrent
    // CREATE TABLEs of one name (the loser fails on a catalog index, 23505, not with 42P07).
    await db.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext('analytics.rebuild'))");
      await trx.raw('create table ?? (like ?? including all)', [NEXT_FACT_TABLE, FACT_TABLE]);
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P07' || code === '23505') throw rebuildErrors.running(); // another rebuild started first
    throw error;
  }
  try {
    let incidents = 0;
    for await (const page of internalListing({
      baseUrl: options.incidentUrl,
      path: '/internal/incidents',
      item: incidentSnapshotSchema,
      token: options.internalToken,
      limit: 1000,
      timeoutMs: 60_000,
    })) {
      await upsertFacts(db, page, NEXT_FACT_TABLE);
      incidents += page.length;
      options.onProgress?.(incidents);
    }
    const rebuiltAt = await db.transaction(async (trx) => {
      await trx.raw('lock table ??, ?? in access exclusive mode', [FACT_TABLE, NEXT_FACT_TABLE]);
      await trx.raw('alter table ?? rename to facts_replaced', [FACT_TABLE]);
      await trx.raw('alter table ?? rename to ??', [NEXT_FACT_TABLE, FACT_TABLE]);
      await trx.raw('drop table facts_replaced');
      const state = await trx.raw<{ rows: { rebuilt_at: Date }[] }>(
        'update model_state set generation = generation + 1, rebuilt_at = now() where id = 1 returning rebuilt_at',
      );
      return state.rows[0]!.rebuilt_at;
    });
    const count = await db.raw<{ rows: { count: number }[] }>('select count(*)::int as count from ??', [FACT_TABLE]);
    const result: RebuildResult = { incidents: count.rows[0]!.count, durationMs: Date.now() - started, rebuiltAt: rebuiltAt.toISOString() };
    logger.info({ ...result, replayed: incidents }, 'analytics model rebuilt from incident-service');
    return result;
  } catch (error) {
    await db.schema.dropTableIfExists(NEXT_FACT_TABLE).catch(() => undefined);
    throw error;
  }
}
