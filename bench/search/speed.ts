/**
 * bench:search-speed — hybrid search latency through the real service at 10,000 and 100,000
 * skills (variations of the public corpus) on PostgreSQL + pgvector, the 100k/10k p95 ratio, and
 * HNSW recall@10 against exact search. Runs in a scratch database it creates and drops; needs the
 * variables `scripts/test-pg.sh env` prints. Prints JSON and writes bench/results/search-speed.json.
 *
 *   BENCH_SIZES=10000,100000  sizes to measure (ascending)
 *   BENCH_ROUNDS=3            timed passes over the query list per size
 *   BENCH_KEEP_DB=1           keep the scratch database (prints its URL)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Ctx } from '@everyskill/core';
import { createBuiltinEmbedder, embedOffline } from '@everyskill/ai/embeddings/builtin-embedder';
import { createSearchRuntime } from '@everyskill/core/search/search-runtime';
import { HNSW_EF_SEARCH, searchSkills } from '@everyskill/core/search/search-skills';
import { sha256Hex, skillEmbeddingInput } from '@everyskill/core/search/skill-embedding-input';
import { memberships, migrate, openDatabase, rowsOf, sql, tenants, users, withTenant, type DbHandle, type SqlSession } from '@everyskill/db';
import { createScratchDatabase } from '@everyskill/db/testing';
import { insertEmbeddings, insertSkills, skillRow, type EmbeddingRow, type SkillRow } from './bulk-load';
import { REPO_ROOT, loadCorpus, loadQueries, percentile, round, type CorpusSkill } from './corpus';
import { prng, variation } from './variations';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// A second tenant holds this share of rows, so row-level security filters for real.
const OTHER_TENANT_SHARE = 0.02;
const CHUNK = 5000;

const embedder = createBuiltinEmbedder();
const MODEL = { provider: embedder.provider, model: embedder.model, dimensions: embedder.dimensions };

// Indexes dropped while loading and built once afterwards (as migration 0004 defines them).
const INDEXES = [
  `CREATE INDEX search_postings_lookup_idx ON search_postings (tenant_id, lexeme, weight DESC, skill_id)`,
  `CREATE INDEX search_postings_skill_idx ON search_postings (skill_id)`,
  `CREATE INDEX skill_embeddings_hnsw_512 ON skill_embeddings
     USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE dimensions = 512`,
];
const INDEX_NAMES = ['search_postings_lookup_idx', 'search_postings_skill_idx', 'skill_embeddings_hnsw_512'];

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `bench:search-speed needs PostgreSQL with pgvector (${name} is not set). Start one with\n` +
        `  bash scripts/test-pg.sh start && eval "$(bash scripts/test-pg.sh env)"`,
    );
  }
  return value;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
}

interface Tenant {
  id: string;
  ctx: Ctx;
  count: number;
}

async function makeTenant(owner: DbHandle, app: DbHandle, slug: string): Promise<Tenant> {
  const [tenant] = await owner.db.insert(tenants).values({ slug, name: slug }).returning();
  const id = tenant!.id;
  const userId = await withTenant(owner.db, id, async (tx) => {
    const [user] = await tx.insert(users).values({ tenantId: id, email: `bench@${slug}.test` }).returning({ id: users.id });
    await tx.insert(memberships).values({ tenantId: id, userId: user!.id, role: 'member' });
    return user!.id;
  });
  return { id, count: 0, ctx: { tenantId: id, db: app.db, actor: { kind: 'user', userId, email: `bench@${slug}.test`, role: 'member' } } };
}

/** Adds skills `from..to` of the synthetic catalogue to a tenant, with their built-in embeddings. */
async function load(session: SqlSession, corpus: CorpusSkill[], tenant: Tenant, to: number, offset: number) {
  await session.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenant.id]);
  for (let from = tenant.count; from < to; from += CHUNK) {
    const rows: SkillRow[] = [];
    const vectors: EmbeddingRow[] = [];
    for (let i = from; i < Math.min(to, from + CHUNK); i++) {
      const v = variation(corpus, offset + i);
      const row = skillRow({ name: v.name, description: v.description, category: v.category, tags: v.tags, skillMd: v.skillMd });
      rows.push(row);
      const input = skillEmbeddingInput({ name: v.name, description: v.description, tags: v.tags, skillMd: v.skillMd });
      vectors.push({ skillId: row.id, inputSha256: sha256Hex(input), vector: embedOffline(input) });
    }
    await insertSkills(session, tenant.id, rows);
    await insertEmbeddings(session, tenant.id, MODEL, vectors);
    process.stderr.write(`  ${tenant.ctx.actor.kind === 'user' ? tenant.ctx.actor.email : ''}: ${Math.min(to, from + CHUNK)} skills\n`);
  }
  tenant.count = to;
}

