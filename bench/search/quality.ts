/**
 * bench:search-quality — MRR@10 and nDCG@10 of keyword-only, vector-only and hybrid search over
 * the public skills corpus, through the real search service on a fresh embedded database, for
 * every embedding provider available: the offline built-in always, Ollama when OLLAMA_HOST is
 * set, Voyage when VOYAGE_API_KEY is set. Then, with the built app (`pnpm build`) started on the
 * same database, the `api` row: the same queries through GET /api/v1/search, and the latency of
 * one such request next to one direct searchSkills call on the same data. Prints JSON and writes
 * bench/results/search-quality.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SearchMode } from '@everyskill/contracts';
import type { ApiSearchResult } from '@everyskill/contracts';
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { createBuiltinEmbedder } from '@everyskill/ai/embeddings/builtin-embedder';
import { createOllamaEmbedder } from '@everyskill/ai/embeddings/ollama-embedder';
import { createVoyageEmbedder } from '@everyskill/ai/embeddings/voyage-embedder';
import { readSearchEnv } from '@everyskill/core/search/search-env';
import { createSearchRuntime, type SearchRuntime } from '@everyskill/core/search/search-runtime';
import { searchSkills } from '@everyskill/core/search/search-skills';
import { migrate, openDatabase, type DbHandle } from '@everyskill/db';
import { REPO_ROOT, loadCorpus, loadQueries, ndcgAt10, percentile, reciprocalRankAt10, round, type QuerySpec } from './corpus';
import { embedCorpusTenant, loadCorpusTenant, type CorpusTenant } from './corpus-tenant';
import { hasBuild, startApp } from './standalone-app';

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

// Timed passes over every query for the latency comparison (after a warm-up pass each).
const LATENCY_ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 3);

async function main() {
  const started = performance.now();
  const corpus = loadCorpus();
  const queries = loadQueries();
  // On disk rather than in memory, so that the built app can open the same data for the api row.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-bench-quality-'));
  const pgliteDir = path.join(dataDir, 'pglite');
  let handle = await openDatabase({ pgliteDir });
  try {
    await migrate(handle);
    const tenant = await loadCorpusTenant(handle, corpus, 'bench-quality');
    const { corpusIdOf } = tenant;
    const ctx = tenant.member;

    const rank = async (q: QuerySpec, mode: SearchMode, runtime: SearchRuntime) => {
      const result = await searchSkills(ctx, { q: q.query, mode, limit: 10 }, { runtime, record: false });
      if (result.degraded) throw new Error(`${runtime.embedder.provider} failed during the benchmark: ${result.degradedReason}`);
      return result.items.map((h) => corpusIdOf.get(h.skill.id)!);
    };

    const providers: Record<string, unknown> = {};
    for (const runtime of runtimes()) {
      const { provider, model, dimensions } = runtime.embedder;
      const embedStarted = performance.now();
      await embedCorpusTenant(handle, runtime, tenant);
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

    // The api row: the built-in provider's queries through the built app's REST API.
    let api: Record<string, unknown>;
    if (hasBuild()) {
      const measured = await measureApi(handle, tenant, queries, dataDir);
      handle = measured.handle;
      const builtin = providers.builtin as { hybrid: { mrr10: number } };
      api = { ...measured.report, equalsHybridMrr10: measured.report.mrr10 === builtin.hybrid.mrr10 };
    } else {
      api = { skipped: 'no build of the app: run `pnpm build` first' };
    }

    const report = {
      benchmark: 'search-quality',
      generatedAt: new Date().toISOString(),
      database: 'embedded PGlite (in memory)',
      corpus: { skills: corpus.length, source: '../shared/corpus/skills' },
      queries: queries.length,
      metrics: 'MRR@10 and nDCG@10 (gain 3 for relevant, 1 for partial); hitsAt10 = queries with a wanted skill in the top 10',
      providers,
      api,
      seconds: round((performance.now() - started) / 1000, 1),
    };
    const out = path.join(REPO_ROOT, 'bench', 'results', 'search-quality.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Timings {
  p50: number;
  p95: number;
  mean: number;
  samples: number[];
}

function timings(samples: number[]): Timings {
  const sorted = [...samples].sort((x, y) => x - y);
  const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
  return { p50: round(percentile(sorted, 50), 2), p95: round(percentile(sorted, 95), 2), mean: round(mean, 2), samples };
}

/**
 * The benchmark's queries through GET /api/v1/search of the built app on this database (the
 * built-in embedder, as the app runs without a provider), then the latency of one API search
 * against one direct searchSkills call on the same data, both recording analytics as they do in
 * use. The embedded database allows one process: direct calls are timed before and after the app
 * ran (the two merged), with the database reopened.
 */
