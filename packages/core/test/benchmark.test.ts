// Benchmarks against the Messages API stand-in: every task × model × with/without the skill,
// a blinded judge, recorded tokens/latency/cost, progress, cancellation and resuming after a 429.
import { BENCHMARK_TASK_MARKER, JUDGE_PROMPT_MARKER } from '@everyskill/ai';
import { defaultResponder, rateLimited, type Responder } from '@everyskill/ai/testing';
import { benchmarkResults, benchmarkRuns, eq, sql, withTenant } from '@everyskill/db';
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelBenchmark } from '../src/benchmarks/cancel-benchmark';
import { getBenchmark } from '../src/benchmarks/get-benchmark';
import { startBenchmark } from '../src/benchmarks/start-benchmark';
import { createJobRegistry } from '../src/jobs/job-registry';
import { publishSkill } from '../src/skills/publish-skill';
import { startAiHarness, waitFor, type AiHarness } from './ai-fixtures';
import { createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillFolder, skillsCtx, type SkillsTestTenant } from './skills-fixtures';

let dbs: TestDatabases;
let ai: AiHarness;
let tenant: SkillsTestTenant;
const blobs = new MemoryBlobStore();
const SKILL_BODY = '# Release notes\n\nALWAYS-GROUP-BY-COMPONENT when writing release notes.\n';
const tasks = [
  { task: 'Write release notes for: fixed login, faster search.', expectedOutcome: 'Notes grouped by component.' },
  { task: 'Summarise these commits as release notes: a, b.', expectedOutcome: 'A short grouped list.' },
];

beforeAll(async () => {
  dbs = await openTestDatabases();
  ai = await startAiHarness(dbs, () => createJobRegistry({ blobs }));
  tenant = await createSkillsTenant(dbs);
});

afterAll(async () => {
  await ai?.close();
  await dbs?.close();
});

beforeEach(() => {
  ai.standIn.respondWith(defaultResponder);
});

const as = (who: 'admin' | 'author' | 'other') => skillsCtx(dbs.app.db, tenant.tenantId, tenant[who], blobs);

async function publish(name: string) {
  await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder(name, { body: SKILL_BODY }) } });
  return name;
}

function settled(slug: string, statuses: string[]) {
  return waitFor(`benchmark of ${slug} to be ${statuses.join('/')}`, async () => {
    const panel = await getBenchmark(as('author'), { slug });
    return panel.run && statuses.includes(panel.run.status) ? panel.run : undefined;
  }, 60_000);
}

