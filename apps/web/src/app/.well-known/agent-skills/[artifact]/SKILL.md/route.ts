import { discoveryArtifact } from '@everyskill/core/agent-skills/discover-public-skills';
import { discoveryHeaders, serveDiscovery } from '@/server/api/discovery-response';

export const dynamic = 'force-dynamic';

/** `<name>/SKILL.md`: the instructions of a public skill, as text/markdown. */
export function GET(request: Request, context: { params: Promise<{ artifact: string }> }): Promise<Response> {
  return serveDiscovery(request, async ({ db, blobs, tenantId }) => {
    const name = (await context.params).artifact;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) return null;
    const artifact = await discoveryArtifact(db, blobs, tenantId, name, 'skill-md');
    if (!artifact) return null;
    return new Response(Buffer.from(artifact.bytes), {
      headers: { ...discoveryHeaders(artifact.contentType, 300), etag: `"${artifact.digest}"`, 'content-length': String(artifact.bytes.byteLength) },
    });
  });
}

export { GET as HEAD };
