import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AppError } from '@everyskill/base/errors';
import { assertBlobKey, assertBlobPrefix, assertContentMatchesKey, isContentAddress, type BlobHead, type BlobInfo, type BlobStore } from './blob-store';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** Any S3-compatible endpoint (MinIO, R2, Ceph…); AWS when absent. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Static keys; when absent the SDK's default chain (instance role, env) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Short on purpose: an unreachable store must fail a request in seconds, not minutes. */
  connectTimeoutMs?: number;
  /** Socket inactivity, not total time: a large upload to a live store is never cut short. */
  socketTimeoutMs?: number;
  maxAttempts?: number;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NotFound' || name === 'NoSuchKey' || statusOf(error) === 404;
}

/** A blob store in an S3 bucket, through the AWS SDK v3. */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly where: string;
  private readonly uploads = new Map<string, Promise<boolean>>();

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.where = `bucket ${options.bucket} at ${options.endpoint ?? `AWS ${options.region}`}`;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: options.maxAttempts ?? 2,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: options.connectTimeoutMs ?? 2_000,
        socketTimeout: options.socketTimeoutMs ?? 5_000,
      }),
      // Checksums only where the API requires them: many S3-compatible stores reject the newer
      // default checksum headers, and content addresses already carry a SHA-256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Maps an SDK or network failure to the product's error; the secret key never appears in it. */
  private failure(action: string, error: unknown): AppError {
    if (error instanceof AppError) return error;
    const name = (error as { name?: string } | null)?.name ?? 'Error';
    const code = (error as { code?: string } | null)?.code;
    const status = statusOf(error);
    let why: string;
    if (code && NETWORK_CODES.has(code)) why = `cannot reach it (${code})`;
    else if (name === 'TimeoutError' || name === 'RequestTimeout' || /timeout/i.test(name)) why = 'it did not answer in time';
    else if (name === 'NoSuchBucket') why = 'the bucket does not exist';
    else if (status === 403 || name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
      why = `access was refused (${name}); check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY`;
    } else if (error instanceof S3ServiceException) why = `it answered ${status ?? '?'} ${name}`;
    else why = `${name}: ${error instanceof Error ? error.message : String(error)}`;
    return new AppError('unavailable', `blob store unavailable: could not ${action} in ${this.where}: ${why}`);
  }

  async put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<{ key: string; created: boolean }> {
    assertBlobKey(key);
    assertContentMatchesKey(key, bytes);
    // One upload per key at a time from this process; a concurrent put waits for it.
    const running = this.uploads.get(key);
    if (running) {
      await running;
      return { key, created: false };
    }
    const upload = this.upload(key, bytes, options.contentType);
    this.uploads.set(key, upload);
    try {
      return { key, created: await upload };
    } finally {
      this.uploads.delete(key);
    }
  }

  private async upload(key: string, bytes: Uint8Array, contentType: string): Promise<boolean> {
    // Check, then write: across processes two writers of a content address write the same bytes.
    const existing = await this.head(key);
    if (existing) {
      // S3 moves LastModified only by writing; a content address holds exactly these bytes, so
      // writing them again refreshes it and changes nothing else. Other keys are left alone.
      if (isContentAddress(key)) await this.write(key, bytes, existing.contentType);
      return false;
    }
    await this.write(key, bytes, contentType);
    return true;
  }

  private async write(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.byteLength, ContentType: contentType }));
    } catch (error) {
      throw this.failure(`write ${key}`, error);
    }
  }

  async get(key: string): Promise<Readable | null> {
    assertBlobKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage, a Readable.
      return (response.Body as Readable | undefined) ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.failure(`read ${key}`, error);
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    assertBlobKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: response.ContentLength ?? 0,
        lastModified: response.LastModified ?? new Date(0),
        contentType: response.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.failure(`read ${key}`, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw this.failure(`delete ${key}`, error);
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    assertBlobPrefix(prefix);
    try {
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
        }
      }
    } catch (error) {
      throw this.failure('list blobs', error);
    }
  }

  /** Closes the client's sockets (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}
