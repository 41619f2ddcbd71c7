import { Readable } from 'node:stream';
import { httpStatusOf, isAppError } from '@everyskill/core';
import { downloadSkillBundle } from '@everyskill/core/skills/download-skill-bundle';
import type { NextRequest } from 'next/server';
import { withBlobs } from '@/server/api/skills-ctx';
import { logger } from '@/server/logger';
import { getSignedInMember, memberCtx } from '@/server/session';

export const dynamic = 'force-dynamic';

/** The portal's "Download .zip" (or ?format=tar.gz): streams the bundle and counts an install from the portal. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const member = await getSignedInMember();
  if (!member) {
    return new Response(null, { status: 303, headers: { location: `/sign-in?callbackUrl=${encodeURIComponent(`/skills/${slug}`)}` } });
  }
  const query = request.nextUrl.searchParams;
  try {
    const download = await downloadSkillBundle(withBlobs(await memberCtx(member)), {
      slug,
      version: query.get('version') || undefined,
      format: query.get('format') || undefined,
      source: 'portal',
    });
    // node:stream/web's ReadableStream is the same object as the global one; only the types differ.
    return new Response(Readable.toWeb(download.body) as ReadableStream, {
      headers: {
        'content-type': download.contentType,
        ...(download.size !== null ? { 'content-length': String(download.size) } : {}),
        'content-disposition': `attachment; filename="${download.fileName}"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    if (isAppError(error)) return new Response(`${error.message}\n`, { status: httpStatusOf[error.code], headers: { 'content-type': 'text/plain; charset=utf-8' } });
    logger.error('skill download failed', { slug, error: (error as Error).message });
    return new Response('Something went wrong on our side; please try again.\n', { status: 500 });
  }
}
