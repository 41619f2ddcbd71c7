import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { envelopeSha256, verifyAttestation, verifyEnvelope, verifyKeySet, verifyLogChain, type DsseEnvelope, type LogEntry } from '@everyskill/provenance';
import { asc, eq, provenanceLog, rowsOf, sql, withTenant, type Database } from '@everyskill/db';
import { attestSkillVersion } from '../provenance/attest-skill-version';
import { readTenantKeySet } from '../provenance/signing-keys';
import type { ProvenanceFinding } from './integrity-report';

/** What the provenance check needs of the blob store: reading a bundle to hash it. */
export interface ProvenanceBlobReader {
  get(key: string): Promise<Readable | null>;
}

interface VersionRow {
  id: string;
  slug: string;
  version: string;
  blob_key: string;
}

/**
 * Verifies a tenant's provenance: its key set (every rotation signed by the key before), its log
 * (the hash chain, reporting the first broken link), every signature in it, that each version has an
 * attestation, and that each stored bundle still has the digest its latest attestation states.
 */
export async function checkTenantProvenance(db: Database, tenantId: string, blobs: ProvenanceBlobReader): Promise<ProvenanceFinding[]> {
  const { keySet, entries, versions } = await withTenant(db, tenantId, async (tx) => ({
    keySet: await readTenantKeySet(tx, tenantId),
    entries: await tx.select().from(provenanceLog).orderBy(asc(provenanceLog.seq)),
    versions: rowsOf<VersionRow>(
      await tx.execute(sql`SELECT v.id, s.slug, v.version, v.blob_key FROM skill_versions v JOIN skills s ON s.id = v.skill_id ORDER BY s.slug, v.created_at`),
    ),
  }));
  const findings: ProvenanceFinding[] = [];
  const finding = (f: Omit<ProvenanceFinding, 'tenantId'>) => findings.push({ tenantId, ...f });

  if (keySet.keys.length > 0) {
    const keys = verifyKeySet(keySet);
    if (!keys.ok) finding({ problem: 'key-set', message: `the workspace's signing keys do not verify: ${keys.problem}` });
  }

  const chain = verifyLogChain(tenantId, entries as LogEntry[], (entry) => envelopeSha256((entry as unknown as { envelope: DsseEnvelope }).envelope));
  if (!chain.ok) finding({ problem: 'broken-chain', seq: chain.seq, message: `the provenance log is broken at entry ${chain.seq}: ${chain.problem}` });

  const latestByVersion = new Map<string, DsseEnvelope>();
  for (const entry of entries) {
    if (entry.kind === 'key-rotation') {
      const signed = verifyEnvelope(entry.envelope, keySet.keys);
      if (!signed.ok) finding({ problem: 'bad-signature', seq: entry.seq, message: `the key rotation in log entry ${entry.seq} does not verify: ${signed.problem}` });
      continue;
    }
    const checked = verifyAttestation(entry.envelope, keySet);
    if (!checked.ok) {
      finding({ problem: 'bad-signature', seq: entry.seq, versionId: entry.versionId, message: `the attestation in log entry ${entry.seq} does not verify: ${checked.problem}` });
      continue;
    }
    if (checked.statement.predicate.version.id !== entry.versionId) {
      finding({ problem: 'bad-signature', seq: entry.seq, versionId: entry.versionId, message: `log entry ${entry.seq} is filed under another version than the one its attestation names` });
      continue;
    }
    latestByVersion.set(entry.versionId!, entry.envelope);
  }

  for (const version of versions) {
    const label = `${version.slug}@${version.version}`;
    const envelope = latestByVersion.get(version.id);
    if (!envelope) {
      if (!entries.some((e) => e.versionId === version.id)) {
        finding({ problem: 'unattested', versionId: version.id, message: `${label} has no attestation (published before signing existed); repair signs one` });
      }
      continue;
    }
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { subject: { digest: { sha256: string } }[] };
    const stream = await blobs.get(version.blob_key);
    if (!stream) continue; // reported as a missing blob by the main check
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Uint8Array);
    const actual = hash.digest('hex');
    if (actual !== statement.subject[0]?.digest.sha256) {
      finding({
        problem: 'bundle-mismatch',
        versionId: version.id,
        message: `the stored bundle of ${label} has SHA-256 ${actual}, but its attestation says ${statement.subject[0]?.digest.sha256}: the bundle was changed after it was published`,
      });
    }
  }
  return findings;
}

/** Repair: signs a `backfill` attestation for each version that has none. Returns how many. */
export async function backfillAttestations(db: Database, tenantId: string, versionIds: string[]): Promise<number> {
  let signed = 0;
  for (const versionId of versionIds) {
    await withTenant(db, tenantId, async (tx) => {
      let raced = false;
      await attestSkillVersion(tx, tenantId, versionId, 'backfill', async () => {
        const [existing] = await tx.select().from(provenanceLog).where(eq(provenanceLog.versionId, versionId)).limit(1);
        raced = Boolean(existing);
        return existing ?? null;
      });
      if (!raced) signed++;
    });
  }
  return signed;
}
