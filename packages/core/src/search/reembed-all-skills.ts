import type { EmbeddingStatus, ReembedRunView } from '@everyskill/contracts';
import { lockTenant } from '../tenants/lock-tenant';
import {
  and,
  asc,
  desc,
  eq,
  gt,
  isNull,
  ne,
  or,
  searchReembedRuns,
  skillEmbeddings,
  skills,
  sql,
  withTenant,
  type Database,
  type SearchReembedRun,
} from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';
import { conflict } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { embedSkills } from './embed-skills';
import type { SearchRuntime } from './search-runtime';

const BATCH = 32;

function toRunView(run: SearchReembedRun): ReembedRunView {
  return {
    id: run.id,
    status: run.status,
    provider: run.provider,
    model: run.model,
    total: run.total,
    done: run.done,
    failed: run.failed,
    lastError: run.lastError,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** How the tenant's embeddings compare with the configured model, and the latest re-embed run; admins only. */
export async function getEmbeddingStatus(ctx: Ctx, runtime: SearchRuntime): Promise<EmbeddingStatus> {
  const { provider, model, dimensions } = runtime.embedder;
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'see the search index status');
    const [counts] = await tx
      .select({
        skills: sql<number>`count(*)::int`,
        current: sql<number>`count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM ${skillEmbeddings} e WHERE e.skill_id = ${skills.id}
            AND e.provider = ${provider} AND e.model = ${model} AND e.dimensions = ${dimensions}))::int`,
        stale: sql<number>`count(*) FILTER (WHERE NOT EXISTS (
          SELECT 1 FROM ${skillEmbeddings} e WHERE e.skill_id = ${skills.id}
            AND e.provider = ${provider} AND e.model = ${model} AND e.dimensions = ${dimensions})
          AND EXISTS (SELECT 1 FROM ${skillEmbeddings} e WHERE e.skill_id = ${skills.id}))::int`,
      })
      .from(skills)
      .where(isNull(skills.deletedAt));
    const [run] = await tx
      .select()
      .from(searchReembedRuns)
      .orderBy(desc(searchReembedRuns.createdAt))
      .limit(1);
    const total = Number(counts?.skills ?? 0);
    const current = Number(counts?.current ?? 0);
    const stale = Number(counts?.stale ?? 0);
    return {
      provider,
      model,
      dimensions,
      skills: total,
      current,
      stale,
      missing: total - current - stale,
      run: run ? toRunView(run) : null,
    };
  });
}

/**
 * Starts an admin's "re-embed all": records a run and hands it to the job queue through
 * `enqueue`. A run already queued or running is returned instead of starting a second one.
 */
export async function startReembedAll(
  ctx: Ctx,
  runtime: SearchRuntime,
  enqueue: (payload: { tenantId: string; runId: string }) => Promise<unknown>,
): Promise<ReembedRunView> {
  const { provider, model, dimensions } = runtime.embedder;
  const run = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 're-embed the skills');
    // Under the tenant's lock: two requests at once (a double click) cannot both start a run.
    await lockTenant(tx, ctx.tenantId);
    const [active] = await tx
      .select()
      .from(searchReembedRuns)
      .where(
        or(eq(searchReembedRuns.status, 'queued'), eq(searchReembedRuns.status, 'running')),
      )
      .limit(1);
    if (active) throw conflict('a re-embed is already in progress; wait for it to finish', { runId: active.id });
    const [total] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(skills)
      .where(isNull(skills.deletedAt));
    const [created] = await tx
      .insert(searchReembedRuns)
      .values({
        tenantId: ctx.tenantId,
        provider,
        model,
        dimensions,
        total: Number(total?.n ?? 0),
        requestedBy: actorUserId(ctx.actor),
      })
      .returning();
    return created!;
  });
  try {
    await enqueue({ tenantId: ctx.tenantId, runId: run.id });
  } catch (error) {
    await withTenant(ctx.db, ctx.tenantId, (tx) =>
      tx
        .update(searchReembedRuns)
        .set({ status: 'failed', lastError: `could not queue the job: ${(error as Error).message}`, finishedAt: new Date() })
        .where(eq(searchReembedRuns.id, run.id)),
    );
    throw error;
  }
  return toRunView(run);
}

/**
 * The re-embed job: walks every live skill of the tenant in id order, embeds those whose text or
 * model changed, and records progress after each batch. Safe to retry: finished skills are
 * skipped by their input hash. A failed batch makes the job fail after the walk (the queue retries
 * with backoff); when nothing failed, vectors of other models are removed.
 */
export async function runReembedAll(
  db: Database,
  runtime: SearchRuntime,
  payload: { tenantId: string; runId: string },
  job: { isFinalAttempt: boolean; signal?: AbortSignal },
): Promise<{ done: number; failed: number }> {
  const { tenantId, runId } = payload;
  const { provider, model, dimensions } = runtime.embedder;
  const update = (values: Partial<typeof searchReembedRuns.$inferInsert>) =>
    withTenant(db, tenantId, (tx) => tx.update(searchReembedRuns).set(values).where(eq(searchReembedRuns.id, runId)));

  await update({ status: 'running', startedAt: new Date(), done: 0, failed: 0, lastError: null });
  let done = 0;
  let failed = 0;
  let lastError: string | null = null;
  let after = '00000000-0000-0000-0000-000000000000';
  try {
    for (;;) {
      job.signal?.throwIfAborted();
      const batch = await withTenant(db, tenantId, (tx) =>
        tx
          .select({ id: skills.id })
          .from(skills)
          .where(and(isNull(skills.deletedAt), gt(skills.id, after)))
          .orderBy(asc(skills.id))
          .limit(BATCH),
      );
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      const ids = batch.map((b) => b.id);
      try {
        await embedSkills(db, runtime, tenantId, ids, job.signal);
        done += ids.length;
      } catch (error) {
        failed += ids.length;
        lastError = (error as Error).message;
      }
      await update({ done, failed, lastError });
    }
    if (failed > 0) {
      // Let the queue retry with backoff (the embedder may be back by then); skills done are skipped.
      throw new Error(`${failed} of ${done + failed} skills could not be embedded: ${lastError}`);
    }
    // Every skill has a vector of the configured model now: the old model's rows are dead weight.
    await withTenant(db, tenantId, (tx) =>
      tx
        .delete(skillEmbeddings)
        .where(
          or(ne(skillEmbeddings.provider, provider), ne(skillEmbeddings.model, model), ne(skillEmbeddings.dimensions, dimensions)),
        ),
    );
    await update({ status: 'completed', finishedAt: new Date() });
    return { done, failed };
  } catch (error) {
    // Aborted (shutdown, expiry) or the database failed: the queue retries; the last try says so.
    await update(
      job.isFinalAttempt
        ? { status: 'failed', lastError: (error as Error).message, finishedAt: new Date() }
        : { status: 'queued', lastError: `${(error as Error).message} (will retry)` },
    );
    throw error;
  }
}
