import { signSkillAttestation, skillSubjects, type AttestationReason, type SkillVersionPredicate } from '@everyskill/provenance';
import { rowsOf, sql, type ProvenanceLogEntry, type SkillVersionFile, type Transaction } from '@everyskill/db';
import { notFound } from '../errors';
import { appendProvenanceEntry } from './provenance-log';
import { safetyVerdictOf, type SafetyVerdictRow } from './safety-verdict';
import { readProvenanceEnv } from './provenance-env';
import { decryptPrivateKey } from './signing-key-crypto';
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
  // The key lock and the facts in one call (migration 0015), whose plans PostgreSQL keeps per
  // connection: the lock orders this tenant's signers, the facts are read under it, and the time
  // is read after it. A tenant that never signed gets its key made first.
  let locked = await lockKeyAndReadFacts(tx, tenantId, versionId);
  if (!locked.key) {
    await lockCurrentSigningKey(tx, tenantId);
    locked = await lockKeyAndReadFacts(tx, tenantId, versionId);
  }
  if (!locked.key) throw new Error(`no signing key could be made for tenant ${tenantId}`);
  const key = { keyid: locked.key.keyid, privateKey: decryptPrivateKey(readProvenanceEnv(), locked.key.privateKeyEncrypted, { tenantId, keyid: locked.key.keyid }) };
  const already = await existing?.();
  if (already) return already;
  const facts = locked.facts;
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

async function lockKeyAndReadFacts(
  tx: Transaction,
  tenantId: string,
  versionId: string,
): Promise<{ key: { keyid: string; privateKeyEncrypted: string } | null; facts: VersionFacts | null }> {
  const [row] = rowsOf<{ locked: { key: { keyid: string; privateKeyEncrypted: string } | null; facts: VersionFacts | null } }>(
    await tx.execute(sql`SELECT provenance_lock_key_and_read_facts(${tenantId}::uuid, ${versionId}::uuid) AS locked`),
  );
  return row?.locked ?? { key: null, facts: null };
}
