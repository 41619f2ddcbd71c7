import { SECOND_OPINION_RULE, type SafetyFinding, type SafetyVerdict } from '@everyskill/contracts';
import { AiCallError, createClaudeClient, readAiConfig, reviewSkillSafety, type ClaudeClient } from '@everyskill/ai';
import { defineJobType, getJobQueue, PermanentJobError, withHandler, type JobContext, type JobQueue } from '@everyskill/jobs';
import { eq, skills, skillVersions, skillVersionSafety, withTenant, type Database, type Transaction } from '@everyskill/db';
import { z } from 'zod';
import { textOfScannableFile } from '../secrets/scan-for-secrets';
import type { SkillBlobStore, SkillsCtx } from '../skill-blob-store';
import { loadVersionBundle } from '../skill-bundle-io';
import { recordAudit } from '../../audit/record-audit';
import type { Ctx } from '../../context';
import { AppError, conflict } from '../../errors';
import { parseInput } from '../../parse-input';
import { requireAdmin } from '../../members/require-admin';
import { loadVersion } from '../load-version';
import { loadVisibleSkill } from '../skill-access';
import { announceNewlyBlocked } from './rescan-skill-safety';

export { SECOND_OPINION_RULE };

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

const opinionInput = z.object({ slug: z.string().min(1, 'slug is required'), version: z.string().min(1).optional() });

/** Where Claude's second opinion on a version stands: none asked, its job waiting or running, failed, or given. */
export type SecondOpinionState = 'none' | 'queued' | 'running' | 'failed' | 'done';

/** Claude's second opinion on one version as its page shows it to admins. */
export interface SafetySecondOpinionStatus {
  version: string;
  /** AI is on (the server has ANTHROPIC_API_KEY): an opinion can be asked for. */
  aiEnabled: boolean;
  state: SecondOpinionState;
  /** Claude's verdict and summary, once given. */
  summary: string | null;
  /** Why the last attempt failed, when it did. */
  error: string | null;
}

/** The version an admin names and its stored scan, read in one transaction after the admin check. */
async function loadScannedVersion(ctx: Ctx, input: z.input<typeof opinionInput>, doing: string) {
  const { slug, version } = parseInput(opinionInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, doing);
    const row = await loadVersion(tx, await loadVisibleSkill(tx, ctx, slug), version);
    const [scan] = await tx.select({ findings: skillVersionSafety.findings }).from(skillVersionSafety).where(eq(skillVersionSafety.versionId, row.id));
    return { slug, row, findings: scan ? (scan.findings as unknown as SafetyFinding[]) : null }; // written by recordVersionSafety
  });
}

async function statusOf(ctx: Ctx, versionId: string, version: string, findings: SafetyFinding[] | null, queue?: JobQueue): Promise<SafetySecondOpinionStatus> {
  const aiEnabled = readAiConfig().enabled;
  const given = findings?.find((f) => f.ruleId === SECOND_OPINION_RULE && f.severity === 'info');
  if (given) return { version, aiEnabled, state: 'done', summary: given.message, error: null };
  // Newest first: the version's latest job says where it stands (a completed one without findings was undone by a rescan).
  const jobs = await (queue ?? (await getJobQueue())).listJobs({ tenantId: ctx.tenantId, name: safetySecondOpinionJobType.name, limit: 200 });
  const job = jobs.find((j) => (j.payload as { versionId?: unknown } | null)?.versionId === versionId); // payloads of this job type
  const state = job?.state;
  if (state === 'queued' || state === 'running') return { version, aiEnabled, state, summary: null, error: null };
  if (state === 'failed') return { version, aiEnabled, state, summary: null, error: job?.lastError ?? null };
  return { version, aiEnabled, state: 'none', summary: null, error: null };
}

/** Where Claude's second opinion on a version (the latest by default) stands; admins only. */
export async function getSafetySecondOpinion(ctx: Ctx, input: z.input<typeof opinionInput>, queue?: JobQueue): Promise<SafetySecondOpinionStatus> {
  const { row, findings } = await loadScannedVersion(ctx, input, "see Claude's safety opinion");
  return statusOf(ctx, row.id, row.version, findings, queue);
}

/**
 * An admin asks for Claude's safety opinion on one scanned version (any verdict; audited). Refused
 * when AI is off, and while an opinion is queued or running or once it was given (a failed one may
 * be asked for again).
 */
export async function requestSafetySecondOpinion(ctx: Ctx, input: z.input<typeof opinionInput>, queue?: JobQueue): Promise<SafetySecondOpinionStatus> {
  const { slug, row, findings } = await loadScannedVersion(ctx, input, 'ask for a safety review');
  const which = `${slug} ${row.version}`;
  if (!findings) throw conflict(`${which} was published before safety scanning: there is no scan for Claude to give a second opinion on`);
  const jobs = queue ?? (await getJobQueue());
  // Outside a transaction: the embedded database is one connection, and the queue reads it too.
  const status = await statusOf(ctx, row.id, row.version, findings, jobs);
  if (!status.aiEnabled) throw new AppError('unavailable', 'the safety second opinion needs AI: this server has no ANTHROPIC_API_KEY configured');
  if (status.state === 'done') throw conflict(`Claude already gave its second opinion on ${which}: ${status.summary ?? ''}`);
  if (status.state === 'queued' || status.state === 'running') throw conflict(`Claude's second opinion on ${which} is already ${status.state}; it appears on the skill's page when done`);
  await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await recordAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: 'skill.safety_opinion_requested', targetType: 'skill', targetId: row.skillId, details: { slug, version: row.version }, requestId: ctx.requestId });
    // In the audit's transaction: a request that loses a race to another one records nothing.
    const id = await jobs.enqueue(safetySecondOpinionJobType, { tenantId: ctx.tenantId, versionId: row.id }, { tx, singletonKey: `safety-opinion:${row.id}` });
    if (id === null) throw conflict(`Claude's second opinion on ${which} is already queued; it appears on the skill's page when done`);
  });
  return { ...status, state: 'queued', error: null };
}
