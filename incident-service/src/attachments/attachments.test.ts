import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { attachmentSchema, type Attachment, type TimelineEntry } from '@desk/contracts';
import { waitFor } from '@desk/testing';
import sharp from 'sharp';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

/** Every file under a directory, relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('attachments', () => {
  let h: IncidentHarness;
  let small: IncidentHarness;
  let categoryId: string;
  let smallCategoryId: string;
  let reporter: TestUser;
  let colleague: TestUser;
  let staff: TestUser;
  let manager: TestUser;
  let foreignStaff: TestUser;
  let smallReporter: TestUser;
  let png: Buffer;
  let readerService: string;

  before(async () => {
    [h, small] = await Promise.all([startIncidents({ ATTACHMENT_JOB_INTERVAL: '1h' }), startIncidents({ ATTACHMENT_MAX_BYTES: '64kb', ATTACHMENT_JOB_INTERVAL: '1h' })]);
    const department = await h.createDepartment();
    const otherDepartment = await h.createDepartment();
    categoryId = await h.createCategory(department);
    [reporter, colleague, staff, manager, foreignStaff] = await Promise.all([
      h.createUser('reporter'),
      h.createUser('reporter'),
      h.createUser('staff', department),
      h.createUser('manager', department),
      h.createUser('staff', otherDepartment),
    ]);
    readerService = await h.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read'] });
    smallCategoryId = await small.createCategory(await small.createDepartment());
    smallReporter = await small.createUser('reporter');
    png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#1d4ed8' } }).png().toBuffer();
  });
  after(async () => {
    await h?.close();
    await small?.close();
  });

  const upload = (harness: IncidentHarness, token: string, incident: string, file: Buffer, name: string, fields: Record<string, string> = {}) => {
    const call = harness.http.post(`/incidents/${incident}/attachments`).set('Authorization', `Bearer ${token}`);
    for (const [field, value] of Object.entries(fields)) void call.field(field, value);
    return call.attach('file', file, name);
  };
  const list = (token: string, incident: string) => h.http.get(`/incidents/${incident}/attachments`).set('Authorization', `Bearer ${token}`);
  const content = (token: string, id: string) =>
    h.http
      .get(`/attachments/${id}/content`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
  const timeline = async (token: string, incident: string) =>
    ((await h.http.get(`/incidents/${incident}/timeline`).set('Authorization', `Bearer ${token}`).query({ limit: 100 }).expect(200)).body as { items: TimelineEntry[] }).items;
  const stored = () => filesUnder(h.config.ATTACHMENT_DIR);
  const claims = async (harness: IncidentHarness) => Number((await harness.service.db('attachment_uploads').count<{ count: string }[]>('* as count'))[0]!.count);

  test('when a reporter attaches a screenshot, then it is stored, listed, downloadable byte for byte as a download, announced, and gets a thumbnail', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const response = await upload(h, reporter.token, incident.key, png, 'vpn error ✓.png').expect(201);
    const attachment = attachmentSchema.parse(response.body);
    assert.equal(response.headers.location, `/attachments/${attachment.id}`);
    assert.deepEqual(
      { fileName: attachment.fileName, contentType: attachment.contentType, sizeBytes: attachment.sizeBytes, sha256: attachment.sha256, isInternal: attachment.isInternal, status: attachment.status, uploadedById: attachment.uploadedById },
      { fileName: 'vpn error ✓.png', contentType: 'image/png', sizeBytes: png.length, sha256: sha256(png), isInternal: false, status: 'available', uploadedById: reporter.user.id },
    );

    const listed = (await list(staff.token, incident.id).expect(200)).body as { items: Attachment[] };
    assert.deepEqual(listed.items.map((item) => item.id), [attachment.id]);

    const download = await content(reporter.token, attachment.id).expect(200);
    assert.ok((download.body as Buffer).equals(png), 'the download is the upload, byte for byte');
    assert.equal(download.headers['content-type'], 'image/png');
    assert.equal(download.headers['content-disposition'], `attachment; filename="vpn error _.png"; filename*=UTF-8''vpn%20error%20%E2%9C%93.png`);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.match(String(download.headers['content-security-policy']), /sandbox/);
    assert.equal(download.headers.etag, `"${sha256(png)}"`);
    await content(reporter.token, attachment.id).set('If-None-Match', `"${sha256(png)}"`).expect(304);

    const [event] = await h.events.waitFor('incident.attachment_added', incident.id);
    assert.deepEqual(event!.data.attachment, { id: attachment.id, commentId: null, fileName: 'vpn error ✓.png', contentType: 'image/png', sizeBytes: png.length, isInternal: false, uploadedById: reporter.user.id });
    const entry = (await timeline(reporter.token, incident.id)).find((item) => item.action === 'attachment_added');
    assert.deepEqual(entry?.newValue, { attachmentId: attachment.id, fileName: 'vpn error ✓.png', contentType: 'image/png', sizeBytes: png.length, commentId: null, isInternal: false });

    await h.service.attachmentJobs.runOnce();
    const withThumbnail = ((await h.http.get(`/attachments/${attachment.id}`).set('Authorization', `Bearer ${reporter.token}`).expect(200)).body as Attachment);
    assert.equal(withThumbnail.thumbnailUrl, `/attachments/${attachment.id}/thumbnail`);
    const thumbnail = await h.http.get(withThumbnail.thumbnailUrl).set('Authorization', `Bearer ${reporter.token}`).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    }).expect(200);
    assert.equal(thumbnail.headers['content-type'], 'image/webp');
    const meta = await sharp(thumbnail.body as Buffer).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 320, 213]);
  });

  test('when staff attach an internal file, then reporters see it by no route: list, details, download, thumbnail, timeline', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const log = Buffer.from('2026-12-05T07:00:00Z vpn: tunnel reset by peer\n'.repeat(20));
    const internal = (await upload(h, staff.token, incident.id, log, 'gateway.log', { isInternal: 'true' }).expect(201)).body as Attachment;
    const image = (await upload(h, manager.token, incident.id, png, 'trace.png', { isInternal: 'true' }).expect(201)).body as Attachment;
    assert.equal(internal.isInternal, true);
    assert.equal(internal.contentType, 'text/plain');
    await h.service.attachmentJobs.runOnce();

    assert.deepEqual(((await list(reporter.token, incident.id).expect(200)).body as { items: Attachment[] }).items, []);
    for (const id of [internal.id, image.id]) {
      for (const url of [`/attachments/${id}`, `/attachments/${id}/content`, `/attachments/${id}/thumbnail`]) {
        const refused = await h.http.get(url).set('Authorization', `Bearer ${reporter.token}`).expect(404);
        assert.equal(refused.body.code, 'ATTACHMENT.NOT_FOUND');
      }
      await h.http.delete(`/attachments/${id}`).set('Authorization', `Bearer ${reporter.token}`).expect(404);
    }
    assert.equal((await timeline(reporter.token, incident.id)).filter((entry) => entry.action.startsWith('attachment')).length, 0);
    assert.equal((await timeline(staff.token, incident.id)).filter((entry) => entry.action === 'attachment_added').length, 2);
    assert.equal(((await list(staff.token, incident.id).expect(200)).body as { items: Attachment[] }).items.length, 2);
    const download = await content(staff.token, internal.id).expect(200);
    assert.equal(download.headers['content-type'], 'text/plain; charset=utf-8');
    assert.ok((download.body as Buffer).equals(log));

    // A reporter may not make one, nor attach to an internal note.
    const refused = await upload(h, reporter.token, incident.id, log, 'mine.log', { isInternal: 'true' }).expect(403);
    assert.equal(refused.body.code, 'COMMENT.INTERNAL_FORBIDDEN');
    const note = (await h.http.post(`/incidents/${incident.id}/comments`).set('Authorization', `Bearer ${staff.token}`).send({ content: 'Gateway logs attached.', isInternal: true }).expect(201)).body as { id: string };
    assert.equal((await upload(h, reporter.token, incident.id, log, 'mine.log', { commentId: note.id }).expect(404)).body.code, 'COMMENT.NOT_FOUND');
    // An internal note's attachment is internal, whatever the form said.
    const ofNote = (await upload(h, staff.token, incident.id, log, 'more.log', { commentId: note.id, isInternal: 'false' }).expect(201)).body as Attachment;
    assert.deepEqual([ofNote.commentId, ofNote.isInternal], [note.id, true]);
    const [added] = (await h.events.waitFor('incident.attachment_added', incident.id, 3)).filter((event) => event.data.attachment.id === ofNote.id);
    assert.equal(added!.data.attachment.isInternal, true);
  });

  test('when a file is not of an accepted type, or its name does not match its content, then it is refused with 415 naming the type, and nothing is stored', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const before = stored().length;
    const cases: [Buffer, string, RegExp][] = [
      [Buffer.from('<!doctype html><script>alert(1)</script>'), 'page.html', /content is text\/plain, but its name ends in \.html/],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'logo.svg', /ends in \.svg/],
      [png, 'invoice.pdf', /content is image\/png, but its name ends in \.pdf/],
      [Buffer.concat([Buffer.from('MZ'), Buffer.alloc(400, 0x90), Buffer.from('PE\0\0')]), 'readme.txt', /binary data|x-msdownload/],
      [Buffer.concat([Buffer.from('log line one\n'.repeat(400)), Buffer.from([0, 1, 2, 3]), Buffer.from('more\n')]), 'late-binary.txt', /binary data/],
    ];
    for (const [bytes, name, detail] of cases) {
      const response = await upload(h, reporter.token, incident.id, bytes, name);
      assert.equal(response.status, 415, `${name}: ${JSON.stringify(response.body)}`);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(response.body.code, 'ATTACHMENT.TYPE_REFUSED', name);
      assert.match(response.body.detail, detail, name);
    }
    assert.equal(stored().length, before);
    assert.equal(await claims(h), 0);
    assert.deepEqual(((await list(reporter.token, incident.id).expect(200)).body as { items: Attachment[] }).items, []);
  });

  test('when a file is over the limit, then 413 names the limit, whether the length was declared or streamed, and nothing is stored', async () => {
    const incident = await small.fileIncident(smallReporter, smallCategoryId);
    const big = Buffer.from('x'.repeat(100 * 1024));
    const declared = await upload(small, smallReporter.token, incident.id, big, 'big.log').expect(413);
    assert.equal(declared.body.code, 'ATTACHMENT.TOO_LARGE');
    assert.match(declared.body.detail, /64 KB limit/);
    assert.equal(declared.body.limitBytes, 65_536);

    // Chunked: no length to go by, so the limit is found while streaming.
    const server = small.service.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const boundary = 'desk-boundary-7f3a';
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: (server.address() as AddressInfo).port, method: 'POST', path: `/incidents/${incident.id}/attachments`, headers: { Authorization: `Bearer ${smallReporter.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.log"\r\nContent-Type: text/plain\r\n\r\n`);
        for (let i = 0; i < 10; i += 1) req.write(Buffer.from('y'.repeat(10 * 1024)));
        req.end(`\r\n--${boundary}--\r\n`);
      });
      assert.equal(answer.status, 413);
      assert.equal((JSON.parse(answer.body) as { code: string }).code, 'ATTACHMENT.TOO_LARGE');
    } finally {
      server.close();
    }
    await waitFor('the refused uploads leave nothing', async () => filesUnder(small.config.ATTACHMENT_DIR).length === 0 && (await claims(small)) === 0);
    // Exactly at the limit is fine.
    await upload(small, smallReporter.token, incident.id, Buffer.from('z'.repeat(64 * 1024)), 'exact.log').expect(201);
  });

  test('when the body is broken or has no file, then 400 says what to send, and an upload cut off by the client leaves nothing behind', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const before = stored().length;
    const noFile = await h.http.post(`/incidents/${incident.id}/attachments`).set('Authorization', `Bearer ${reporter.token}`).field('isInternal', 'false').expect(400);
    assert.equal(noFile.body.code, 'ATTACHMENT.MALFORMED_UPLOAD');
    assert.match(noFile.body.detail, /no part named file/);
    const wrongName = await h.http.post(`/incidents/${incident.id}/attachments`).set('Authorization', `Bearer ${reporter.token}`).attach('upload', png, 'a.png').expect(400);
    assert.match(wrongName.body.detail, /named "upload"; name it file/);
    const badField = await upload(h, reporter.token, incident.id, png, 'a.png', { isInternal: 'maybe' }).expect(400);
    assert.equal(badField.body.errors[0].path, '/isInternal');
    const json = await h.http.post(`/incidents/${incident.id}/attachments`).set('Authorization', `Bearer ${reporter.token}`).send({ file: 'x' }).expect(415);
    assert.match(json.body.detail, /multipart\/form-data/);

    const server = h.service.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const send = (finish: (req: http.ClientRequest) => void) =>
      new Promise<number | 'reset'>((resolve) => {
        const boundary = 'cut-boundary';
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/incidents/${incident.id}/attachments`, headers: { Authorization: `Bearer ${reporter.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', () => resolve('reset'));
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.png"\r\nContent-Type: image/png\r\n\r\n`);
        req.write(png.subarray(0, 60_000));
        finish(req);
      });
    try {
      // The body ends without its closing boundary: a broken body.
      assert.equal(await send((req) => req.end()), 400);
      // The client goes away mid-file.
      await send((req) => setTimeout(() => req.destroy(), 100));
    } finally {
      server.close();
    }
    await waitFor('the cut-off uploads leave no object and no claim', async () => stored().length === before && (await claims(h)) === 0).catch(async (error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify({ before, stored: stored(), claims: await claims(h) })}`);
    });
    assert.deepEqual(((await list(reporter.token, incident.id).expect(200)).body as { items: Attachment[] }).items, []);
  });

  test('when an attachment is deleted, then its uploader or the department may, it is in the timeline, and its object leaves the store', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const mine = (await upload(h, reporter.token, incident.id, png, 'mine.png').expect(201)).body as Attachment;
    const theirs = (await upload(h, staff.token, incident.id, Buffer.from('restart the agent\n'), 'steps.txt').expect(201)).body as Attachment;
    await h.service.attachmentJobs.runOnce();
    const objectsBefore = stored().length;

    const forbidden = await h.http.delete(`/attachments/${theirs.id}`).set('Authorization', `Bearer ${reporter.token}`).expect(403);
    assert.equal(forbidden.body.code, 'ATTACHMENT.DELETE_FORBIDDEN');
    await h.http.delete(`/attachments/${mine.id}`).set('Authorization', `Bearer ${foreignStaff.token}`).expect(404);
    await h.http.delete(`/attachments/${mine.id}`).set('Authorization', `Bearer ${colleague.token}`).expect(404);
    await h.http.delete(`/attachments/${mine.id}`).set('Authorization', `Bearer ${readerService}`).expect(403);

    await h.http.delete(`/attachments/${mine.id}`).set('Authorization', `Bearer ${reporter.token}`).expect(204);
    await h.http.delete(`/attachments/${theirs.id}`).set('Authorization', `Bearer ${manager.token}`).expect(204);
    await h.http.get(`/attachments/${mine.id}/content`).set('Authorization', `Bearer ${reporter.token}`).expect(404);

    const removed = (await timeline(reporter.token, incident.id)).filter((entry) => entry.action === 'attachment_removed');
    assert.deepEqual(
      removed.map((entry) => [entry.actorId, (entry.oldValue as { fileName: string }).fileName, entry.newValue]),
      [
        [reporter.user.id, 'mine.png', { reason: 'deleted' }],
        [manager.user.id, 'steps.txt', { reason: 'deleted' }],
      ],
    );
    const events = await h.events.waitFor('incident.attachment_removed', incident.id, 2);
    assert.deepEqual(events.map((event) => event.data.reason), ['deleted', 'deleted']);
    await h.service.attachmentJobs.runOnce();
    // The image, its thumbnail and the text file are gone.
    assert.equal(stored().length, objectsBefore - 3);
    assert.equal(Number((await h.service.db('attachment_deletions').count<{ count: string }[]>('* as count'))[0]!.count), 0);
  });

  test('when people who may not see the incident ask, then every route answers 404, and service accounts need their scope', async () => {
    const incident = await h.fileIncident(reporter, categoryId);
    const attachment = (await upload(h, reporter.token, incident.id, png, 'shot.png').expect(201)).body as Attachment;
    for (const outsider of [colleague, foreignStaff]) {
      assert.equal((await upload(h, outsider.token, incident.id, png, 'x.png').expect(404)).body.code, 'INCIDENT.NOT_FOUND');
      await list(outsider.token, incident.id).expect(404);
      for (const url of [`/attachments/${attachment.id}`, `/attachments/${attachment.id}/content`]) {
        assert.equal((await h.http.get(url).set('Authorization', `Bearer ${outsider.token}`).expect(404)).body.code, 'ATTACHMENT.NOT_FOUND');
      }
    }
    await h.http.get(`/attachments/not-a-uuid/content`).set('Authorization', `Bearer ${reporter.token}`).expect(404);
    await h.http.get(`/attachments/${attachment.id}/content`).expect(401);
    await list(readerService, incident.id).expect(200);
    await content(readerService, attachment.id).expect(200);
    assert.equal((await upload(h, readerService, incident.id, png, 'x.png').expect(403)).body.code, 'AUTH.INSUFFICIENT_SCOPE');
  });
});