/** The timed query list: natural-language queries, exact names, short keywords and typos. */
function queryList(corpus: CorpusSkill[]): { q: string; kind: string }[] {
  const rnd = prng(42);
  const pick = () => corpus[Math.floor(rnd() * corpus.length)]!;
  const natural = loadQueries().map((q) => ({ q: q.query, kind: 'sentence' }));
  const names = Array.from({ length: 30 }, () => ({ q: pick().name, kind: 'exact-name' }));
  const words = ['pdf', 'kubernetes', 'seo', 'invoice', 'slides', 'jest', 'gdpr', 'terraform', 'excel', 'docker', 'quantum',
    'onboarding', 'stripe', 'postmortem', 'figma', 'sql', 'email', 'react', 'security audit', 'code review'];
  const keywords = words.map((q) => ({ q, kind: 'keyword' }));
  const typos = ['powerpont', 'kubernets', 'spreadshet', 'terrafrom', 'playwrigt', 'postgress', 'accessibilty', 'dockr',
    'markdwon', 'compliace'].map((q) => ({ q, kind: 'typo' }));
  return [...natural, ...names, ...keywords, ...typos];
}

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length, 2),
    max: round(sorted[sorted.length - 1]!, 2),
  };
}

async function measureLatency(tenant: Tenant, queries: { q: string; kind: string }[]) {
  const runtime = createSearchRuntime({ embedder, queryTimeoutMs: 500 });
  for (const { q } of queries) await searchSkills(tenant.ctx, { q, limit: 20 }, { runtime, record: false });
  const all: number[] = [];
  const byKind: Record<string, number[]> = {};
  let degraded = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const { q, kind } of queries) {
      const started = performance.now();
      const result = await searchSkills(tenant.ctx, { q, limit: 20 }, { runtime, record: false });
      const ms = performance.now() - started;
      if (result.degraded) degraded++;
      all.push(ms);
      (byKind[kind] ??= []).push(ms);
    }
  }
  return {
    hybrid: summarize(all),
    byQueryKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, summarize(v)])),
    degraded,
  };
}

/**
 * Top-10 by the HNSW index (the search's own settings) against exact top-10 (index scans off).
 * `strict` counts the exact top-10 ids found; `tieAware` counts approximate results no farther
 * than the exact 10th (variations of one skill sit at near-equal distances, any of them is right).
 */
async function measureRecall(tenant: Tenant, vectors: number[][], efSearch: number) {
  const top10 = async (vector: number[], exact: boolean) =>
    withTenant(tenant.ctx.db, tenant.id, async (tx) => {
      await tx.execute(sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(efSearch)}, true)`);
      if (exact) await tx.execute(sql`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
      return rowsOf<{ skill_id: string; distance: number }>(
        await tx.execute(sql`
          SELECT e.skill_id, e.embedding::vector(512) <=> ${`[${vector.join(',')}]`}::vector(512) AS distance
          FROM skill_embeddings e JOIN skills s ON s.id = e.skill_id
          WHERE e.dimensions = 512 AND e.provider = ${MODEL.provider} AND e.model = ${MODEL.model}
            AND s.tenant_id = ${tenant.id} AND s.deleted_at IS NULL
          ORDER BY distance
          LIMIT 10`),
      ).map((r) => ({ id: r.skill_id, distance: Number(r.distance) }));
    });
  let strict = 0;
  let tieAware = 0;
  for (const vector of vectors) {
    const approx = await top10(vector, false);
    const exact = await top10(vector, true);
    const approxIds = new Set(approx.map((r) => r.id));
    strict += exact.filter((r) => approxIds.has(r.id)).length / Math.max(1, exact.length);
    const tenth = exact[exact.length - 1]?.distance ?? Infinity;
    tieAware += approx.filter((r) => r.distance <= tenth + 1e-6).length / Math.max(1, exact.length);
  }
  return { strict: round(strict / vectors.length), tieAware: round(tieAware / vectors.length) };
}

