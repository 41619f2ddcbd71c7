import { getVersionAttestation } from '@everyskill/core/provenance/get-version-attestation';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/** A version's latest signed attestation: a DSSE envelope around an in-toto statement. */
export const GET = apiRoute<{ ref: string; version: string }>({ scope: 'skills:read' }, async (_request, ctx, params) =>
  jsonResponse(await getVersionAttestation(ctx, { slug: params.ref, version: params.version })),
);
