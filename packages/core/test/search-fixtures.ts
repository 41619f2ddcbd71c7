import { createHash } from 'node:crypto';
import { eq, skills, skillVersions, withTenant, type Database } from '@everyskill/db';
import type { EmbeddingProvider } from '@everyskill/ai/embeddings/embedding-provider';
import { EmbeddingError } from '@everyskill/ai/embeddings/embedding-provider';
import { createBuiltinEmbedder } from '@everyskill/ai/embeddings/builtin-embedder';
import { createSearchRuntime, type SearchRuntime } from '../src/search/search-runtime';

export interface SkillSpec {
  slug: string;
  description: string;
  body?: string;
  category?: string;
  tags?: string[];
  visibility?: 'tenant' | 'private' | 'public';
  authorUserId?: string | null;
}

/**
 * Inserts a skill with one version the way publishing leaves it (skill row, version row,
 * latest_version_id), straight through the app role; the search trigger does the rest.
 */
export async function insertSkill(db: Database, tenantId: string, spec: SkillSpec): Promise<string> {
  const skillMd = `---\nname: ${spec.slug}\ndescription: ${spec.description}\n---\n\n${spec.body ?? `# ${spec.slug}\n`}`;
  const sha = createHash('sha256').update(skillMd).digest('hex');
  return withTenant(db, tenantId, async (tx) => {
    const [skill] = await tx
      .insert(skills)
      .values({
        tenantId,
        slug: spec.slug,
        name: spec.slug,
        description: spec.description,
        category: spec.category ?? 'other',
        tags: spec.tags ?? [],
        visibility: spec.visibility ?? 'tenant',
        authorUserId: spec.authorUserId ?? null,
      })
      .returning({ id: skills.id });
    const [version] = await tx
      .insert(skillVersions)
      .values({
        tenantId,
        skillId: skill!.id,
        version: '1.0.0',
        contentSha256: sha,
        blobKey: `${tenantId}/${sha}`,
        skillMd,
        manifest: { name: spec.slug, description: spec.description },
        files: [{ path: 'SKILL.md', size: skillMd.length, sha256: sha, text: true }],
        fileCount: 1,
        sizeBytes: skillMd.length,
        blobSizeBytes: skillMd.length,
      })
      .returning({ id: skillVersions.id });
    await tx.update(skills).set({ latestVersionId: version!.id }).where(eq(skills.id, skill!.id));
    return skill!.id;
  });
}

/** A runtime over the offline embedder with a fresh cache (no state shared between tests). */
export function builtinRuntime(options: { queryTimeoutMs?: number } = {}): SearchRuntime {
  return createSearchRuntime({ embedder: createBuiltinEmbedder(), cooldownMs: 0, ...options });
}

/** An embedder that is down: every call fails as a refused connection would. */
export function downEmbedder(like: EmbeddingProvider = createBuiltinEmbedder()): EmbeddingProvider & { calls: number } {
  const down = {
    ...like,
    calls: 0,
    async embed() {
      down.calls++;
      throw new EmbeddingError('connect ECONNREFUSED 127.0.0.1:9', 'unreachable');
    },
  };
  return down;
}

/** An embedder that answers like `like`, but only after `delayMs` (or never, if the call is aborted first). */
export function slowEmbedder(delayMs: number, like: EmbeddingProvider = createBuiltinEmbedder()): EmbeddingProvider {
  return {
    ...like,
    embed: (texts, options) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(like.embed(texts)), delayMs);
        options?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new EmbeddingError('aborted', 'timeout'));
        });
      }),
  };
}
