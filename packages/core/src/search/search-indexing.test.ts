import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry, openJobQueue, type JobQueue } from '@everyskill/jobs';
import { and, eq, rowsOf, searchReembedRuns, skillEmbeddings, skills, skillVersions, sql, withTenant } from '@everyskill/db';
import { createTestTenant, mode, openTestDatabases, personCtx } from '../../test/agent-access-fixtures';
import { startOllamaStandIn, type StandIn } from '@everyskill/ai/testing';
import { builtinRuntime, downEmbedder, insertSkill } from '../../test/search-fixtures';
import type { Ctx } from '../context';
import { createBuiltinEmbedder } from '@everyskill/ai/embeddings/builtin-embedder';
import { createOllamaEmbedder } from '@everyskill/ai/embeddings/ollama-embedder';
import { embedSkills } from './embed-skills';
import { onSkillVersionPublished } from './on-skill-version-published';
import { getEmbeddingStatus, runReembedAll, startReembedAll } from './reembed-all-skills';
import { embedSkillJob, searchJobs } from './search-jobs';
import { createSearchRuntime, setSearchRuntime, type SearchRuntime } from './search-runtime';
import { searchSkills } from './search-skills';

type Dbs = Awaited<ReturnType<typeof openTestDatabases>>;
let dbs: Dbs;
let queue: JobQueue;
let ollama: StandIn;
let t: Awaited<ReturnType<typeof createTestTenant>>;
let admin: Ctx;
let member: Ctx;

/** The runtime the job handlers use (they read the process-wide one), switchable per test. */
let current: SearchRuntime = builtinRuntime();
const switchable: SearchRuntime = {
  get embedder() {
    return current.embedder;
  },
  get queryTimeoutMs() {
    return current.queryTimeoutMs;
  },
  embedQuery: (text) => current.embedQuery(text),
  embedDocuments: (texts, signal) => current.embedDocuments(texts, signal),
};

async function embeddingOf(tenantId: string, skillId: string, runtime: SearchRuntime = current) {
  const rows = await withTenant(dbs.app.db, tenantId, (tx) =>
    tx
      .select()
      .from(skillEmbeddings)
      .where(
        and(
          eq(skillEmbeddings.skillId, skillId),
          eq(skillEmbeddings.provider, runtime.embedder.provider),
          eq(skillEmbeddings.model, runtime.embedder.model),
        ),
      ),
  );
  return rows[0];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Publishing as the skills service does it: the skill rows and the hook, in one transaction. */
async function publish(tenantId: string, slug: string, description: string, options: { rollback?: boolean } = {}) {
  const id = await insertSkill(dbs.app.db, tenantId, { slug, description });
  const attempt = withTenant(dbs.app.db, tenantId, async (tx) => {
    await onSkillVersionPublished(tx, { tenantId, skillId: id }, queue);
    if (options.rollback) throw new Error('publish failed after the hook');
  });
  if (options.rollback) await expect(attempt).rejects.toThrow(/publish failed/);
  else await attempt;
  return id;
}

beforeAll(async () => {
  dbs = await openTestDatabases();
  ollama = await startOllamaStandIn();
  setSearchRuntime(switchable);
  queue = openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log: () => {} });
  await queue.startWorkers(new JobRegistry(searchJobs), { concurrency: 2, pollIntervalMs: 200, shutdownTimeoutMs: 5_000 });
  t = await createTestTenant(dbs.owner.db, dbs.app.db);
  admin = personCtx(dbs.app.db, t.tenantId, t.people.admin);
  member = personCtx(dbs.app.db, t.tenantId, t.people.member);
});

afterAll(async () => {
  setSearchRuntime(null);
  await queue?.close();
  await ollama?.close();
  await dbs?.close();
});

