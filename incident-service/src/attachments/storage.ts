import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as S3 from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';
import type { Logger } from 'pino';
import type { IncidentConfig } from '../config.js';

type S3Sdk = typeof S3;

/** A stored object asked for that the store does not have. */
export class MissingObject extends Error {
  constructor(key: string) {
    super(`no stored object ${key}`);
  }
}

/**
 * Where attachments' bytes live, behind one interface: the local file system (standalone, one
 * machine) or S3-compatible object storage (compose, Kubernetes: every replica sees the same
 * objects). Keys are the platform's own (`attachments/<incident>/<uuid>`), never a file name.
 */
export interface AttachmentStore {
  readonly kind: 'fs' | 's3';
  /**
   * Stores what `body` yields under `key`. Resolves once it is all stored; rejects when `body`
   * fails or is destroyed (too large, wrong type, client gone), and then nothing is left under
   * `key` (a partial file is removed, a multipart upload aborted).
   */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The object's bytes as a stream; MissingObject when there is none. */
  get(key: string): Promise<{ body: Readable; size: number }>;
  /** Removes the object; removing one that is not there is no error. */
  delete(key: string): Promise<void>;
  /** For /health: throws when the store cannot be reached. */
  check(): Promise<void>;
}

/** Files under one directory; an upload is written beside its name and renamed when complete. */
export class FileSystemStore implements AttachmentStore {
  readonly kind = 'fs';
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`key outside the store: ${key}`);
    return resolved;
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<{ body: Readable; size: number }> {
    const file = this.pathOf(key);
    try {
      const { size } = await stat(file);
      return { body: createReadStream(file), size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingObject(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await statfs(this.root);
  }
}

export interface S3StoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/**
 * S3-compatible object storage through the AWS SDK v3. Uploads stream as a multipart upload in
 * 5 MiB parts, one part in memory at a time; a failed one is aborted, so no parts are left.
 * Checksums are sent only where the API requires them: the SDK's default (CRC32 trailers on
 * every upload, since 2025) is not understood by every S3-compatible server.
 */
export class S3Store implements AttachmentStore {
  readonly kind = 's3';
  private sdk?: Promise<{ client: S3.S3Client; s3: S3Sdk; Upload: typeof Upload }>;
  private bucketReady?: Promise<void>;

  constructor(
    private readonly options: S3StoreOptions,
    private readonly logger?: Logger,
  ) {}

  /** The SDK is loaded on first use: installations on the file system never load it. */
  private load() {
    this.sdk ??= (async () => {
      const [s3, { Upload }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
      const { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle } = this.options;
      const client = new s3.S3Client({
        region,
        forcePathStyle,
        ...(endpoint ? { endpoint } : {}),
        ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      });
      return { client, s3, Upload };
    })();
    return this.sdk;
  }

  /** Creates the bucket when it is missing (a new installation); once per process. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      const { client, s3 } = await this.load();
      try {
        await client.send(new s3.HeadBucketCommand({ Bucket: this.options.bucket }));
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== 404) throw error;
        this.logger?.info({ bucket: this.options.bucket }, 'creating the attachments bucket');
        await client.send(new s3.CreateBucketCommand({ Bucket: this.options.bucket })).catch((createError: unknown) => {
          if ((createError as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw createError;
        });
      }
    })().catch((error: unknown) => {
      this.bucketReady = undefined;
      throw error;
    });
    return this.bucketReady;
  }

  async put(key: string, body: Readable, contentType: string): Promise<void> {
    await this.ensureBucket();
    const { client, Upload } = await this.load();
    // Parts are cleaned up here rather than by the library, so the error that stopped the upload
    // is the one reported, not a failure to abort it.
    const upload = new Upload({ client, params: { Bucket: this.options.bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 1, partSize: 5 * 1024 * 1024, leavePartsOnError: true });
    // A body that fails (too large, client gone) must end the upload, not leave it waiting.
    const failed = new Promise<never>((_resolve, reject) => {
      body.once('error', reject);
    });
    try {
      await Promise.race([upload.done(), failed]);
    } catch (error) {
      await upload.abort().catch((abortError: unknown) => this.logger?.warn({ err: abortError, key }, 'could not abort a failed multipart upload; the bucket\'s lifecycle rule for incomplete uploads removes its parts'));
      // A small body goes as one PutObject, which may have completed before the failure surfaced.
      await this.delete(key).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<{ body: Readable; size: number }> {
    await this.ensureBucket();
    const { client, s3 } = await this.load();
    try {
      const object = await client.send(new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { body: object.Body as Readable, size: Number(object.ContentLength ?? 0) };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') throw new MissingObject(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.ensureBucket();
    const { client, s3 } = await this.load();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async check(): Promise<void> {
    await this.ensureBucket();
  }
}

export function createAttachmentStore(config: IncidentConfig, logger?: Logger): AttachmentStore {
  if (config.ATTACHMENT_STORAGE === 's3') {
    return new S3Store(
      {
        ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
        region: config.S3_REGION,
        bucket: config.S3_BUCKET,
        ...(config.S3_ACCESS_KEY_ID ? { accessKeyId: config.S3_ACCESS_KEY_ID } : {}),
        ...(config.S3_SECRET_ACCESS_KEY ? { secretAccessKey: config.S3_SECRET_ACCESS_KEY } : {}),
        forcePathStyle: config.S3_FORCE_PATH_STYLE,
      },
      logger,
    );
  }
  return new FileSystemStore(config.ATTACHMENT_DIR);
}