async function measureApi(
  handle: DbHandle,
  tenant: CorpusTenant,
  queries: QuerySpec[],
  dataDir: string,
): Promise<{ handle: DbHandle; report: Record<string, unknown> & { mrr10: number } }> {
  // Deadlines far off on both sides: a busy machine must not turn a search degraded mid-run.
  const runtime = createSearchRuntime({ embedder: createBuiltinEmbedder(), queryTimeoutMs: 10_000 });
  const direct = async (db: DbHandle) => {
    const samples: number[] = [];
    const ctx = { ...tenant.member, db: db.db };
    for (const q of queries) await searchSkills(ctx, { q: q.query, limit: 10 }, { runtime, record: false }); // warm-up
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const q of queries) {
        const t0 = performance.now();
        const result = await searchSkills(ctx, { q: q.query, limit: 10 }, { runtime, source: 'portal' });
        samples.push(performance.now() - t0);
        if (result.degraded) throw new Error(`the built-in embedder failed: ${result.degradedReason}`);
      }
    }
    return samples;
  };
  const directBefore = await direct(handle);
  const key = await createApiKey(tenant.member, { name: 'bench', scopes: ['skills:read'] });
  await handle.close();

  const app = await startApp({ EVERYSKILL_DATA_DIR: dataDir, EMBEDDING_PROVIDER: 'builtin', SEARCH_EMBED_TIMEOUT_MS: '10000' });
  let mrr = 0;
  let ndcg = 0;
  let hits = 0;
  const apiSamples: number[] = [];
  try {
    const search = async (q: string) => {
      const t0 = performance.now();
      const response = await fetch(`${app.url}/api/v1/search?${new URLSearchParams({ q, limit: '10' })}`, {
        headers: { authorization: `Bearer ${key.secret}` },
      });
      const body = (await response.json()) as ApiSearchResult;
      const ms = performance.now() - t0;
      if (response.status !== 200) throw new Error(`GET /api/v1/search answered ${response.status}: ${JSON.stringify(body)}`);
      if (body.degraded) throw new Error(`the app's search was degraded: ${body.degradedReason}`);
      return { ms, ranked: body.items.map((item) => tenant.corpusIdOf.get(item.id)!) };
    };
    for (const q of queries) {
      const { ranked } = await search(q.query); // the quality pass is the warm-up
      const rr = reciprocalRankAt10(ranked, q);
      mrr += rr;
      ndcg += ndcgAt10(ranked, q);
      if (rr > 0) hits++;
    }
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const q of queries) apiSamples.push((await search(q.query)).ms);
    }
  } finally {
    await app.stop();
  }

  const reopened = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  const directAfter = await direct(reopened);
  const directTimes = timings([...directBefore, ...directAfter]);
  const apiTimes = timings(apiSamples);
  return {
    handle: reopened,
    report: {
      provider: 'builtin',
      mrr10: round(mrr / queries.length),
      ndcg10: round(ndcg / queries.length),
      hitsAt10: hits,
      latency: {
        method: `each query once as warm-up, then ${LATENCY_ROUNDS} timed passes over the ${queries.length} queries, one request at a time; direct calls timed before and after the app ran`,
        apiMs: { p50: apiTimes.p50, p95: apiTimes.p95, mean: apiTimes.mean },
        directMs: { p50: directTimes.p50, p95: directTimes.p95, mean: directTimes.mean },
        overheadRatioP50: round(apiTimes.p50 / directTimes.p50, 2),
        overheadRatioMean: round(apiTimes.mean / directTimes.mean, 2),
        overheadMsP50: round(apiTimes.p50 - directTimes.p50, 2),
      },
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
