import { apiAttestationQuery } from '@everyskill/contracts';
import { getVersionAttestation } from '@everyskill/core/provenance/get-version-attestation';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseQuery } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** A version's latest signed attestation (or the one `?envelopeSha256=` names): a DSSE envelope around an in-toto statement. */
export const GET = apiRoute<{ ref: string; version: string }>({ scope: 'skills:read' }, async (request, ctx, params) => {
  const { envelopeSha256 } = parseQuery(request, apiAttestationQuery);
  return jsonResponse(await getVersionAttestation(ctx, { slug: params.ref, version: params.version, ...(envelopeSha256 ? { envelopeSha256 } : {}) }));
});
