import { buildOpenApiDocument } from '@everyskill/contracts';
import { readServerEnv } from '@/server/env';
import { getBuildInfo } from '@/server/build-info';

export const dynamic = 'force-dynamic';

// The document depends only on the configuration and the build: generate it once per process.
let cached: { key: string; body: string } | null = null;

/** The OpenAPI 3.1 document of /api/v1, public (it describes, it does not reveal). */
export function GET(): Response {
  const serverUrl = readServerEnv().APP_URL;
  const { version } = getBuildInfo();
  const key = `${serverUrl} ${version}`;
  if (cached?.key !== key) cached = { key, body: JSON.stringify(buildOpenApiDocument({ serverUrl, version })) };
  return new Response(cached.body, {
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  });
}
