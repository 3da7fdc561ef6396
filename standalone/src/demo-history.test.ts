import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnalyticsSummary, AnalyticsTrends, Incident, TimelineEntry } from '@desk/contracts';
import { freePort, waitFor } from '@desk/testing';
import { DEMO_PASSWORD } from './config.js';
import { ADMIN, ApiClient } from './test-support/platform.js';

// `npm start` as a newcomer runs it (embedded Postgres, in-process events, no portal): the demo
// organisation comes with eight weeks of history, written through incident-service's use cases
// at the instants it happened, so analytics, lists and timelines have something to show.

const repositoryRoot = path.resolve(__dirname, '..', '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-demo-history-'));
const DAY = 86_400_000;

describe('the demo organisation with eight weeks of history (npm start)', () => {
  let output = '';
  let exited: Promise<number | null>;
  let stop: () => void;
  let admin: ApiClient;
  let gatewayUrl: string;
  let historyIncidents = 0;

  before(async () => {
    const ports = Object.fromEntries(
      await Promise.all(['GATEWAY_PORT', 'IDENTITY_PORT', 'INCIDENT_PORT', 'NOTIFICATION_PORT', 'ANALYTICS_PORT', 'INBOUND_SMTP_PORT', 'EMBEDDED_POSTGRES_PORT'].map(async (name) => [name, String(await freePort())])),
    );
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'standalone/src/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORTAL: 'false', ...ports },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    stop = () => child.kill('SIGTERM');
    await waitFor('the platform to report itself running', () => output.includes('The incident platform is running.') || child.exitCode !== null, { timeoutMs: 600_000, intervalMs: 200 });
    assert.ok(output.includes('The incident platform is running.'), `the launcher stopped:\n${output.slice(-3000)}`);
    gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    admin = new ApiClient(gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
  });

  after(async () => {
    stop?.();
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the seed reports what it wrote and how long it took', () => {
    const history = /history: (\d+) incidents, (\d+) changes, (\d+) SLA breaches marked, (\d+) closed automatically, in ([\d.]+) s \(([\d.]+) s of CPU\)/.exec(output);
    const ready = /Demo organisation ready in ([\d.]+) s/.exec(output);
    assert.ok(history && ready, `the seed's figures are in the launcher's output:\n${output}`);
    historyIncidents = Number(history[1]);
    process.stdout.write(`demo history: ${history[0]}; whole demo ready in ${ready[1]} s\n`);
    assert.ok(historyIncidents >= 300 && historyIncidents <= 700, `several hundred incidents (${historyIncidents})`);
    assert.ok(Number(history[3]) > 0 && Number(history[4]) > 0, 'SLA rounds of the history marked breaches and closed resolved incidents');
    // Generous: this machine is shared; the figure is in the log for a person to judge.
    assert.ok(Number(ready[1]) < 600, `the demo took ${ready[1]} s`);
  });

  test('analytics show response and resolution times, an SLA below 100 %, re-openings and cancellations', async () => {
    const total = historyIncidents + 24;
    let summary!: AnalyticsSummary;
    await waitFor(`analytics to count all ${total} incidents`, async () => {
      summary = (await admin.call<AnalyticsSummary>('GET', '/analytics/summary')).body;
      return summary.total === total && summary.reopen.reopened > 0;
    }, { timeoutMs: 120_000, intervalMs: 500 });
    assert.ok(summary.mtta.meanSeconds! > 5 * 60, `mean time to acknowledge ${summary.mtta.meanSeconds} s`);
    assert.ok(summary.mttr.meanSeconds! > 3 * 3600, `mean time to resolve ${summary.mttr.meanSeconds} s`);
    for (const target of ['response', 'resolution'] as const) {
      const { compliance, breached } = summary.sla[target];
      assert.ok(breached > 0 && compliance! > 0.8 && compliance! < 1, `${target} compliance ${compliance} (${breached} breached)`);
    }
    assert.ok(summary.byStatus.CANCELLED >= 5, `cancelled: ${summary.byStatus.CANCELLED}`);
    assert.ok(summary.byStatus.CLOSED > summary.byStatus.RESOLVED, 'most resolved incidents were closed, by their reporter or the platform');
    assert.ok(summary.byPriority.CRITICAL > 0 && summary.byPriority.CRITICAL < summary.byPriority.MEDIUM, 'few critical ones');
    assert.ok(summary.reopen.rate! > 0.01 && summary.reopen.rate! < 0.2, `re-open rate ${summary.reopen.rate}`);
  });

  test('the weekly trend spreads over eight weeks', async () => {
    const { body } = await admin.call<AnalyticsTrends>('GET', '/analytics/trends?interval=week');
    const busy = body.points.filter((point) => point.created > 0);
    assert.ok(busy.length >= 8, `weeks with incidents: ${busy.map((point) => `${point.start}: ${point.created}`).join(', ')}`);
    assert.ok(Math.max(...busy.map((point) => point.created)) < 4 * Math.min(...busy.slice(1, -1).map((point) => point.created)), 'no single spike');
  });

  test('incidents and their timelines tell the back-dated times in order', async () => {
    const old = await admin.call<{ items: Incident[] }>('GET', `/incidents?createdTo=${encodeURIComponent(new Date(Date.now() - 14 * DAY).toISOString())}&limit=100`);
    assert.ok(old.body.items.length === 100, 'a hundred incidents older than two weeks');
    for (const incident of old.body.items) {
      const created = Date.parse(incident.createdAt);
      if (incident.respondedAt) assert.ok(Date.parse(incident.respondedAt) > created, `${incident.key} responded after it was reported`);
      if (incident.resolvedAt) assert.ok(Date.parse(incident.resolvedAt) > Date.parse(incident.respondedAt!), `${incident.key} resolved after the response`);
      if (incident.closedAt) assert.ok(Date.parse(incident.closedAt) >= Date.parse(incident.resolvedAt ?? incident.createdAt), `${incident.key} closed last`);
      assert.ok(Date.parse(incident.updatedAt) < Date.now() - DAY, `${incident.key} last changed when its history did, not today`);
    }
    const reopened = (await admin.call<{ items: Incident[] }>('GET', '/incidents?status=CLOSED&limit=100&sort=createdAt')).body.items.find((incident) => incident.reopenCount > 0);
    assert.ok(reopened, 'a closed incident that was re-opened on the way');
    const timeline = (await admin.call<{ items: TimelineEntry[] }>('GET', `/incidents/${reopened.key}/timeline?limit=100`)).body.items;
    const times = timeline.map((entry) => Date.parse(entry.createdAt));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'entries in time order');
    assert.equal(times[0], Date.parse(reopened.createdAt), 'the timeline starts when the incident was reported');
    const statuses = timeline.filter((entry) => entry.action === 'status_changed').map((entry) => (entry.newValue as { status: string }).status);
    assert.deepEqual(statuses.filter((status) => status === 'RESOLVED').length, 2, `resolved twice: ${statuses.join(' → ')}`);
    assert.ok(timeline.some((entry) => entry.action === 'commented'), 'comments on the way');
    const breached = (await admin.call<{ items: Incident[] }>('GET', `/incidents?breached=true&createdTo=${encodeURIComponent(new Date(Date.now() - 14 * DAY).toISOString())}&limit=5`)).body.items;
    assert.ok(breached.length > 0, 'breached incidents in the history');
    for (const incident of breached) {
      const breachedAt = Date.parse(incident.responseBreachedAt ?? incident.resolutionBreachedAt!);
      const due = Date.parse(incident.responseBreachedAt ? incident.responseDueAt! : incident.resolutionDueAt!);
      assert.ok(breachedAt > due && breachedAt < due + 3 * DAY, `${incident.key} marked breached after it was due, back then (${incident.responseBreachedAt ?? incident.resolutionBreachedAt})`);
    }
  });

  test('nobody was notified or mailed about the history: inboxes and the mailbox hold today only', async () => {
    const mails = readdirSync(path.join(dataDir, 'mail')).filter((name) => name.endsWith('.eml'));
    // Today's 24 incidents send about a hundred mails; the history alone would send thousands.
    assert.ok(mails.length < 200, `${mails.length} mails`);
    // The IT manager is told in-app of every new IT incident and every breach: some 150 in the history.
    const manager = new ApiClient(gatewayUrl);
    await manager.signIn('manager.it@example.com', DEMO_PASSWORD);
    const { body } = await manager.call<{ unreadCount: number }>('GET', '/notifications?limit=1');
    assert.ok(body.unreadCount > 0 && body.unreadCount < 40, `the IT manager has ${body.unreadCount} unread notifications`);
  });
});