async function main() {
  const started = performance.now();
  requireEnv('TEST_PG_ADMIN_URL');
  const appUrl = new URL(requireEnv('DATABASE_URL'));
  requireEnv('DATABASE_OWNER_URL');
  const corpus = loadCorpus();
  const scratch = await createScratchDatabase();
  appUrl.pathname = new URL(scratch.url).pathname;
  const owner = await openDatabase({ url: scratch.url, poolMax: 2 });
  const app = await openDatabase({ url: appUrl.toString(), poolMax: 4 });
  try {
    await migrate(owner);
    const main = await makeTenant(owner, app, 'bench-speed');
    const other = await makeTenant(owner, app, 'bench-other');
    const [server] = await owner.session((s) =>
      s.query<{ version: string; vector: string }>(
        `SELECT current_setting('server_version') AS version, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`,
      ),
    );
    const queries = queryList(corpus);
    const sizes: Record<string, unknown> = {};
    const p95s: number[] = [];

    for (const size of SIZES) {
      process.stderr.write(`loading ${size} skills…\n`);
      const otherSize = Math.round(size * OTHER_TENANT_SHARE);
      const [, loadSeconds] = await timed(() =>
        owner.session(async (s) => {
          // Bulk load: no per-row search trigger, no index upkeep; documents, postings and
          // frequencies are rebuilt in bulk by the migration's own function, indexes built at the end.
          for (const name of INDEX_NAMES) await s.exec(`DROP INDEX IF EXISTS ${name}`);
          await s.exec(`ALTER TABLE skills DISABLE TRIGGER skills_search_document`);
          await load(s, corpus, main, size, 0);
          // The other tenant's skills are later variations, so they differ from the main tenant's.
          await load(s, corpus, other, otherSize, 5_000_000);
          for (const tenant of [main, other]) {
            await s.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenant.id]);
            await s.query(`SELECT search_rebuild_documents($1)`, [tenant.id]);
          }
          await s.exec(`ALTER TABLE skills ENABLE TRIGGER skills_search_document`);
        }),
      );
      process.stderr.write(`building indexes…\n`);
      const [, indexSeconds] = await timed(() =>
        owner.session(async (s) => {
          await s.exec(`SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 1`);
          for (const statement of INDEXES) await s.exec(statement);
          for (const table of ['skills', 'skill_versions', 'skill_search_documents', 'search_postings', 'search_lexeme_stats', 'skill_embeddings']) {
            await s.exec(`VACUUM ANALYZE ${table}`);
          }
        }),
      );
      process.stderr.write(`measuring…\n`);
      const latency = await measureLatency(main, queries);
      const queryVectors = loadQueries().map((q) => embedOffline(q.query));
      const rnd = prng(size);
      const skillVectors = Array.from({ length: 50 }, () => {
        const v = variation(corpus, Math.floor(rnd() * size));
        return embedOffline(skillEmbeddingInput({ ...v }));
      });
      const recall = {
        appEfSearch: HNSW_EF_SEARCH,
        queries: {
          efSearch40: await measureRecall(main, queryVectors, 40),
          efSearch100: await measureRecall(main, queryVectors, 100),
          [`efSearch${HNSW_EF_SEARCH}`]: await measureRecall(main, queryVectors, HNSW_EF_SEARCH),
          efSearch400: await measureRecall(main, queryVectors, 400),
          efSearch800: await measureRecall(main, queryVectors, 800),
        },
        skillNeighbours: { [`efSearch${HNSW_EF_SEARCH}`]: await measureRecall(main, skillVectors, HNSW_EF_SEARCH) },
      };
      p95s.push(latency.hybrid.p95);
      sizes[String(size)] = {
        skills: size,
        otherTenantSkills: otherSize,
        loadSeconds: round(loadSeconds, 1),
        indexBuildSeconds: round(indexSeconds, 1),
        latencyMs: latency,
        hnswRecallAt10: recall,
      };
      process.stderr.write(`${size}: p95 ${latency.hybrid.p95} ms, recall@10 at ef_search ${HNSW_EF_SEARCH}: queries ${recall.queries[`efSearch${HNSW_EF_SEARCH}`]!.strict}, skills ${recall.skillNeighbours[`efSearch${HNSW_EF_SEARCH}`]!.strict}\n`);
    }

    const ratio = p95s.length >= 2 ? round(p95s[p95s.length - 1]! / p95s[0]!, 2) : null;
    type Recall = Record<string, { strict: number; tieAware: number }>;
    const largest = sizes[String(SIZES[SIZES.length - 1])] as { latencyMs: { hybrid: { p95: number } }; hnswRecallAt10: { queries: Recall; skillNeighbours: Recall } };
    const appKey = `efSearch${HNSW_EF_SEARCH}`;
    const recallAtApp = Math.min(largest.hnswRecallAt10.queries[appKey]!.strict, largest.hnswRecallAt10.skillNeighbours[appKey]!.strict);
    const report = {
      benchmark: 'search-speed',
      generatedAt: new Date().toISOString(),
      postgres: server?.version,
      pgvector: server?.vector,
      embedder: MODEL,
      queries: { distinct: queries.length, rounds: ROUNDS, limit: 20, concurrency: 1 },
      note: 'Latency is one searchSkills() call through the app role (row-level security on): query embedding (cached after the first pass), keyword + trigram + HNSW channels fused in one statement, summaries and highlighted snippets. Analytics recording is off.',
      sizes,
      p95RatioLargestToSmallest: ratio,
      targets: {
        hybridP95AtLargestMs: { target: 50, measured: largest.latencyMs.hybrid.p95, met: largest.latencyMs.hybrid.p95 <= 50 },
        p95Ratio: { target: 2, measured: ratio, met: ratio !== null && ratio <= 2 },
        hnswRecallAt10: {
          target: 0.95,
          efSearch: HNSW_EF_SEARCH,
          measured: recallAtApp,
          met: recallAtApp >= 0.95,
        },
      },
      seconds: round((performance.now() - started) / 1000, 1),
    };
    const out = path.join(REPO_ROOT, 'bench', 'results', 'search-speed.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await app.close();
    await owner.close();
    if (process.env.BENCH_KEEP_DB === '1') process.stderr.write(`kept scratch database: ${scratch.url}\n`);
    else await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
