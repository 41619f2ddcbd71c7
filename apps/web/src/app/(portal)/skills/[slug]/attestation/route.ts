import { httpStatusOf, isAppError } from '@everyskill/core';
import { getVersionAttestation } from '@everyskill/core/provenance/get-version-attestation';
import type { NextRequest } from 'next/server';
import { logger } from '@/server/logger';
import { getSignedInMember, memberCtx } from '@/server/session';

export const dynamic = 'force-dynamic';

/** The portal's "Download the attestation": a version's DSSE envelope as a .json file. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const member = await getSignedInMember();
  if (!member) {
    return new Response(null, { status: 303, headers: { location: `/sign-in?callbackUrl=${encodeURIComponent(`/skills/${slug}`)}` } });
  }
  try {
    const attestation = await getVersionAttestation(await memberCtx(member), { slug, version: request.nextUrl.searchParams.get('version') || undefined });
    return new Response(`${JSON.stringify(attestation.envelope, null, 2)}\n`, {
      headers: {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="${slug}-${attestation.version}.attestation.json"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    if (isAppError(error)) return new Response(`${error.message}\n`, { status: httpStatusOf[error.code], headers: { 'content-type': 'text/plain; charset=utf-8' } });
    logger.error('attestation download failed', { slug, error: (error as Error).message });
    return new Response('Something went wrong on our side; please try again.\n', { status: 500 });
  }
}
