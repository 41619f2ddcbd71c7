import {
  and,
  desc,
  eq,
  memberships,
  reviewDecisions,
  reviewNotifications,
  skillSubmissionRevisions,
  skillSubmissions,
  skillVersions,
  users,
  withTenant,
  type ReviewDecisionKind,
  type SkillSubmission,
  type SkillSubmissionRevision,
  type Transaction,
} from '@everyskill/db';
import { decideSubmissionInput } from '@everyskill/contracts';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Actor, type Ctx } from '../context';
import { conflict, forbidden, notFound } from '../errors';
import { parseInput } from '../parse-input';
import { attestSkillVersion } from '../provenance/attest-skill-version';
import { afterVersionPublished } from '../skills/after-version-published';
import { publishSkill } from '../skills/publish-skill';
import { requirePerson } from '../skills/skill-access';
import type { SkillBlobStore, SkillsCtx } from '../skills/skill-blob-store';
import { runAsApprovedPublication } from './publish-gate';
import { requireReviewer } from './reviewer-access';

export interface DecisionResult {
  submissionId: string;
  status: SkillSubmission['status'];
  /** Set when the decision published the skill. */
  published: { skillId: string; versionId: string; version: string } | null;
}

const decisionKind = { approve: 'approved', request_changes: 'changes_requested', reject: 'rejected' } as const;

/**
 * A reviewer's decision on a submission under review. Approving publishes the latest revision
 * (as its author's publication) and then records the decision; requesting changes or rejecting
 * records it. Each decision is an insert-only row, an audit entry and a notification to the author.
 */
export async function decideSubmission(ctx: SkillsCtx, input: z.input<typeof decideSubmissionInput>): Promise<DecisionResult> {
  const reviewer = requirePerson(ctx, 'decide on a submission');
  const { submissionId, decision, comment } = parseInput(decideSubmissionInput, input);
  const { submission, revision } = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const role = await requireReviewer(tx, ctx, 'decide on submissions');
    const loaded = await loadOpenSubmission(tx, submissionId);
    if (loaded.submission.authorUserId === reviewer && role !== 'admin') {
      throw forbidden('a reviewer cannot decide on their own submission; ask another reviewer or an admin');
    }
    return loaded;
  });

  const by = { actorUserId: actorUserId(ctx.actor), comment: comment || null };
  if (decision === 'approve') return approveRevision(ctx, ctx.blobs, submission, revision, { ...by, decision: 'approved' });
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const current = await lockOpenRevision(tx, submission.id, revision.id);
    return recordDecision(tx, ctx, { ...by, decision: decisionKind[decision], submission: current, revision, published: null });
  });
}

/**
 * Approves the revision: publishes it and records the decision in the publishing transaction,
 * under the submission's lock, so the version and the decision commit together or not at all. A
 * second decision, or the author revising or withdrawing, at the same moment is a conflict
 * (`details.reason: 'moved-on'`) and nothing is published.
 */
export async function approveRevision(
  ctx: Ctx & Partial<Pick<SkillsCtx, 'afterPublish'>>,
  blobs: SkillBlobStore,
  submission: SkillSubmission,
  revision: SkillSubmissionRevision,
  decision: { decision: 'approved' | 'auto_approved'; actorUserId: string | null; comment: string | null },
): Promise<DecisionResult> {
  let decided: DecisionResult | null = null;
  const record = async (tx: Transaction, published: NonNullable<DecisionResult['published']>) => {
    const current = await lockOpenRevision(tx, submission.id, revision.id);
    decided = await recordDecision(tx, ctx, { ...decision, submission: current, revision, published });
    return decided;
  };
  const published = await publishRevision(ctx, blobs, submission, revision, record);
  // Identical content was published before: no new version, so the decision is recorded on its
  // own, and the version gets a new attestation stating the review (the earlier one is kept).
  return (
    decided ??
    withTenant(ctx.db, ctx.tenantId, async (tx) => {
      const result = await record(tx, published);
      await attestSkillVersion(tx, ctx.tenantId, published.versionId, 'review');
      return result;
    })
  );
}

/** The submission, locked, while `revisionId` is still its latest revision under review; else a 'moved-on' conflict. */
async function lockOpenRevision(tx: Transaction, submissionId: string, revisionId: string): Promise<SkillSubmission> {
  const current = await loadOpenSubmission(tx, submissionId, true);
  if (current.revision.id !== revisionId) {
    throw conflict('the author revised this submission a moment ago; review the new revision', { reason: 'moved-on' });
  }
  return current.submission;
}

