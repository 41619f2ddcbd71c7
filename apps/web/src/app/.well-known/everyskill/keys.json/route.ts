import { createHash } from 'node:crypto';
import { getTenantKeys } from '@everyskill/core/provenance/get-tenant-keys';
import { discoveryHeaders, serveDiscovery } from '@/server/api/discovery-response';

export const dynamic = 'force-dynamic';

/** The public signing keys of this host's tenant, with rotation statements (docs/provenance.md). */
export function GET(request: Request): Promise<Response> {
  return serveDiscovery(request, async ({ db, tenantId }) => {
    const body = `${JSON.stringify(await getTenantKeys(db, tenantId), null, 2)}\n`;
    const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
    return new Response(body, { headers: { ...discoveryHeaders('application/json', 300), etag } });
  });
}

export { GET as HEAD };
