import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorResponse, requestIdOf } from '@/server/api/api-response';
import { AppError } from '@everyskill/core';

export const dynamic = 'force-dynamic';

// The standalone server runs in its app folder, where the build put the tarball
// (scripts/assemble-standalone.mjs); `next dev` runs in apps/web, beside the cli package's build.
const CANDIDATES = ['cli/everyskill.tgz', '../../packages/cli/dist/everyskill.tgz'];

let cached: { bytes: Buffer; etag: string } | null = null;

async function tarball(): Promise<{ bytes: Buffer; etag: string } | null> {
  if (cached) return cached;
  for (const candidate of CANDIDATES) {
    // Read at run time from the server's folder; not a build input, so the tracer ignores it.
    const bytes = await readFile(/*turbopackIgnore: true*/ path.resolve(/*turbopackIgnore: true*/ process.cwd(), candidate)).catch(() => null);
    if (bytes) return (cached = { bytes, etag: `"${createHash('sha256').update(bytes).digest('hex')}"` });
  }
  return null;
}

/** The everyskill command built with this server, as an npm-installable tarball: `npm i -g <this URL>`. */
export async function GET(request: Request): Promise<Response> {
  const found = await tarball();
  if (!found) {
    return errorResponse(new AppError('unavailable', 'this server was built without the everyskill command; run pnpm build'), requestIdOf(request));
  }
  const headers = { 'content-type': 'application/gzip', etag: found.etag, 'cache-control': 'no-cache', 'content-disposition': 'attachment; filename="everyskill.tgz"' };
  if (request.headers.get('if-none-match') === found.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(found.bytes), { headers: { ...headers, 'content-length': String(found.bytes.length) } });
}
