import type { SafetyScan } from '@everyskill/contracts';
import { and, eq, isNull, memberships, notifications, skills, skillVersions, skillVersionSafety, sql, withTenant, type Database, type Transaction } from '@everyskill/db';
import { recordAudit } from '../../audit/record-audit';
import type { SkillBlobStore, SkillsCtx } from '../skill-blob-store';
import { loadVersionBundle } from '../skill-bundle-io';
import { recordVersionSafety } from './record-version-safety';
import { SAFETY_RULES_VERSION, scanSkillBundle } from './scan-skill-bundle';

const SYSTEM = { kind: 'system', label: 'safety rescan' } as const;

export interface RescanResult {
  scanned: number;
  newlyBlocked: number;
  remaining: number;
}

/**
 * Rescans the latest version of every skill of a tenant whose stored scan ran with other rules
 * (or none), a batch at a time. Safe to retry: a version already scanned with these rules is not
 * read again, and a notification is written once per version (dedupe key). A version newly
 * blocked is withheld from agents from then on and its author and the workspace's admins are told.
 */
export async function rescanSkillSafety(
  db: Database,
  blobs: SkillBlobStore,
  tenantId: string,
  options: { batch?: number; scan?: (files: Parameters<typeof scanSkillBundle>[0]) => SafetyScan } = {},
): Promise<RescanResult> {
  const ctx: SkillsCtx = { tenantId, db, blobs, actor: SYSTEM };
  const scan = options.scan ?? scanSkillBundle;
  const rulesVersion = options.scan ? null : SAFETY_RULES_VERSION;
  const stale = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ skillId: skills.id, slug: skills.slug, name: skills.name, authorUserId: skills.authorUserId, versionId: skillVersions.id, version: skillVersions.version, blobKey: skillVersions.blobKey, verdict: skillVersionSafety.verdict, scannedWith: skillVersionSafety.rulesVersion })
      .from(skills)
      .innerJoin(skillVersions, eq(skillVersions.id, skills.latestVersionId))
      .leftJoin(skillVersionSafety, eq(skillVersionSafety.versionId, skillVersions.id))
      .where(and(isNull(skills.deletedAt), rulesVersion ? sql`${skillVersionSafety.rulesVersion} IS DISTINCT FROM ${rulesVersion}` : sql`true`)),
  );
  const batch = stale.slice(0, options.batch ?? 200);
  let newlyBlocked = 0;
  for (const row of batch) {
    const bundle = await loadVersionBundle(ctx, row.blobKey);
    const result = scan(bundle.files);
    await withTenant(db, tenantId, async (tx) => {
      await recordVersionSafety(tx, tenantId, row.versionId, result);
      if (result.verdict !== 'blocked' || row.verdict === 'blocked') return;
      newlyBlocked++;
      await announceNewlyBlocked(tx, tenantId, { ...row, rulesVersion: result.rulesVersion, blocking: result.findings.filter((f) => f.severity === 'block').length, source: 'rescan' });
    });
  }
  return { scanned: batch.length, newlyBlocked, remaining: stale.length - batch.length };
}

/**
 * What a version newly blocked after its publish causes (a rescan, Claude's second opinion): its
 * author and the workspace's admins are notified once per version and rules version, and it is audited.
 */
export async function announceNewlyBlocked(
  tx: Transaction,
  tenantId: string,
  row: { skillId: string; slug: string; name: string; authorUserId: string | null; versionId: string; version: string; rulesVersion: string; blocking: number; source: 'rescan' | 'claude' },
): Promise<void> {
  const admins = await tx.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.role, 'admin'), eq(memberships.status, 'active')));
  const people = new Set([...admins.map((a) => a.userId), ...(row.authorUserId ? [row.authorUserId] : [])]);
  const by = row.source === 'claude' ? "Claude's safety review" : `the safety scan (rules ${row.rulesVersion})`;
  if (people.size > 0) {
    await tx
      .insert(notifications)
      .values([...people].map((userId) => ({ tenantId, userId, kind: 'safety_blocked' as const, title: `${row.name} ${row.version} is blocked by ${by}`.slice(0, 300), link: `/skills/${row.slug}`, dedupeKey: `safety:${row.versionId}:${row.source === 'claude' ? 'claude' : row.rulesVersion}` })))
      .onConflictDoNothing();
  }
  await recordAudit(tx, {
    tenantId,
    actor: row.source === 'claude' ? { kind: 'system', label: 'safety second opinion' } : SYSTEM,
    action: 'skill.safety_blocked',
    targetType: 'skill',
    targetId: row.skillId,
    details: { slug: row.slug, version: row.version, rulesVersion: row.rulesVersion, findings: row.blocking, source: row.source },
  });
}
