import { unsubscribeByToken } from '@everyskill/core/digests/unsubscribe-by-token';
import { getDatabase } from '@everyskill/db';
import { errorResponse, jsonResponse, requestIdOf } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/**
 * Someone who opens the List-Unsubscribe address in a browser (a mail client without one-click
 * support, a copied link) gets the confirmation page; only a POST unsubscribes.
 */
export function GET(request: Request): Response {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  return new Response(null, { status: 303, headers: { location: `/unsubscribe?token=${encodeURIComponent(token)}`, 'cache-control': 'no-store' } });
}

/** RFC 8058 one-click unsubscribe: mail clients POST here (List-Unsubscribe-Post) with the signed token. */
export async function POST(request: Request): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    const token = new URL(request.url).searchParams.get('token') ?? '';
    const target = await unsubscribeByToken((await getDatabase()).db, { token });
    return jsonResponse({ unsubscribed: true, digest: target.digest }, { headers: { 'x-request-id': requestId } });
  } catch (error) {
    return errorResponse(error, requestId);
  }
}
