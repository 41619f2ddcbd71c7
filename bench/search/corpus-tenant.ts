import type { Ctx } from '@everyskill/core';
import { embedSkills } from '@everyskill/core/search/embed-skills';
import type { SearchRuntime } from '@everyskill/core/search/search-runtime';
import { memberships, tenants, users, withTenant, type DbHandle } from '@everyskill/db';
import { insertSkills, skillRow, type SkillRow } from './bulk-load';
import type { CorpusSkill } from './corpus';

export interface CorpusTenant {
  tenantId: string;
  /** A member of the tenant, and the portal's ctx for that person. */
  userId: string;
  member: Ctx;
  rows: SkillRow[];
  /** Skill id → corpus id (`<owner>__<repo>__<folder>`). */
  corpusIdOf: Map<string, string>;
}

/**
 * A fresh tenant with one member and every corpus skill published in it (one version each),
 * bulk-loaded in a few statements rather than through the publishing service: the search index
 * is kept by the database's triggers either way. Vectors are added by embedCorpusTenant.
 */
export async function loadCorpusTenant(handle: DbHandle, corpus: CorpusSkill[], slug: string): Promise<CorpusTenant> {
  const [tenant] = await handle.db.insert(tenants).values({ slug, name: `Corpus ${slug}` }).returning({ id: tenants.id });
  const tenantId = tenant!.id;
  const email = `member@${slug}.test`;
  const userId = await withTenant(handle.db, tenantId, async (tx) => {
    const [user] = await tx.insert(users).values({ tenantId, email, name: 'Corpus member' }).returning({ id: users.id });
    await tx.insert(memberships).values({ tenantId, userId: user!.id, role: 'member' });
    return user!.id;
  });
  const rows = corpus.map((s) => skillRow({ name: s.name, description: s.description, category: s.category, tags: [], skillMd: s.skillMd }));
  await handle.session(async (session) => {
    await session.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
    await insertSkills(session, tenantId, rows);
  });
  return {
    tenantId,
    userId,
    member: { tenantId, db: handle.db, actor: { kind: 'user', userId, email, role: 'member' } },
    rows,
    corpusIdOf: new Map(rows.map((r, i) => [r.id, corpus[i]!.id])),
  };
}

/** Embeds every skill of the corpus tenant with the runtime's model, in batches as the jobs do. */
export async function embedCorpusTenant(handle: DbHandle, runtime: SearchRuntime, tenant: CorpusTenant): Promise<void> {
  for (let i = 0; i < tenant.rows.length; i += 64) {
    await embedSkills(handle.db, runtime, tenant.tenantId, tenant.rows.slice(i, i + 64).map((r) => r.id));
  }
}
