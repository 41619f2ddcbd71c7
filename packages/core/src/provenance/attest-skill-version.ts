import { signSkillAttestation, skillSubjects, type AttestationReason, type SkillVersionPredicate } from '@everyskill/provenance';
import { rowsOf, sql, type ProvenanceLogEntry, type SkillVersionFile, type Transaction } from '@everyskill/db';
import { notFound } from '../errors';
import { appendProvenanceEntry } from './provenance-log';
import { readSafetyVerdict } from './safety-verdict';
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
  parent_slug: string | null;
  parent_version_id: string | null;
  parent_version: string | null;
  review_decision: string | null;
  reviewer_id: string | null;
  reviewer_email: string | null;
  decided_at: Date | string | null;
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
  const [facts] = rowsOf<VersionFacts>(
    await tx.execute(sql`
      SELECT v.id AS version_id, v.version, v.content_sha256, v.blob_key, v.files, v.created_at AS published_at, v.published_by,
        u.email AS publisher_email, s.id AS skill_id, s.slug AS skill_slug, t.slug AS tenant_slug, t.name AS tenant_name,
        s.forked_from_skill_id AS parent_skill_id, ps.slug AS parent_slug, s.forked_from_version_id AS parent_version_id, pv.version AS parent_version,
        rd.decision AS review_decision, rd.actor_user_id AS reviewer_id, ru.email AS reviewer_email, rd.created_at AS decided_at
      FROM skill_versions v
      JOIN skills s ON s.id = v.skill_id
      JOIN tenants t ON t.id = v.tenant_id
      LEFT JOIN users u ON u.id = v.published_by
      LEFT JOIN skills ps ON ps.id = s.forked_from_skill_id
      LEFT JOIN skill_versions pv ON pv.id = s.forked_from_version_id
      LEFT JOIN LATERAL (
        SELECT d.decision, d.actor_user_id, d.created_at
        FROM skill_submissions sub JOIN review_decisions d ON d.submission_id = sub.id
        WHERE sub.published_version_id = v.id AND d.decision IN ('approved', 'auto_approved')
        ORDER BY d.created_at DESC LIMIT 1
      ) rd ON true
      LEFT JOIN users ru ON ru.id = rd.actor_user_id
      WHERE v.id = ${versionId}::uuid`),
  );
  if (!facts) throw notFound('that version');
  const predicate: SkillVersionPredicate = {
    tenant: { id: tenantId, slug: facts.tenant_slug, name: facts.tenant_name },
    skill: { id: facts.skill_id, name: facts.skill_slug },
    version: { id: facts.version_id, number: facts.version, contentSha256: facts.content_sha256 },
    publisher: facts.published_by && facts.publisher_email ? { userId: facts.published_by, email: facts.publisher_email } : null,
    publishedAt: iso(facts.published_at),
    attestedAt: new Date().toISOString(),
    reason,
    safety: await readSafetyVerdict(tx, versionId),
    review: facts.review_decision
      ? {
          decision: facts.review_decision,
          reviewer: facts.reviewer_id && facts.reviewer_email ? { userId: facts.reviewer_id, email: facts.reviewer_email } : null,
          decidedAt: iso(facts.decided_at!),
        }
      : null,
    parent: facts.parent_version_id
      ? { skillId: facts.parent_skill_id!, skillName: facts.parent_slug, versionId: facts.parent_version_id, version: facts.parent_version }
      : null,
  };
  // The bundle's content address is the SHA-256 of the stored zip (`<tenantId>/<sha256>`).
  const bundleSha256 = facts.blob_key.slice(facts.blob_key.lastIndexOf('/') + 1);
  if (!/^[0-9a-f]{64}$/.test(bundleSha256)) throw new Error(`version ${versionId} has a blob key that is not a content address: ${facts.blob_key}`);
  const subject = skillSubjects({ skill: facts.skill_slug, version: facts.version, bundleSha256, files: facts.files });
  const envelope = signSkillAttestation(subject, predicate, key.privateKey, key.keyid);
  return appendProvenanceEntry(tx, tenantId, { kind: 'attestation', envelope, keyid: key.keyid, skillId: facts.skill_id, versionId, reason });
}
