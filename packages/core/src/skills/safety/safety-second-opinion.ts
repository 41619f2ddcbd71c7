import type { SafetyFinding, SafetyVerdict } from '@everyskill/contracts';
import { AiCallError, createClaudeClient, readAiConfig, reviewSkillSafety, type ClaudeClient } from '@everyskill/ai';
import { defineJobType, getJobQueue, PermanentJobError, withHandler, type JobContext, type JobQueue } from '@everyskill/jobs';
import { eq, skills, skillVersions, skillVersionSafety, withTenant, type Database, type Transaction } from '@everyskill/db';
import { z } from 'zod';
import { textOfScannableFile } from '../secrets/scan-for-secrets';
import type { SkillBlobStore, SkillsCtx } from '../skill-blob-store';
import { loadVersionBundle } from '../skill-bundle-io';
import { recordAudit } from '../../audit/record-audit';
import type { Ctx } from '../../context';
import { AppError } from '../../errors';
import { requireAdmin } from '../../members/require-admin';
import { loadVersion } from '../load-version';
import { loadVisibleSkill } from '../skill-access';
import { announceNewlyBlocked } from './rescan-skill-safety';

/** The rule id of the findings Claude's second opinion adds to a version's scan. */
export const SECOND_OPINION_RULE = 'claude-second-opinion';

const RANK: Record<SafetyVerdict, number> = { clean: 0, warn: 1, blocked: 2 };

/** Claude's second opinion on one version's safety, queued for versions the rules flag. */
export const safetySecondOpinionJobType = defineJobType({
  name: 'safety.second-opinion',
  payload: z.object({ tenantId: z.uuid(), versionId: z.uuid() }),
  retry: { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 900 },
});

/**
 * Queues the second opinion in the publishing transaction when the rules flagged the version
 * (`warn` or `blocked`, e.g. held for review) and AI is on. Never throws: the publish goes on.
 */
export async function queueSafetySecondOpinionIfFlagged(tx: Transaction, event: { tenantId: string; versionId: string }, queue?: JobQueue): Promise<void> {
  try {
    if (!readAiConfig().enabled) return;
    const [scan] = await tx.select({ verdict: skillVersionSafety.verdict }).from(skillVersionSafety).where(eq(skillVersionSafety.versionId, event.versionId));
    if (!scan || scan.verdict === 'clean') return;
    await (queue ?? (await getJobQueue())).enqueue(safetySecondOpinionJobType, event, { tx, singletonKey: `safety-opinion:${event.versionId}` });
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: 'safety second opinion not queued', versionId: event.versionId, error: (error as Error).message }));
  }
}

/**
 * Asks Claude for its verdict on a version, the files passed as delimited data, and adds its
 * findings to the stored scan. It can raise the verdict (a version it blocks is withheld, its
 * author and the admins told), never lower it: a rule's `block` stays until a person releases it.
 * Runs once per version (its findings mark it done), so retries are safe.
 */
