import { createHash } from 'node:crypto';
import { buildDiscoveryIndex } from '@everyskill/core/agent-skills/discover-public-skills';
import { discoveryHeaders, serveDiscovery } from '@/server/api/discovery-response';

export const dynamic = 'force-dynamic';

/** The Agent Skills discovery index (v0.2.0) of this host's tenant: its public skills only. */
export function GET(request: Request): Promise<Response> {
  return serveDiscovery(request, async ({ db, blobs, tenantId }) => {
    const body = `${JSON.stringify(await buildDiscoveryIndex(db, blobs, tenantId), null, 2)}\n`;
    // The index changes whenever a public skill does; its hash names this version of it.
    const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
    return new Response(body, { headers: { ...discoveryHeaders('application/json', 60), etag } });
  });
}

export { GET as HEAD };
