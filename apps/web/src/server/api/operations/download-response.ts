import 'server-only';
import { createHash } from 'node:crypto';
import { apiDownloadQuery, parseSkillRef, skillRef } from '@everyskill/contracts';
import { invalidInput } from '@everyskill/core';
import { parseInput } from '@everyskill/core/parse-input';
import { downloadSkillBundle } from '@everyskill/core/skills/download-skill-bundle';
import { recordInstall } from '@everyskill/core/skills/record-install';
import { ifNoneMatchHits } from '../api-response';
import { parseQuery } from '../request-input';
import { withBlobs } from '../skills-ctx';
import type { ApiCtx } from './serve-operation';

/**
 * The skill folder as zip (default) or tar.gz; `name@version` or `?version=` pins a version.
 * ETag = SHA-256 of the archive; a matching If-None-Match gets 304 and counts no install, and so
 * does HEAD. An `Idempotency-Key` header makes retries of one download count as one install.
 */
export async function downloadResponse(request: Request, ctx: ApiCtx, refText: string): Promise<Response> {
  const ref = parseSkillRef(parseInput(skillRef, refText));
  const query = parseQuery(request, apiDownloadQuery);
  if (ref.version && query.version && ref.version !== query.version) {
    throw invalidInput(`the address pins ${ref.version} but ?version= asks for ${query.version}; give one`);
  }
  const download = await downloadSkillBundle(withBlobs(ctx), {
    slug: ref.slug,
    version: ref.version ?? query.version,
    format: query.format ?? 'zip',
    countInstall: false,
  });
  // Bundles are bounded by the bundle limits: hashing the whole archive in memory is fine.
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
  const headers = { etag, 'cache-control': 'private, no-cache' };
  if (ifNoneMatchHits(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  // HEAD (served by GET's handler) fetches nothing, so it installs nothing; a retried download that
  // repeats its Idempotency-Key counts once.
  if (request.method !== 'HEAD') {
    // Scoped to the person, as usage events are, so nobody can pre-empt another person's key.
    const given = request.headers.get('idempotency-key')?.trim();
    const idempotencyKey = given ? `${ctx.actor.userId}:download:${given.slice(0, 150)}` : undefined;
    await recordInstall(ctx, { slug: ref.slug, version: download.version, source: 'api', ...(idempotencyKey ? { idempotencyKey } : {}) });
  }
  return new Response(bytes, {
    headers: {
      ...headers,
      'content-type': download.contentType,
      'content-length': String(bytes.byteLength),
      'content-disposition': `attachment; filename="${download.fileName}"`,
    },
  });
}