export async function runSafetySecondOpinion(
  db: Database,
  blobs: SkillBlobStore,
  payload: { tenantId: string; versionId: string },
  deps: { client?: ClaudeClient | null; signal?: AbortSignal } = {},
): Promise<{ verdict: SafetyVerdict; raised: boolean } | null> {
  const { tenantId, versionId } = payload;
  const loaded = await withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ scan: skillVersionSafety, blobKey: skillVersions.blobKey, version: skillVersions.version, skillId: skills.id, slug: skills.slug, name: skills.name, authorUserId: skills.authorUserId })
      .from(skillVersionSafety)
      .innerJoin(skillVersions, eq(skillVersions.id, skillVersionSafety.versionId))
      .innerJoin(skills, eq(skills.id, skillVersions.skillId))
      .where(eq(skillVersionSafety.versionId, versionId));
    return row ?? null;
  });
  if (!loaded) return null;
  const stored = loaded.scan.findings as unknown as SafetyFinding[]; // written by recordVersionSafety
  if (stored.some((f) => f.ruleId === SECOND_OPINION_RULE)) return { verdict: loaded.scan.verdict, raised: false };

  const config = readAiConfig();
  const client = deps.client === undefined ? createClaudeClient(config) : deps.client;
  if (!client) throw new PermanentJobError('AI is off: this server has no ANTHROPIC_API_KEY configured');
  const ctx: SkillsCtx = { tenantId, db, blobs, actor: { kind: 'system', label: 'safety second opinion' } };
  const bundle = await loadVersionBundle(ctx, loaded.blobKey);
  const files = bundle.files.flatMap((f) => {
    const text = textOfScannableFile(f);
    return text === null ? [] : [{ path: f.path, text }];
  });
  const ruleFindings = stored.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}: ${f.message}`);
  const { opinion } = await reviewSkillSafety(client, config.reviewModel, { files, ruleFindings }, deps.signal);

  const added: SafetyFinding[] = opinion.findings.map((f) => ({
    ruleId: SECOND_OPINION_RULE,
    severity: f.severity,
    category: 'agent-instructions',
    message: `Claude: ${f.message}`,
    file: f.file,
    line: f.line ?? 1,
    column: 1,
    excerpt: '',
  }));
  // The summary is always kept, so the page shows the opinion was given (and the job does not run twice).
  added.push({ ruleId: SECOND_OPINION_RULE, severity: 'info', category: 'agent-instructions', message: `Claude (${opinion.verdict}): ${opinion.summary}`, file: 'SKILL.md', line: 1, column: 1, excerpt: '' });
  // Claude may raise the verdict, never lower it; a block needs both its verdict and a blocking finding.
  const claims: SafetyVerdict = opinion.verdict === 'blocked' && added.some((f) => f.severity === 'block') ? 'blocked' : opinion.verdict === 'clean' ? 'clean' : 'warn';
  const verdict = RANK[claims] > RANK[loaded.scan.verdict] ? claims : loaded.scan.verdict;
  const raised = verdict !== loaded.scan.verdict;
  await withTenant(db, tenantId, async (tx) => {
    await tx.update(skillVersionSafety).set({ verdict, findings: [...stored, ...added] as unknown as Array<Record<string, unknown>> }).where(eq(skillVersionSafety.versionId, versionId));
    if (raised && verdict === 'blocked' && !loaded.scan.overriddenAt) {
      await announceNewlyBlocked(tx, tenantId, { ...loaded, versionId, rulesVersion: loaded.scan.rulesVersion, blocking: added.filter((f) => f.severity === 'block').length, source: 'claude' });
    }
  });
  return { verdict, raised };
}

/** The job with its handler; a retryable Claude failure is thrown for the queue to retry. */
export function safetySecondOpinionJob(deps: { blobs: SkillBlobStore; client?: ClaudeClient | null }) {
  return withHandler(safetySecondOpinionJobType, async (payload, job: JobContext) => {
    try {
      await runSafetySecondOpinion(job.db, deps.blobs, payload, { client: deps.client, signal: job.signal });
    } catch (error) {
      if (error instanceof AiCallError && (!error.retryable || job.isFinalAttempt)) throw new PermanentJobError(error.message, { cause: error });
      throw error;
    }
  });
}

/** An admin asks for Claude's safety opinion on one version (any verdict); refused when AI is off. */
export async function requestSafetySecondOpinion(ctx: Ctx, input: { slug: string; version?: string }, queue?: JobQueue): Promise<void> {
  if (!readAiConfig().enabled) throw new AppError('unavailable', 'the safety second opinion needs AI: this server has no ANTHROPIC_API_KEY configured');
  const versionId = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'ask for a safety review');
    const row = await loadVersion(tx, await loadVisibleSkill(tx, ctx, input.slug), input.version);
    await recordAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: 'skill.safety_opinion_requested', targetType: 'skill', targetId: row.skillId, details: { slug: input.slug, version: row.version }, requestId: ctx.requestId });
    return row.id;
  });
  // Outside the transaction: the embedded database is one connection, and the queue uses it too.
  await (queue ?? (await getJobQueue())).enqueue(safetySecondOpinionJobType, { tenantId: ctx.tenantId, versionId }, { singletonKey: `safety-opinion:${versionId}` });
}
