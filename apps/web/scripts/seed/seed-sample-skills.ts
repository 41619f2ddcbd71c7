import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, memberships, users, withTenant, type Database } from '@everyskill/db';
import type { Ctx } from '@everyskill/core';
import { publishSkill } from '@everyskill/core/skills/publish-skill';
import { rateSkill } from '@everyskill/core/skills/rate-skill';
import { recordInstall } from '@everyskill/core/skills/record-install';
import type { SkillBlobStore, SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { submitFeedback } from '@everyskill/core/skills/submit-feedback';

export const SAMPLE_SKILLS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sample-skills');

/**
 * Who publishes which sample skill, and what the other person thinks of it. Two are public, so the
 * demo's `/.well-known/agent-skills/index.json` (and `npx skills add <portal>`) has something to offer.
 */
const SAMPLES: { name: string; author: string; rater: string; stars: number; comment?: string; suggestion?: string; visibility?: 'public' }[] = [
  { name: 'release-notes-writer', author: 'ada@demo.test', rater: 'max@demo.test', stars: 5, comment: 'Saved me an hour on the 2.4 release.', visibility: 'public' },
  { name: 'postgres-migration-review', author: 'ada@demo.test', rater: 'max@demo.test', stars: 4, suggestion: 'Mention lock_timeout values that worked for us (5s).' },
  { name: 'incident-postmortem', author: 'ada@demo.test', rater: 'max@demo.test', stars: 4 },
  { name: 'csv-profiler', author: 'max@demo.test', rater: 'ada@demo.test', stars: 5, comment: 'Caught a broken date column before the board report.', visibility: 'public' },
  { name: 'meeting-notes-to-actions', author: 'max@demo.test', rater: 'ada@demo.test', stars: 3, suggestion: 'Could it post the action items to the team channel format?' },
];

/** Every file under a sample skill folder, with paths prefixed by the folder name (the name check uses it). */
function readSampleFolder(name: string): { path: string; bytes: Uint8Array; executable: boolean }[] {
  const root = path.join(SAMPLE_SKILLS_DIR, name);
  const files: { path: string; bytes: Uint8Array; executable: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push({ path: `${name}/${path.relative(root, full).split(path.sep).join('/')}`, bytes: readFileSync(full), executable: /\.(sh|py)$/.test(entry.name) || (statSync(full).mode & 0o111) !== 0 });
    }
  };
  walk(root);
  return files;
}

/**
 * Publishes the sample skills through the real publish service as the demo people, with a
 * rating and some feedback each. Safe to run again: identical content publishes nothing, ratings
 * are replaced by the same rating, installs carry idempotency keys, feedback only comes with a new skill.
 */
export async function seedSampleSkills(
  ownerDb: Database,
  tenantId: string,
  blobs: SkillBlobStore,
  afterPublish?: SkillsCtx['afterPublish'],
): Promise<{ published: number }> {
  const people = await withTenant(ownerDb, tenantId, (tx) =>
    tx
      .select({ id: users.id, email: users.email, role: memberships.role })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId))),
  );
  const ctxOf = (email: string): SkillsCtx => {
    const person = people.find((p) => p.email === email);
    if (!person) throw new Error(`seed person ${email} is missing from tenant ${tenantId}`);
    const actor: Ctx['actor'] = { kind: 'user', userId: person.id, email: person.email, role: person.role };
    return { tenantId, db: ownerDb, actor, blobs, requestId: 'seed', ...(afterPublish ? { afterPublish } : {}) };
  };

  let published = 0;
  for (const sample of SAMPLES) {
    const result = await publishSkill(ctxOf(sample.author), {
      source: { kind: 'files', files: readSampleFolder(sample.name) },
      ...(sample.visibility ? { visibility: sample.visibility } : {}),
    });
    if (result.created) published++;
    const reader = ctxOf(sample.rater);
    await rateSkill(reader, { slug: sample.name, stars: sample.stars, comment: sample.comment });
    await recordInstall(reader, { slug: sample.name, source: 'portal', idempotencyKey: `seed:${sample.name}:${sample.rater}` });
    if (result.newSkill) {
      await submitFeedback(reader, { slug: sample.name, kind: sample.stars >= 4 ? 'thumbs_up' : 'thumbs_down' });
      if (sample.suggestion) await submitFeedback(reader, { slug: sample.name, kind: 'suggestion', body: sample.suggestion });
    }
  }
  return { published };
}
