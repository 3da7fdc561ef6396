import type { Knex } from 'knex';
import { Gauge, type Registry } from 'prom-client';

const STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;

/**
 * Mail deliveries by status on notification-service's `/metrics` (read when Prometheus scrapes):
 * a growing PENDING or any FAILED is what its alert rules watch. SENT and FAILED count the mail
 * of the last day only, so the scrape stays cheap however much mail the desk has sent.
 */
export function mailMetrics(registry: Registry, db: Knex): void {
  new Gauge({
    name: 'desk_mail_deliveries',
    help: 'Mail deliveries by status: all PENDING and SENDING; SENT and FAILED among those of the last 24 hours.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      // A database that does not answer leaves the last values: /metrics still reports the rest.
      const result = await db.raw<{ rows: { status: string; count: string }[] }>(
        // Each part reads an index (the partial ones of the worker, the listing's created_at).
        `select 'PENDING' as status, count(*) as count from deliveries where status = 'PENDING'
         union all select 'SENDING', count(*) from deliveries where status = 'SENDING'
         union all select status::text, count(*) from deliveries
                    where created_at > now() - interval '1 day' and status in ('SENT', 'FAILED') group by status`,
      ).catch(() => undefined);
      if (!result) return;
      for (const status of STATUSES) this.set({ status }, Number(result.rows.find((row) => row.status === status)?.count ?? 0));
    },
  });
}
