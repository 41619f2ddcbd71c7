import { unsubscribeByToken } from '@everyskill/core/digests/unsubscribe-by-token';
import { getDatabase } from '@everyskill/db';
import { errorResponse, jsonResponse, requestIdOf } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

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
