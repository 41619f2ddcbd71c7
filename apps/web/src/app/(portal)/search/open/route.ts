import { skillSlug } from '@everyskill/contracts';
import { recordSearchClick } from '@everyskill/core/search/record-search-click';
import type { NextRequest } from 'next/server';
import { logger } from '@/server/logger';
import { getSignedInMember, memberCtx } from '@/server/session';

export const dynamic = 'force-dynamic';

/** A search result being opened: counts the click for search analytics, then goes to the skill. */
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const slug = skillSlug.safeParse(params.get('slug'));
  // A relative Location: correct behind any proxy, whatever host the request came in on.
  const target = slug.success ? `/skills/${slug.data}` : '/search';
  const member = await getSignedInMember();
  if (member && slug.success) {
    try {
      await recordSearchClick(await memberCtx(member), {
        queryId: params.get('query') ?? '',
        skillId: params.get('skill') ?? '',
        position: params.get('position') ?? '',
      });
    } catch (error) {
      // A click that cannot be counted still opens the skill.
      logger.warn('search click not recorded', { error: (error as Error).message });
    }
  }
  return new Response(null, { status: 303, headers: { location: target } });
}
