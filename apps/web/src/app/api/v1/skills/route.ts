import { apiListQuery, publishMultipart } from '@everyskill/contracts';
import { invalidInput } from '@everyskill/core';
import { listAgentSkills } from '@everyskill/core/agent-skills/list-agent-skills';
import { parseInput } from '@everyskill/core/parse-input';
import { DEFAULT_BUNDLE_LIMITS, formatBytes } from '@everyskill/core/skills/bundle/bundle-limits';
import { publishSkill, type PublishSource } from '@everyskill/core/skills/publish-skill';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseQuery, readBodyUpTo } from '@/server/api/request-input';
import { withBlobs } from '@/server/api/skills-ctx';

export const dynamic = 'force-dynamic';

/** One page of the skills the key may see. */
export const GET = apiRoute({ scope: 'skills:read' }, async (request, ctx) =>
  jsonResponse(await listAgentSkills(ctx, parseQuery(request, apiListQuery))),
);

/** Publishes a skill (or a new version) from a multipart upload, through the portal's publishing service. */
export const POST = apiRoute({ scope: 'skills:publish' }, async (request, ctx) => {
  // Read up to the bundle limit and a little for the other fields, never more, before parsing.
  const maxBytes = DEFAULT_BUNDLE_LIMITS.maxCompressedBytes + 1024 * 1024;
  const body = await readBodyUpTo(request, maxBytes);
  if (body === null) {
    throw invalidInput(`the upload is larger than ${formatBytes(maxBytes)}; a skill archive may be at most ${formatBytes(DEFAULT_BUNDLE_LIMITS.maxCompressedBytes)}`, {
      limitBytes: DEFAULT_BUNDLE_LIMITS.maxCompressedBytes,
    });
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': request.headers.get('content-type') ?? '' } }).formData();
  } catch {
    throw invalidInput('send the skill as multipart/form-data with a `bundle` file or a `skillMd` field');
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const bundle = form.get('bundle');
  const fields = parseInput(publishMultipart, {
    slug: text('slug'),
    skillMd: text('skillMd'),
    visibility: text('visibility'),
    category: text('category'),
    tags: text('tags'),
    notes: text('notes'),
  });
  let source: PublishSource;
  if (bundle instanceof File) {
    source = { kind: 'archive', fileName: bundle.name, bytes: new Uint8Array(await bundle.arrayBuffer()) };
  } else if (fields.skillMd) {
    source = { kind: 'skill-md', skillMd: fields.skillMd };
  } else {
    throw invalidInput('send a `bundle` file (.zip or .tar.gz of the skill folder) or a `skillMd` field');
  }
  const result = await publishSkill(withBlobs(ctx), {
    source,
    slug: fields.slug,
    visibility: fields.visibility,
    category: fields.category,
    tags: fields.tags,
    notes: fields.notes,
  });
  return jsonResponse(
    {
      skill: result.skill,
      version: { version: result.version.version, contentSha256: result.version.contentSha256 },
      created: result.created,
      newSkill: result.newSkill,
      warnings: result.warnings.map((w) => ({ path: w.path, message: w.message })),
      ...(result.heldForReview ? { heldForReview: true } : {}),
    },
    { status: result.created ? 201 : 200 },
  );
});