describe(`benchmarks (${mode})`, () => {
  it('runs each task with and without the skill on each model, judged blind, with tokens, latency and cost', async () => {
    const slug = await publish(`bench-${Date.now()}`);
    const before = ai.standIn.requests.length;
    await expect(startBenchmark(as('other'), { slug, tasks })).rejects.toMatchObject({ code: 'forbidden' });
    const { runId } = await startBenchmark(as('author'), { slug, tasks });
    await expect(startBenchmark(as('admin'), { slug, tasks })).rejects.toMatchObject({ code: 'conflict' });

    const run = await settled(slug, ['completed', 'failed']);
    expect(run).toMatchObject({ id: runId, status: 'completed', stepsDone: 8, stepsTotal: 8, models: ['claude-haiku-5-5', 'claude-sonnet-5-5'], judgeModel: 'claude-sonnet-5-5' });
    expect(run.results).toHaveLength(8);
    for (const cell of run.results) {
      expect(cell.inputTokens).toBeGreaterThan(0);
      expect(cell.latencyMs).toBeGreaterThanOrEqual(0);
      expect(cell.costUsd).toBeGreaterThan(0);
    }
    // The stand-in's judge scores answers that followed the skill 25 points higher.
    expect(run.summary.models).toEqual([
      expect.objectContaining({ model: 'claude-haiku-5-5', withSkill: 80, withoutSkill: 55, uplift: 25 }),
      expect.objectContaining({ model: 'claude-sonnet-5-5', withSkill: 90, withoutSkill: 65, uplift: 25 }),
    ]);
    expect(run.summary).toMatchObject({ bestModel: 'claude-sonnet-5-5', cheapestModel: 'claude-haiku-5-5' });

    const calls = ai.standIn.requests.slice(before);
    const taskCalls = calls.filter((c) => c.system.includes(BENCHMARK_TASK_MARKER));
    const judgeCalls = calls.filter((c) => c.system.includes(JUDGE_PROMPT_MARKER));
    expect(taskCalls).toHaveLength(8);
    expect(judgeCalls).toHaveLength(8);
    expect(taskCalls.filter((c) => c.system.includes('ALWAYS-GROUP-BY-COMPONENT'))).toHaveLength(4);
    // Blind: the judge is never told the model, and never sees the skill.
    for (const judge of judgeCalls) {
      expect(judge.body.model).toBe('claude-sonnet-5-5');
      expect(judge.prompt).not.toMatch(/haiku|sonnet|ALWAYS-GROUP-BY-COMPONENT|with(out)? the skill/i);
      expect(judge.prompt).toContain('<expected_outcome>');
    }
  });

  it('can be cancelled while running: it stops before the next step and keeps what was graded', async () => {
    const slug = await publish(`bench-cancel-${Date.now()}`);
    const slow: Responder = async (request, index) => ({ ...(await defaultResponder(request, index)), delayMs: 250 });
    ai.standIn.respondWith(slow);
    const { runId } = await startBenchmark(as('author'), { slug, tasks });
    await waitFor('the first graded answer', async () => ((await getBenchmark(as('author'), { slug })).run?.stepsDone ?? 0) >= 1);
    await expect(cancelBenchmark(as('other'), { slug, runId })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await cancelBenchmark(as('author'), { slug, runId })).toEqual({ status: 'cancelling' });
    const run = await settled(slug, ['cancelled', 'completed']);
    expect(run.status).toBe('cancelled');
    expect(run.cancelRequested).toBe(true);
    expect(run.stepsDone).toBeLessThan(run.stepsTotal);
    expect(run.results.length).toBe(run.stepsDone);
    const requests = ai.standIn.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ai.standIn.requests.length).toBe(requests);
    // A new run can start once this one is over.
    await expect(startBenchmark(as('author'), { slug, tasks: tasks.slice(0, 1) })).resolves.toHaveProperty('runId');
    await settled(slug, ['completed']);
  });

  it('a run left running by a worker that died for good shows as failed and does not block a new run', async () => {
    const slug = await publish(`bench-orphan-${Date.now()}`);
    const { runId } = await startBenchmark(as('author'), { slug, tasks: tasks.slice(0, 1) });
    await settled(slug, ['completed']);
    // What a crash leaves behind once the queue has given up: "running", untouched for hours.
    const longAgo = new Date(Date.now() - 6 * 3_600_000);
    await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.update(benchmarkRuns).set({ status: 'running', completedAt: null, updatedAt: longAgo }).where(eq(benchmarkRuns.id, runId)),
    );
    expect((await getBenchmark(as('author'), { slug })).run).toMatchObject({ id: runId, status: 'failed', error: expect.stringContaining('stopped without finishing') });
    const next = await startBenchmark(as('author'), { slug, tasks: tasks.slice(0, 1) });
    expect(next.runId).not.toBe(runId);
    const [closed] = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId)));
    expect(closed!.status).toBe('failed');
    await settled(slug, ['completed']);
  });

  it('a database failure during a run is shown as an internal error, never as SQL', async () => {
    const slug = `bench-dberror-${Date.now()}`;
    const published = await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder(slug, { body: SKILL_BODY }) } });
    // Storing this skill's results fails, as a constraint or a dropped connection would.
    const fn = `bench_refuse_${published.skill.id.replace(/-/g, '')}`;
    await dbs.owner.db.execute(
      sql.raw(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM benchmark_runs r WHERE r.id = NEW.run_id AND r.skill_id = '${published.skill.id}') THEN
            RAISE EXCEPTION 'refused by test trigger';
          END IF;
          RETURN NEW;
        END $$`),
    );
    await dbs.owner.db.execute(sql.raw(`CREATE TRIGGER ${fn} BEFORE INSERT ON benchmark_results FOR EACH ROW EXECUTE FUNCTION ${fn}()`));
    try {
      await startBenchmark(as('author'), { slug, tasks: tasks.slice(0, 1) });
      const run = await settled(slug, ['failed']);
      expect(run.error).toContain('an internal error stopped this attempt');
      expect(run.error).not.toMatch(/insert into|benchmark_results|refused by test trigger|params/i);
    } finally {
      await dbs.owner.db.execute(sql.raw(`DROP TRIGGER ${fn} ON benchmark_results`));
      await dbs.owner.db.execute(sql.raw(`DROP FUNCTION ${fn}()`));
    }
  });

  it('resumes after a 429: the retry keeps the graded answers and redoes only the interrupted one', async () => {
    const slug = await publish(`bench-429-${Date.now()}`);
    const before = ai.standIn.requests.length;
    let limited = false;
    ai.standIn.respondWith((request, index) => {
      if (!limited && index >= before + 5) {
        limited = true;
        return rateLimited(0);
      }
      return defaultResponder(request, index);
    });
    await startBenchmark(as('author'), { slug, tasks });
    const run = await settled(slug, ['completed', 'failed']);
    expect(run.status).toBe('completed');
    expect(run.results).toHaveLength(8);
    const rows = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select().from(benchmarkResults).where(eq(benchmarkResults.runId, run.id)));
    expect(new Set(rows.map((r) => `${r.taskIndex}|${r.model}|${r.withSkill}`)).size).toBe(8);
    // 16 calls for 8 cells, the 429 itself, and at most the one task call whose judging was interrupted.
    expect(ai.standIn.requests.length - before).toBeLessThanOrEqual(18);
    expect(ai.standIn.requests.length - before).toBeGreaterThanOrEqual(17);
  });

  it('a judge that keeps answering malformed verdicts fails the run visibly after its retries', async () => {
    const slug = await publish(`bench-bad-${Date.now()}`);
    ai.standIn.respondWith((request, index) =>
      request.system.includes(JUDGE_PROMPT_MARKER) ? { text: '{"score": 150, "reasoning": "amazing"}' } : defaultResponder(request, index),
    );
    await startBenchmark(as('author'), { slug, tasks: tasks.slice(0, 1) });
    const run = await settled(slug, ['failed', 'completed']);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/score.*\(gave up after 3 attempts\)/);
    expect(run.results).toHaveLength(0);
  });

  it('is visibly off without ANTHROPIC_API_KEY', async () => {
    const slug = await publish(`bench-off-${Date.now()}`);
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    try {
      expect((await getBenchmark(as('author'), { slug })).features.enabled).toBe(false);
      await expect(startBenchmark(as('author'), { slug, tasks })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('ANTHROPIC_API_KEY') });
    } finally {
      vi.stubEnv('ANTHROPIC_API_KEY', 'sk-test-everyskill');
    }
  });
});
