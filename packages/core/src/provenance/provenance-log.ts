import { envelopeSha256, GENESIS_HASH, logEntryHash, type DsseEnvelope } from '@everyskill/provenance';
import { desc, provenanceLog, type AttestationReasonKind, type ProvenanceLogEntry, type Transaction } from '@everyskill/db';

export interface NewLogEntry {
  kind: 'attestation' | 'key-rotation';
  envelope: DsseEnvelope;
  keyid: string;
  skillId?: string;
  versionId?: string;
  reason?: AttestationReasonKind;
}

/**
 * Appends to the tenant's hash chain: the next seq, the previous entry's hash, this entry's hash.
 * The caller holds the tenant's key lock (lockCurrentSigningKey), so no two appends race for a seq.
 */
export async function appendProvenanceEntry(
  tx: Transaction,
  tenantId: string,
  entry: NewLogEntry,
  /** The log's last entry, when the caller read it under the lock already (null: the log is empty). */
  known?: { seq: number; entryHash: string } | null,
): Promise<ProvenanceLogEntry> {
  const last = known !== undefined ? known : await lastLogEntry(tx);
  const link = { seq: (last?.seq ?? 0) + 1, kind: entry.kind, envelopeSha256: envelopeSha256(entry.envelope), prevHash: last?.entryHash ?? GENESIS_HASH };
  const [row] = await tx
    .insert(provenanceLog)
    .values({
      tenantId,
      ...link,
      entryHash: logEntryHash(tenantId, link),
      skillId: entry.skillId ?? null,
      versionId: entry.versionId ?? null,
      reason: entry.reason ?? null,
      keyid: entry.keyid,
      envelope: entry.envelope,
    })
    .returning();
  return row!;
}

/** The last entry of the tenant's log (seq and hash), null when it is empty. */
export async function lastLogEntry(tx: Transaction): Promise<{ seq: number; entryHash: string } | null> {
  const [last] = await tx
    .select({ seq: provenanceLog.seq, entryHash: provenanceLog.entryHash })
    .from(provenanceLog)
    .orderBy(desc(provenanceLog.seq))
    .limit(1);
  return last ?? null;
}
