import 'server-only';
import { publishMultipart } from '@everyskill/contracts';
import { invalidInput } from '@everyskill/core';
import { parseInput } from '@everyskill/core/parse-input';
import { DEFAULT_BUNDLE_LIMITS, formatBytes } from '@everyskill/core/skills/bundle/bundle-limits';
import type { PublishSkillInput } from '@everyskill/core/skills/publish-skill';
import { readBodyUpTo } from '../request-input';

/** The publishing service's input from a multipart upload: a `bundle` archive or a `skillMd` field, and the other fields. */
export async function readPublishForm(request: Request): Promise<PublishSkillInput> {
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
  let source: PublishSkillInput['source'];
  if (bundle instanceof File) {
    source = { kind: 'archive', fileName: bundle.name, bytes: new Uint8Array(await bundle.arrayBuffer()) };
  } else if (fields.skillMd) {
    source = { kind: 'skill-md', skillMd: fields.skillMd };
  } else {
    throw invalidInput('send a `bundle` file (.zip or .tar.gz of the skill folder) or a `skillMd` field');
  }
  return { source, slug: fields.slug, visibility: fields.visibility, category: fields.category, tags: fields.tags, notes: fields.notes };
}