/** The submission, which must be under review, and its latest revision. */
export async function loadOpenSubmission(
  tx: Transaction,
  submissionId: string,
  forUpdate = false,
): Promise<{ submission: SkillSubmission; revision: SkillSubmissionRevision }> {
  const query = tx.select().from(skillSubmissions).where(eq(skillSubmissions.id, submissionId));
  const [submission] = forUpdate ? await query.for('update') : await query;
  if (!submission) throw notFound('that submission');
  if (submission.status !== 'in_review') {
    throw conflict(`this submission is ${submission.status.replace('_', ' ')}, not under review, so there is nothing to decide`, { reason: 'moved-on' });
  }
  const [revision] = await tx
    .select()
    .from(skillSubmissionRevisions)
    .where(eq(skillSubmissionRevisions.submissionId, submission.id))
    .orderBy(desc(skillSubmissionRevisions.revision))
    .limit(1);
  if (!revision) throw notFound('a revision of that submission');
  return { submission, revision };
}

/**
 * Publishes the revision as its author's own publication, through the approval gate, with the
 * app's publish hook (search embedding, AI review) like every other publish. `decide` runs first
 * in the publishing transaction (when a new version is written): if it throws, nothing is published.
 */
async function publishRevision(
  ctx: Ctx & Partial<Pick<SkillsCtx, 'afterPublish'>>,
  blobs: SkillBlobStore,
  submission: SkillSubmission,
  revision: SkillSubmissionRevision,
  decide: (tx: Transaction, published: NonNullable<DecisionResult['published']>) => Promise<unknown>,
): Promise<NonNullable<DecisionResult['published']>> {
  const author = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select({ email: users.email, role: memberships.role, status: memberships.status })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId)))
      .where(eq(users.id, submission.authorUserId));
    return row;
  });
  if (!author || author.status !== 'active') {
    throw conflict('the author of this submission is no longer an active member, so it cannot be published in their name; reject it');
  }
  const actor: Actor = { kind: 'user', userId: submission.authorUserId, email: author.email, role: author.role };
  const result = await runAsApprovedPublication(submission.id, () =>
    publishSkill(
      {
        tenantId: ctx.tenantId,
        db: ctx.db,
        blobs,
        actor,
        requestId: ctx.requestId,
        afterPublish: async (tx, event) => {
          const [version] = await tx.select({ version: skillVersions.version }).from(skillVersions).where(eq(skillVersions.id, event.versionId));
          await decide(tx, { skillId: event.skillId, versionId: event.versionId, version: version!.version });
          await (ctx.afterPublish ?? afterVersionPublished)(tx, { ...event, fromRevisionId: revision.id });
        },
      },
      {
        ...(submission.skillId ? { slug: submission.slug } : {}),
        notes: revision.notes ?? undefined,
        source: { kind: 'skill-md', skillMd: revision.skillMd },
      },
    ),
  );
  return { skillId: result.skill.id, versionId: result.version.id, version: result.version.version };
}

const messages: Record<Exclude<ReviewDecisionKind, 'submitted' | 'revised' | 'withdrawn'>, (slug: string) => string> = {
  approved: (slug) => `Your submission '${slug}' was approved and is published.`,
  auto_approved: (slug) => `Your submission '${slug}' met the AI review threshold: it was approved automatically and is published.`,
  changes_requested: (slug) => `Changes were requested on your submission '${slug}'. Revise it and submit again.`,
  rejected: (slug) => `Your submission '${slug}' was rejected.`,
};

/** Writes a decision: the insert-only record, the submission's status, an audit entry and the author's notification. */
export async function recordDecision(
  tx: Transaction,
  ctx: Ctx,
  input: {
    submission: SkillSubmission;
    revision: SkillSubmissionRevision;
    decision: keyof typeof messages;
    actorUserId: string | null;
    comment: string | null;
    published: DecisionResult['published'];
  },
): Promise<DecisionResult> {
  const { submission, revision, decision, published } = input;
  const status = decision === 'approved' || decision === 'auto_approved' ? 'approved' : decision;
  await tx.insert(reviewDecisions).values({
    tenantId: ctx.tenantId,
    submissionId: submission.id,
    revisionId: revision.id,
    decision,
    actorUserId: input.actorUserId,
    comment: input.comment,
  });
  await tx
    .update(skillSubmissions)
    .set({
      status,
      updatedAt: new Date(),
      ...(published ? { skillId: published.skillId, publishedVersionId: published.versionId } : {}),
    })
    .where(eq(skillSubmissions.id, submission.id));
  const message = `${messages[decision](submission.slug)}${input.comment ? ` Comment: ${input.comment}` : ''}`.slice(0, 2000);
  await tx.insert(reviewNotifications).values({
    tenantId: ctx.tenantId,
    userId: submission.authorUserId,
    submissionId: submission.id,
    decision,
    message,
  });
  await recordAudit(tx, {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    action: `review.${decision}`,
    targetType: 'skill_submission',
    targetId: submission.id,
    details: {
      slug: submission.slug,
      revision: revision.revision,
      comment: input.comment,
      ...(published ? { skillId: published.skillId, versionId: published.versionId, version: published.version } : {}),
    },
    requestId: ctx.requestId,
  });
  return { submissionId: submission.id, status, published };
}
