/**
 * bench:search-quality — MRR@10 and nDCG@10 of keyword-only, vector-only and hybrid search over
 * the public skills corpus, through the real search service on a fresh embedded database, for
 * every embedding provider available: the offline built-in always, Ollama when OLLAMA_HOST is
 * set, Voyage when VOYAGE_API_KEY is set. Prints JSON and writes bench/results/search-quality.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SearchMode } from '@everyskill/contracts';
import type { Ctx } from '@everyskill/core';
import { createBuiltinEmbedder } from '@everyskill/core/search/embeddings/builtin-embedder';
import { createOllamaEmbedder } from '@everyskill/core/search/embeddings/ollama-embedder';
import { createVoyageEmbedder } from '@everyskill/core/search/embeddings/voyage-embedder';
import { embedSkills } from '@everyskill/core/search/embed-skills';
import { readSearchEnv } from '@everyskill/core/search/search-env';
import { createSearchRuntime, type SearchRuntime } from '@everyskill/core/search/search-runtime';
import { searchSkills } from '@everyskill/core/search/search-skills';
import { memberships, migrate, openDatabase, tenants, users, withTenant } from '@everyskill/db';
import { insertSkills, skillRow } from './bulk-load';
import { REPO_ROOT, loadCorpus, loadQueries, ndcgAt10, reciprocalRankAt10, round, type QuerySpec } from './corpus';

const MODES: SearchMode[] = ['keyword', 'vector', 'hybrid'];

function runtimes(): SearchRuntime[] {
  const env = readSearchEnv();
  // Generous deadlines: this measures ranking, not the embedder's speed.
  const list = [createSearchRuntime({ embedder: createBuiltinEmbedder(), queryTimeoutMs: 10_000 })];
  if (env.OLLAMA_HOST) {
    list.push(
      createSearchRuntime({
        embedder: createOllamaEmbedder({ host: env.OLLAMA_HOST, model: env.OLLAMA_EMBED_MODEL, dimensions: env.OLLAMA_EMBED_DIMENSIONS }),
        queryTimeoutMs: 30_000,
      }),
    );
  }
  if (env.VOYAGE_API_KEY) {
    list.push(
      createSearchRuntime({
        embedder: createVoyageEmbedder({
          apiKey: env.VOYAGE_API_KEY,
          baseUrl: env.VOYAGE_BASE_URL,
          model: env.VOYAGE_MODEL,
          dimensions: env.VOYAGE_DIMENSIONS,
        }),
        queryTimeoutMs: 30_000,
      }),
    );
  }
  return list;
}

async function main() {
  const started = performance.now();
  const corpus = loadCorpus();
  const queries = loadQueries();
  const handle = await openDatabase({ pgliteDir: 'memory://' });
  try {
    await migrate(handle);
    const [tenant] = await handle.db.insert(tenants).values({ slug: 'bench-quality', name: 'Bench quality' }).returning();
    const tenantId = tenant!.id;
    const userId = await withTenant(handle.db, tenantId, async (tx) => {
      const [user] = await tx.insert(users).values({ tenantId, email: 'bench@bench-quality.test' }).returning({ id: users.id });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role: 'member' });
      return user!.id;
    });
    const ctx: Ctx = { tenantId, db: handle.db, actor: { kind: 'user', userId, email: 'bench@bench-quality.test', role: 'member' } };

    const rows = corpus.map((s) =>
      skillRow({ name: s.name, description: s.description, category: s.category, tags: [], skillMd: s.skillMd }),
    );
    const corpusIdOf = new Map(rows.map((r, i) => [r.id, corpus[i]!.id]));
    await handle.session(async (session) => {
      await session.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
      await insertSkills(session, tenantId, rows);
    });

    const rank = async (q: QuerySpec, mode: SearchMode, runtime: SearchRuntime) => {
      const result = await searchSkills(ctx, { q: q.query, mode, limit: 10 }, { runtime, record: false });
      if (result.degraded) throw new Error(`${runtime.embedder.provider} failed during the benchmark: ${result.degradedReason}`);
      return result.items.map((h) => corpusIdOf.get(h.skill.id)!);
    };

    const providers: Record<string, unknown> = {};
    for (const runtime of runtimes()) {
      const { provider, model, dimensions } = runtime.embedder;
      const embedStarted = performance.now();
      for (let i = 0; i < rows.length; i += 64) {
        await embedSkills(handle.db, runtime, tenantId, rows.slice(i, i + 64).map((r) => r.id));
      }
      const embedSeconds = (performance.now() - embedStarted) / 1000;
      const modes: Record<string, { mrr10: number; ndcg10: number; hitsAt10: number }> = {};
      const perQuery: Record<string, { query: string; keyword: number; vector: number; hybrid: number; hybridTop3: string[] }> = {};
      for (const mode of MODES) {
        let mrr = 0;
        let ndcg = 0;
        let hits = 0;
        for (const q of queries) {
          const ranked = await rank(q, mode, runtime);
          const rr = reciprocalRankAt10(ranked, q);
          mrr += rr;
          ndcg += ndcgAt10(ranked, q);
          if (rr > 0) hits++;
          const row = (perQuery[q.query] ??= { query: q.query, keyword: 0, vector: 0, hybrid: 0, hybridTop3: [] });
          row[mode] = round(rr);
          if (mode === 'hybrid') row.hybridTop3 = ranked.slice(0, 3).map((id) => id.split('__').pop()!);
        }
        modes[mode] = { mrr10: round(mrr / queries.length), ndcg10: round(ndcg / queries.length), hitsAt10: hits };
      }
      providers[provider] = {
        model,
        dimensions,
        embedSeconds: round(embedSeconds, 1),
        ...modes,
        hybridVsKeywordMrr10: round(modes.hybrid!.mrr10 - modes.keyword!.mrr10),
        // The queries hybrid ranks worst: where to look next.
        weakestQueries: Object.values(perQuery)
          .sort((a, b) => a.hybrid - b.hybrid)
          .slice(0, 8),
      };
    }

    const report = {
      benchmark: 'search-quality',
      generatedAt: new Date().toISOString(),
      database: 'embedded PGlite (in memory)',
      corpus: { skills: corpus.length, source: '../shared/corpus/skills' },
      queries: queries.length,
      metrics: 'MRR@10 and nDCG@10 (gain 3 for relevant, 1 for partial); hitsAt10 = queries with a wanted skill in the top 10',
      providers,
      seconds: round((performance.now() - started) / 1000, 1),
    };
    const out = path.join(REPO_ROOT, 'bench', 'results', 'search-quality.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
