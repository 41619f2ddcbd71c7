// Run with tsx before the server starts (the embedded database allows one process):
// `tsx e2e/support/seed-search-corpus.ts` publishes the public skills corpus in one tenant (the
// benchmark's bulk loader, vectors of the built-in embedder), mints an API key of its member, and
// prints, as JSON, what the portal's search answers for the search benchmark's queries.
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { createBuiltinEmbedder } from '@everyskill/ai/embeddings/builtin-embedder';
import { createSearchRuntime } from '@everyskill/core/search/search-runtime';
import { searchSkills } from '@everyskill/core/search/search-skills';
import { openOwnerDatabase, tenantDomains, withTenant } from '@everyskill/db';
import { loadCorpus, loadQueries } from '../../../../bench/search/corpus';
import { embedCorpusTenant, loadCorpusTenant } from '../../../../bench/search/corpus-tenant';

const slug = `corpus-${Math.random().toString(36).slice(2, 8)}`;
// What the server runs with no provider configured; a generous deadline, as this measures ranking.
const runtime = createSearchRuntime({ embedder: createBuiltinEmbedder(), queryTimeoutMs: 10_000 });

const handle = await openOwnerDatabase();
try {
  const corpus = loadCorpus();
  const tenant = await loadCorpusTenant(handle, corpus, slug);
  await embedCorpusTenant(handle, runtime, tenant);
  // The email domain lets the development sign-in put the member into this tenant.
  await withTenant(handle.db, tenant.tenantId, (tx) =>
    tx.insert(tenantDomains).values({ tenantId: tenant.tenantId, domain: `${slug}.test`, kind: 'email', verifiedAt: new Date() }),
  );
  const memberEmail = `member@${slug}.test`;
  const key = await createApiKey(tenant.member, { name: 'search e2e', scopes: ['skills:read'] });

  // The portal's first page (its default size), of which agents must get the same top 10; a third
  // of the benchmark's queries, spread over all its topics, keeps the suite quick.
  const portal: Record<string, string[]> = {};
  const keyword: Record<string, string[]> = {};
  for (const { query } of loadQueries().filter((_, i) => i % 3 === 0)) {
    const hybrid = await searchSkills(tenant.member, { q: query }, { runtime, record: false });
    const words = await searchSkills(tenant.member, { q: query, mode: 'keyword' }, { runtime, record: false });
    if (hybrid.degraded) throw new Error(`the built-in embedder failed while seeding: ${hybrid.degradedReason}`);
    portal[query] = hybrid.items.slice(0, 10).map((h) => h.skill.slug);
    keyword[query] = words.items.slice(0, 10).map((h) => h.skill.slug);
  }
  // One query narrowed to the category of its best hit, a page of 50 as an agent may ask.
  const [first] = loadQueries();
  const best = (await searchSkills(tenant.member, { q: first!.query, limit: 1 }, { runtime, record: false })).items[0]!;
  const narrowed = await searchSkills(tenant.member, { q: first!.query, category: best.skill.category, limit: 50 }, { runtime, record: false });
  const filtered = { q: first!.query, category: best.skill.category, slugs: narrowed.items.map((h) => h.skill.slug) };
  console.log(JSON.stringify({ tenantId: tenant.tenantId, slug, memberEmail, skills: corpus.length, key: key.secret, portal, keyword, filtered }));
} finally {
  await handle.close();
}
