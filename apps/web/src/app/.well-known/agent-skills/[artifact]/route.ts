import { discoveryArtifact } from '@everyskill/core/agent-skills/discover-public-skills';
import { discoveryHeaders, serveDiscovery } from '@/server/api/discovery-response';

export const dynamic = 'force-dynamic';

/** `<name>.tar.gz`: a public multi-file skill, its files at the archive root. */
export function GET(request: Request, context: { params: Promise<{ artifact: string }> }): Promise<Response> {
  return serveDiscovery(request, async ({ db, blobs, tenantId }) => {
    const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.tar\.gz$/.exec((await context.params).artifact);
    if (!match) return null;
    const artifact = await discoveryArtifact(db, blobs, tenantId, match[1]!, 'archive');
    if (!artifact) return null;
    return new Response(Buffer.from(artifact.bytes), {
      headers: { ...discoveryHeaders(artifact.contentType, 300), etag: `"${artifact.digest}"`, 'content-length': String(artifact.bytes.byteLength) },
    });
  });
}

export { GET as HEAD };
