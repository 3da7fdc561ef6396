import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Attachment, TimelineEntry } from '@desk/contracts';
import { freePort, waitFor } from '@desk/testing';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';
import { Clamd } from './clamd.js';

const CLAMD = '/usr/sbin/clamd';

/**
 * The EICAR test file, the antivirus industry's harmless stand-in for malware, put together here
 * so that no scanner flags this source file. clamd runs with a signature database of its own
 * holding only EICAR's hash: no download of ClamAV's databases is needed.
 */
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');
const EICAR_SIGNATURE = '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature';

describe('malware scanning with clamd', () => {
  let clamd: ChildProcess;
  let dir: string;
  let port: number;
  let h: IncidentHarness;
  let reporter: TestUser;
  let staff: TestUser;
  let categoryId: string;

  before(async () => {
    assert.ok(existsSync(CLAMD), `clamd is not installed (${CLAMD}); install it with: apt-get install -y clamav-daemon`);
    dir = mkdtempSync(path.join(tmpdir(), 'desk-clamd-'));
    mkdirSync(path.join(dir, 'db'));
    writeFileSync(path.join(dir, 'db', 'eicar.hdb'), `${EICAR_SIGNATURE}\n`);
    port = await freePort();
    writeFileSync(
      path.join(dir, 'clamd.conf'),
      [`Foreground yes`, `TCPSocket ${port}`, `TCPAddr 127.0.0.1`, `DatabaseDirectory ${path.join(dir, 'db')}`, `LogFile ${path.join(dir, 'clamd.log')}`, `PidFile ${path.join(dir, 'clamd.pid')}`, `StreamMaxLength 30M`].join('\n') + '\n',
    );
    clamd = spawn(CLAMD, [`--config-file=${path.join(dir, 'clamd.conf')}`], { stdio: 'ignore' });
    const scanner = new Clamd(new URL(`tcp://127.0.0.1:${port}`), 5_000);
    await waitFor('clamd answers PING', () => scanner.ping().then(() => true, () => false), { timeoutMs: 60_000, intervalMs: 200 });

    h = await startIncidents({ CLAMD_URL: `tcp://127.0.0.1:${port}`, ATTACHMENT_JOB_INTERVAL: '1h' });
    const department = await h.createDepartment();
    categoryId = await h.createCategory(department);
    [reporter, staff] = await Promise.all([h.createUser('reporter'), h.createUser('staff', department)]);
  });
  after(async () => {
    await h?.close();
    clamd?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const upload = (token: string, incident: string, file: Buffer, name: string) =>
    h.http.post(`/incidents/${incident}/attachments`).set('Authorization', `Bearer ${token}`).attach('file', file, name);
  const details = async (token: string, id: string) => (await h.http.get(`/attachments/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body as Attachment;

  test('when a clean file is uploaded, then it is held while scanning (409 with Retry-After), and available once clamd has read it', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const attachment = (await upload(reporter.token, incident.id, Buffer.from('The printer shows error E-13.\n'), 'printer.txt').expect(201)).body as Attachment;
    assert.deepEqual([attachment.status, attachment.contentUrl], ['scanning', null]);
    const held = await h.http.get(`/attachments/${attachment.id}/content`).set('Authorization', `Bearer ${reporter.token}`).expect(409);
    assert.equal(held.body.code, 'ATTACHMENT.SCANNING');
    assert.ok(Number(held.headers['retry-after']) > 0);

    await h.service.attachmentJobs.runOnce();
    const scanned = await details(reporter.token, attachment.id);
    assert.deepEqual([scanned.status, scanned.contentUrl], ['available', `/attachments/${attachment.id}/content`]);
    await h.http.get(scanned.contentUrl!).set('Authorization', `Bearer ${reporter.token}`).expect(200);
  });

  test('when an infected file is uploaded, then clamd finds it, its content is deleted, and the timeline and an event say so', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const attachment = (await upload(reporter.token, incident.id, Buffer.from(EICAR), 'invoice.txt').expect(201)).body as Attachment;
    const objectsBefore = readdirSync(h.config.ATTACHMENT_DIR, { recursive: true }).length;
    await h.service.attachmentJobs.runOnce();

    const infected = await details(staff.token, attachment.id);
    assert.deepEqual([infected.status, infected.statusReason, infected.contentUrl], ['infected', 'Eicar-Test-Signature.UNOFFICIAL', null]);
    const gone = await h.http.get(`/attachments/${attachment.id}/content`).set('Authorization', `Bearer ${reporter.token}`).expect(410);
    assert.equal(gone.body.code, 'ATTACHMENT.INFECTED');
    assert.match(gone.body.detail, /Eicar-Test-Signature/);
    assert.ok(readdirSync(h.config.ATTACHMENT_DIR, { recursive: true }).length < objectsBefore, 'the infected object is removed from the store');

    const timeline = ((await h.http.get(`/incidents/${incident.id}/timeline`).set('Authorization', `Bearer ${reporter.token}`).expect(200)).body as { items: TimelineEntry[] }).items;
    const removed = timeline.find((entry) => entry.action === 'attachment_removed');
    assert.deepEqual([removed?.actorId, removed?.newValue], [null, { reason: 'infected', signature: 'Eicar-Test-Signature.UNOFFICIAL' }]);
    const [event] = await h.events.waitFor('incident.attachment_removed', incident.id);
    assert.deepEqual([event!.data.reason, event!.data.actorId, event!.data.attachment.id], ['infected', null, attachment.id]);

    // Scanned once: another round changes nothing.
    await h.service.attachmentJobs.runOnce();
    assert.equal(h.events.about('incident.attachment_removed', incident.id).length, 1);
  });
});