describe(`indexing off the request path (${mode})`, () => {
  it('a publish queues the embedding job, which stores the vector with its provenance', async () => {
    current = builtinRuntime();
    const id = await publish(t.tenantId, 'invoice-parser', 'Reads supplier invoices and extracts totals.');
    const row = await waitFor('the embedding', () => embeddingOf(t.tenantId, id));
    expect(row).toMatchObject({ provider: 'builtin', model: 'hashed-concepts-v1', dimensions: 512, tenantId: t.tenantId });
    expect(row.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.embedding).toHaveLength(512);
    const found = await searchSkills(member, { q: 'read bills from vendors' }, { runtime: current, record: false });
    expect(found.items.map((h) => h.skill.slug)).toContain('invoice-parser');
  });

  it('queues nothing when the publish rolls back', async () => {
    const before = await queue.listJobs({ tenantId: t.tenantId, name: embedSkillJob.name });
    await publish(t.tenantId, `rolled-back-${randomUUID().slice(0, 6)}`, 'Never published.', { rollback: true });
    const after = await queue.listJobs({ tenantId: t.tenantId, name: embedSkillJob.name });
    expect(after.length).toBe(before.length);
  });

  it('a queue that fails does not block or undo the publish, and keyword search finds the skill at once', async () => {
    const brokenQueue = {
      enqueue: async () => {
        throw new Error('queue unavailable');
      },
    } as unknown as JobQueue;
    const id = await insertSkill(dbs.app.db, t.tenantId, { slug: 'quarterly-close', description: 'Month end close checklist.' });
    await withTenant(dbs.app.db, t.tenantId, (tx) => onSkillVersionPublished(tx, { tenantId: t.tenantId, skillId: id }, brokenQueue));
    const found = await searchSkills(member, { q: 'close checklist', mode: 'keyword' }, { runtime: current, record: false });
    expect(found.items.map((h) => h.skill.slug)).toEqual(['quarterly-close']);
  });

  it('retries with backoff while the embedder is down, and succeeds once it is back', async () => {
    const down = downEmbedder();
    current = createSearchRuntime({ embedder: down, cooldownMs: 0 });
    const id = await publish(t.tenantId, 'churn-radar', 'Spots customers likely to cancel.');
    const failedOnce = await waitFor('a failed first attempt', async () => {
      const [job] = await queue.listJobs({ tenantId: t.tenantId, name: embedSkillJob.name, states: ['queued'] });
      return job?.attempts === 1 && job.lastError ? job : undefined;
    });
    expect(failedOnce.lastError).toMatch(/ECONNREFUSED/);
    // The skill was published all the same.
    const [skill] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select().from(skills).where(eq(skills.id, id)));
    expect(skill?.slug).toBe('churn-radar');
    current = builtinRuntime();
    const row = await waitFor('the embedding after a retry', () => embeddingOf(t.tenantId, id), 45_000);
    expect(row.provider).toBe('builtin');
    expect(down.calls).toBeGreaterThanOrEqual(1);
  });

  it('skips a skill whose text did not change, and re-embeds one that did', async () => {
    current = builtinRuntime();
    const id = await insertSkill(dbs.app.db, t.tenantId, { slug: 'tone-checker', description: 'Checks the tone of emails.' });
    expect(await embedSkills(dbs.app.db, current, t.tenantId, [id])).toEqual({ embedded: 1, unchanged: 0, gone: 0 });
    const first = await embeddingOf(t.tenantId, id);
    expect(await embedSkills(dbs.app.db, current, t.tenantId, [id, randomUUID()])).toEqual({ embedded: 0, unchanged: 1, gone: 1 });
    await withTenant(dbs.app.db, t.tenantId, (tx) =>
      tx.update(skills).set({ description: 'Checks the tone of support replies.' }).where(eq(skills.id, id)),
    );
    expect(await embedSkills(dbs.app.db, current, t.tenantId, [id])).toEqual({ embedded: 1, unchanged: 0, gone: 0 });
    const second = await embeddingOf(t.tenantId, id);
    expect(second!.inputSha256).not.toBe(first!.inputSha256);
  });
});

describe(`dimension change (${mode})`, () => {
  it('a vector of another length is not taken for one of the configured model: the skill is embedded again', async () => {
    const tenant = await createTestTenant(dbs.owner.db, dbs.app.db);
    const builtin = builtinRuntime();
    const id = await insertSkill(dbs.app.db, tenant.tenantId, { slug: 'resized', description: 'Checks resized vectors.' });
    expect(await embedSkills(dbs.app.db, builtin, tenant.tenantId, [id])).toMatchObject({ embedded: 1 });
    // Same provider and model, fewer dimensions (as when VOYAGE_DIMENSIONS is changed).
    const full = createBuiltinEmbedder();
    const shorter = createSearchRuntime({
      cooldownMs: 0,
      embedder: {
        provider: full.provider,
        model: full.model,
        dimensions: 64,
        duplicateThreshold: full.duplicateThreshold,
        relevanceFloor: full.relevanceFloor,
        embed: async (texts, options) => (await full.embed(texts, options)).map((v) => v.slice(0, 64)),
      },
    });
    expect(await embedSkills(dbs.app.db, shorter, tenant.tenantId, [id])).toMatchObject({ embedded: 1, unchanged: 0 });
    const [row] = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select().from(skillEmbeddings).where(eq(skillEmbeddings.skillId, id)));
    expect(row!.dimensions).toBe(64);
    expect(await embedSkills(dbs.app.db, shorter, tenant.tenantId, [id])).toMatchObject({ embedded: 0, unchanged: 1 });
  });
});

