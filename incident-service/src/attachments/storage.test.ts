import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Attachment } from '@desk/contracts';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';
import { FileSystemStore, MissingObject, S3Store, type AttachmentStore } from './storage.js';

/**
 * The S3 driver runs against s3rver: an S3-compatible server on the npm registry, so it runs
 * here and in CI with nothing else installed. MinIO, SeaweedFS and Garage come from neither npm
 * nor Debian's packages; docker-compose.yml runs SeaweedFS (docs/ARCHITECTURE.md, "Attachments").
 */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** 12 MiB in 1 MiB chunks: more than two parts of a multipart upload. */
function bigBody(fail?: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (fail && sent === 7) return this.destroy(fail);
      if (sent === 12) return this.push(null);
      this.push(Buffer.alloc(1024 * 1024, sent));
      sent += 1;
    },
  });
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('attachment stores', () => {
  let s3rver: S3rver;
  let endpoint: string;
  let s3Dir: string;
  let fsDir: string;
  const client = () => new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
  const objectsIn = async (bucket: string) => ((await client().send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((object) => object.Key);

  before(async () => {
    s3Dir = mkdtempSync(path.join(tmpdir(), 'desk-s3rver-'));
    fsDir = mkdtempSync(path.join(tmpdir(), 'desk-fs-store-'));
    s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir });
    const address = await s3rver.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  after(async () => {
    await s3rver?.close();
    rmSync(s3Dir, { recursive: true, force: true });
    rmSync(fsDir, { recursive: true, force: true });
  });

  const stores: [string, () => AttachmentStore, () => Promise<(string | undefined)[]>][] = [
    ['file system', () => new FileSystemStore(fsDir), () => Promise.resolve(readdirSync(fsDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name))],
    ['S3 (s3rver)', () => new S3Store({ endpoint, region: 'us-east-1', bucket: 'store-contract', forcePathStyle: true, ...CREDENTIALS }), () => objectsIn('store-contract')],
  ];

  for (const [name, makeStore, listed] of stores) {
    test(`${name}: a 12 MiB stream is stored, read back byte for byte and removed; a missing object is MissingObject; removing it twice is fine`, async () => {
      const store = makeStore();
      await store.check();
      await store.put('attachments/a/one', bigBody(), 'application/octet-stream');
      const { body, size } = await store.get('attachments/a/one');
      assert.equal(size, 12 * 1024 * 1024);
      const bytes = await readAll(body);
      assert.equal(bytes.length, size);
      assert.equal(bytes[5 * 1024 * 1024 + 3], 5);
      assert.equal(bytes[size - 1], 11);
      await store.delete('attachments/a/one');
      await store.delete('attachments/a/one');
      await assert.rejects(store.get('attachments/a/one'), MissingObject);
      assert.deepEqual(await listed(), []);
    });

    test(`${name}: a stream that fails half-way rejects the put and leaves nothing stored`, async () => {
      const store = makeStore();
      await assert.rejects(store.put('attachments/b/broken', bigBody(new Error('the client went away')), 'application/octet-stream'), /the client went away/);
      await assert.rejects(store.get('attachments/b/broken'), MissingObject);
      assert.deepEqual(await listed(), []);
    });
  }

  describe('incident-service on S3', () => {
    let h: IncidentHarness;
    let reporter: TestUser;
    let categoryId: string;

    before(async () => {
      h = await startIncidents({ ATTACHMENT_STORAGE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: 'desk-attachments-test', S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, ATTACHMENT_JOB_INTERVAL: '1h' });
      categoryId = await h.createCategory(await h.createDepartment());
      reporter = await h.createUser('reporter');
    });
    after(() => h?.close());

    test('when a reporter attaches a log and deletes it, then the object is in the bucket (created on first use) and then gone', async () => {
      const incident = await h.fileIncident(reporter, categoryId);
      const log = Buffer.from('vpn: tunnel reset\n'.repeat(500_000));
      const uploaded = await h.http.post(`/incidents/${incident.id}/attachments`).set('Authorization', `Bearer ${reporter.token}`).attach('file', log, 'vpn.log');
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      const attachment = uploaded.body as Attachment;
      assert.equal(attachment.sizeBytes, log.length);
      assert.deepEqual(await objectsIn('desk-attachments-test'), [`attachments/${incident.id}/${(await h.service.db('attachments').where({ id: attachment.id }).first<{ storage_key: string }>()).storage_key.split('/').pop()}`]);
      const download = await h.http
        .get(`/attachments/${attachment.id}/content`)
        .set('Authorization', `Bearer ${reporter.token}`)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      assert.ok((download.body as Buffer).equals(log));

      await h.http.delete(`/attachments/${attachment.id}`).set('Authorization', `Bearer ${reporter.token}`).expect(204);
      await h.service.attachmentJobs.runOnce();
      assert.deepEqual(await objectsIn('desk-attachments-test'), []);
    });
  });
});
