import { signSkillAttestation, skillSubjects, type AttestationReason, type SkillVersionPredicate } from '@everyskill/provenance';
import { rowsOf, sql, type ProvenanceLogEntry, type SkillVersionFile, type Transaction } from '@everyskill/db';
import { notFound } from '../errors';
import { appendProvenanceEntry, lastLogEntrySql } from './provenance-log';
import { safetyVerdictOf, type SafetyVerdictRow } from './safety-verdict';
import { lockCurrentSigningKey } from './signing-keys';

interface VersionFacts {
  version_id: string;
  version: string;
  content_sha256: string;
  blob_key: string;
  files: SkillVersionFile[];
  published_at: Date | string;
  published_by: string | null;
  publisher_email: string | null;
  skill_id: string;
  skill_slug: string;
  tenant_slug: string;
  tenant_name: string;
  parent_skill_id: string | null;
  parent_version_id: string | null;
  parent_slug: string | null;
  parent_version: string | null;
  safety: SafetyVerdictRow | null;
  review: { decision: string; actorUserId: string | null; email: string | null; createdAt: string } | null;
  last_entry: { seq: number | string; entryHash: string } | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * Signs what the tenant knows about a version (who published it, what scanned and reviewed it, what
 * it is a variation of) as a new attestation and appends it to the tenant's log, in the caller's
 * transaction. A later attestation of the same version (a review, an override) never replaces one.
 */
export async function attestSkillVersion(
  tx: Transaction,
  tenantId: string,
  versionId: string,
  reason: AttestationReason,
  /** Asked under the key lock: an entry it returns is used instead of signing again (a backfill raced). */
  existing?: () => Promise<ProvenanceLogEntry | null>,
): Promise<ProvenanceLogEntry> {
  // The key lock comes first: it orders this tenant's signers, and the time is read under it.
  const key = await lockCurrentSigningKey(tx, tenantId);
  const already = await existing?.();
  if (already) return already;
  // One statement after the lock: the version, its skill, tenant and publisher joined (a join of
  // every table at once spent 15 ms in PostgreSQL's planner, as row-level security adds a subplan
  // per table), the rest as scalar subqueries, each planned on its own and cheap.
  const [facts] = rowsOf<VersionFacts>(
    await tx.execute(sql`
      SELECT v.id AS version_id, v.version, v.content_sha256, v.blob_key, v.files, v.created_at AS published_at, v.published_by,
        u.email AS publisher_email, s.id AS skill_id, s.slug AS skill_slug, t.slug AS tenant_slug, t.name AS tenant_name,
        s.forked_from_skill_id AS parent_skill_id, s.forked_from_version_id AS parent_version_id,
        (SELECT p.slug FROM skills p WHERE p.id = s.forked_from_skill_id) AS parent_slug,
        (SELECT pv.version FROM skill_versions pv WHERE pv.id = s.forked_from_version_id) AS parent_version,
        (SELECT json_build_object('verdict', x.verdict, 'rulesVersion', x.rules_version, 'scannedAt', x.scanned_at,
            'overrideReason', x.override_reason, 'overriddenAt', x.overridden_at)
          FROM skill_version_safety x WHERE x.version_id = v.id) AS safety,
        (SELECT json_build_object('decision', d.decision, 'actorUserId', d.actor_user_id,
            'email', (SELECT r.email FROM users r WHERE r.id = d.actor_user_id), 'createdAt', d.created_at)
          FROM review_decisions d
          WHERE d.submission_id IN (SELECT sub.id FROM skill_submissions sub WHERE sub.published_version_id = v.id)
            AND d.decision IN ('approved', 'auto_approved')
          ORDER BY d.created_at DESC LIMIT 1) AS review,
        ${lastLogEntrySql(tenantId)} AS last_entry
      FROM skill_versions v
      JOIN skills s ON s.id = v.skill_id
      JOIN tenants t ON t.id = v.tenant_id
      LEFT JOIN users u ON u.id = v.published_by
      WHERE v.id = ${versionId}::uuid`),
  );
  if (!facts) throw notFound('that version');
  const parent = facts.parent_skill_id && facts.parent_version_id
    ? { skillId: facts.parent_skill_id, skillName: facts.parent_slug, versionId: facts.parent_version_id, version: facts.parent_version }
    : null;
  const review = facts.review
    ? {
        decision: facts.review.decision,
        reviewer: facts.review.actorUserId && facts.review.email ? { userId: facts.review.actorUserId, email: facts.review.email } : null,
        decidedAt: iso(facts.review.createdAt),
      }
    : null;
  const predicate: SkillVersionPredicate = {
    tenant: { id: tenantId, slug: facts.tenant_slug, name: facts.tenant_name },
    skill: { id: facts.skill_id, name: facts.skill_slug },
    version: { id: facts.version_id, number: facts.version, contentSha256: facts.content_sha256 },
    publisher: facts.published_by && facts.publisher_email ? { userId: facts.published_by, email: facts.publisher_email } : null,
    publishedAt: iso(facts.published_at),
    attestedAt: new Date().toISOString(),
    reason,
    safety: safetyVerdictOf(facts.safety),
    review,
    parent,
  };
  // The bundle's content address is the SHA-256 of the stored zip (`<tenantId>/<sha256>`).
  const bundleSha256 = facts.blob_key.slice(facts.blob_key.lastIndexOf('/') + 1);
  if (!/^[0-9a-f]{64}$/.test(bundleSha256)) throw new Error(`version ${versionId} has a blob key that is not a content address: ${facts.blob_key}`);
  const subject = skillSubjects({ skill: facts.skill_slug, version: facts.version, bundleSha256, files: facts.files });
  const envelope = signSkillAttestation(subject, predicate, key.privateKey, key.keyid);
  // Read in the same statement as the facts, after the key lock: no other signer can have appended since.
  const last = facts.last_entry ? { seq: Number(facts.last_entry.seq), entryHash: facts.last_entry.entryHash } : null;
  return appendProvenanceEntry(tx, tenantId, { kind: 'attestation', envelope, keyid: key.keyid, skillId: facts.skill_id, versionId, reason }, last);
}