describe(`model change and re-embed all (${mode})`, () => {
  it('detects a model change and re-embeds every skill with visible progress', async () => {
    const tenant = await createTestTenant(dbs.owner.db, dbs.app.db);
    const tenantAdmin = personCtx(dbs.app.db, tenant.tenantId, tenant.people.admin);
    const builtin = builtinRuntime();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push(await insertSkill(dbs.app.db, tenant.tenantId, { slug: `skill-${i}`, description: `Skill number ${i} for testing.` }));
    }
    await embedSkills(dbs.app.db, builtin, tenant.tenantId, ids);
    expect(await getEmbeddingStatus(tenantAdmin, builtin)).toMatchObject({ skills: 40, current: 40, stale: 0, missing: 0, run: null });

    // The operator switches to Ollama: every skill now has only an old-model vector.
    const ollamaRuntime = createSearchRuntime({ embedder: createOllamaEmbedder({ host: ollama.url }) });
    const stale = await getEmbeddingStatus(tenantAdmin, ollamaRuntime);
    expect(stale).toMatchObject({ provider: 'ollama', model: 'nomic-embed-text', dimensions: 768, current: 0, stale: 40, missing: 0 });

    const enqueued: unknown[] = [];
    const run = await startReembedAll(tenantAdmin, ollamaRuntime, async (payload) => enqueued.push(payload));
    expect(run).toMatchObject({ status: 'queued', total: 40, done: 0, provider: 'ollama' });
    expect(enqueued).toEqual([{ tenantId: tenant.tenantId, runId: run.id }]);
    await expect(startReembedAll(tenantAdmin, ollamaRuntime, async () => {})).rejects.toThrow(/already in progress/);

    // Progress as the admin page sees it, read before each batch goes to the embedder.
    const progress: number[] = [];
    const observed: SearchRuntime = {
      ...ollamaRuntime,
      embedDocuments: async (texts, signal) => {
        const [r] = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
          tx.select({ done: searchReembedRuns.done, status: searchReembedRuns.status }).from(searchReembedRuns).where(eq(searchReembedRuns.id, run.id)),
        );
        progress.push(r!.done);
        expect(r!.status).toBe('running');
        return ollamaRuntime.embedDocuments(texts, signal);
      },
    };
    const result = await runReembedAll(dbs.app.db, observed, { tenantId: tenant.tenantId, runId: run.id }, { isFinalAttempt: true });
    expect(progress).toEqual([0, 32]);
    expect(result).toEqual({ done: 40, failed: 0 });

    const after = await getEmbeddingStatus(tenantAdmin, ollamaRuntime);
    expect(after).toMatchObject({ current: 40, stale: 0, missing: 0, run: { status: 'completed', done: 40, total: 40 } });
    // The old model's vectors are gone once every skill has a new one.
    const old = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select().from(skillEmbeddings).where(eq(skillEmbeddings.provider, 'builtin')),
    );
    expect(old).toEqual([]);
    // Search now runs on the 768-dimension index.
    const found = await searchSkills(personCtx(dbs.app.db, tenant.tenantId, tenant.people.member), { q: 'skill number 7' }, {
      runtime: ollamaRuntime,
      record: false,
    });
    expect(found.items[0]?.matchedBy).toContain('semantic');
  });

  it('two requests to re-embed at the same moment start one run', async () => {
    const tenant = await createTestTenant(dbs.owner.db, dbs.app.db);
    const tenantAdmin = personCtx(dbs.app.db, tenant.tenantId, tenant.people.admin);
    const enqueued: unknown[] = [];
    const results = await Promise.allSettled(
      [1, 2].map(() => startReembedAll(tenantAdmin, builtinRuntime(), async (payload) => enqueued.push(payload))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason.message))).toEqual([
      expect.stringContaining('already in progress'),
    ]);
    expect(enqueued).toHaveLength(1);
  });

  it('a run against a dead embedder keeps the old vectors and says why it failed', async () => {
    const tenant = await createTestTenant(dbs.owner.db, dbs.app.db);
    const tenantAdmin = personCtx(dbs.app.db, tenant.tenantId, tenant.people.admin);
    const id = await insertSkill(dbs.app.db, tenant.tenantId, { slug: 'kept', description: 'Keeps its vector.' });
    await embedSkills(dbs.app.db, builtinRuntime(), tenant.tenantId, [id]);
    const dead = createSearchRuntime({ embedder: downEmbedder({ ...createBuiltinEmbedder(), model: 'next-model' }) });
    const run = await startReembedAll(tenantAdmin, dead, async () => {});
    await expect(
      runReembedAll(dbs.app.db, dead, { tenantId: tenant.tenantId, runId: run.id }, { isFinalAttempt: true }),
    ).rejects.toThrow(/1 of 1 skills could not be embedded/);
    const status = await getEmbeddingStatus(tenantAdmin, dead);
    expect(status.run).toMatchObject({ status: 'failed', failed: 1, lastError: expect.stringMatching(/ECONNREFUSED/) });
    expect(await embeddingOf(tenant.tenantId, id, builtinRuntime())).toBeDefined();
  });

  it('is for admins only', async () => {
    await expect(getEmbeddingStatus(member, current)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(startReembedAll(member, current, async () => {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getEmbeddingStatus(admin, current)).resolves.toMatchObject({ provider: 'builtin' });
  });
});

describe(`keyword index upkeep (${mode})`, () => {
  type Snapshot = { postings: string[]; stats: string[] };
  const snapshot = (tenantId: string): Promise<Snapshot> =>
    withTenant(dbs.app.db, tenantId, async (tx) => ({
      postings: rowsOf<{ r: string }>(
        await tx.execute(sql`SELECT skill_id || ':' || lexeme || ':' || round(weight::numeric, 4) AS r FROM search_postings ORDER BY 1`),
      ).map((x) => x.r),
      stats: rowsOf<{ r: string }>(
        await tx.execute(sql`SELECT lexeme || ':' || ndoc AS r FROM search_lexeme_stats WHERE ndoc <> 0 ORDER BY 1`),
      ).map((x) => x.r),
    }));

  it('the trigger keeps postings and frequencies equal to a rebuild through publish, edit and delete', async () => {
    const tenant = await createTestTenant(dbs.owner.db, dbs.app.db);
    const a1 = await insertSkill(dbs.app.db, tenant.tenantId, { slug: 'slide-maker', description: 'Makes slides.', tags: ['pptx'] });
    const a2 = await insertSkill(dbs.app.db, tenant.tenantId, {
      slug: 'sheet-audit',
      description: 'Audits spreadsheets and slides.',
      body: '# Audit\n\nCheck every formula twice.',
    });
    const counted = await snapshot(tenant.tenantId);
    expect(counted.stats).toEqual(expect.arrayContaining([':2', 'slide:2', 'pptx:1', 'formula:1']));
    // In the name: weight 1, plus a little for being repeated in the description.
    expect(counted.postings.filter((p) => p.startsWith(`${a1}:slide:`))).toEqual([expect.stringMatching(/:slide:1\.1\d+$/)]);

    // A new version with other words, an edited description, a deleted skill.
    await withTenant(dbs.app.db, tenant.tenantId, async (tx) => {
      const [v] = await tx
        .insert(skillVersions)
        .values({
          tenantId: tenant.tenantId,
          skillId: a2,
          version: '2.0.0',
          contentSha256: 'f'.repeat(64),
          blobKey: `${tenant.tenantId}/${'f'.repeat(64)}`,
          skillMd: '---\nname: sheet-audit\ndescription: x\n---\n\nReconcile ledgers.',
          manifest: {},
          files: [],
          fileCount: 1,
          sizeBytes: 1,
          blobSizeBytes: 1,
        })
        .returning({ id: skillVersions.id });
      await tx.update(skills).set({ latestVersionId: v!.id }).where(eq(skills.id, a2));
      await tx.update(skills).set({ description: 'Makes decks.' }).where(eq(skills.id, a1));
    });
    const edited = await snapshot(tenant.tenantId);
    expect(edited.stats).toEqual(expect.arrayContaining(['ledger:1', 'deck:1', 'slide:2']));
    expect(edited.stats.some((s) => s.startsWith('formula:'))).toBe(false);

    await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.update(skills).set({ deletedAt: new Date() }).where(eq(skills.id, a2)));
    const afterDelete = await snapshot(tenant.tenantId);
    expect(afterDelete.stats).toEqual(expect.arrayContaining([':1', 'slide:1']));
    expect(afterDelete.postings.some((p) => p.startsWith(a2))).toBe(false);

    // search_rebuild_documents() from scratch gives exactly what the trigger maintained.
    await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.execute(sql`SELECT search_rebuild_documents(${tenant.tenantId}::uuid)`));
    expect(await snapshot(tenant.tenantId)).toEqual(afterDelete);
  });
});
