import { canonicalJson, sha256Hex } from './digests';
import { GENESIS_HASH, type LogEntry } from './formats';

/** An entry's hash: SHA-256 of the canonical JSON of what it records and the hash before it. */
export function logEntryHash(tenantId: string, entry: Omit<LogEntry, 'entryHash'>): string {
  return sha256Hex(canonicalJson({ tenantId, seq: entry.seq, kind: entry.kind, envelopeSha256: entry.envelopeSha256, prevHash: entry.prevHash }));
}

export type ChainCheck = { ok: true; entries: number; head: string } | { ok: false; seq: number; problem: string };

/**
 * Walks a tenant's log in order (seq 1, 2, …) and reports the first broken link: a missing entry,
 * an entry whose back-link is not the previous entry's hash, or one whose own hash does not match
 * what it records. `envelopeSha256Of` recomputes an entry's envelope digest when the envelope is at hand.
 */
export function verifyLogChain(tenantId: string, entries: readonly LogEntry[], envelopeSha256Of?: (entry: LogEntry) => string | null): ChainCheck {
  let previous = GENESIS_HASH;
  for (const [i, entry] of entries.entries()) {
    const seq = i + 1;
    if (entry.seq !== seq) {
      return { ok: false, seq, problem: entry.seq > seq ? `entry ${seq}${entry.seq - seq > 1 ? `–${entry.seq - 1}` : ''} is missing: the log goes from ${seq - 1} to ${entry.seq}` : `entry ${entry.seq} appears twice` };
    }
    if (entry.prevHash !== previous) return { ok: false, seq, problem: `entry ${seq} does not point back at entry ${seq - 1}: an entry before it was removed, replaced or altered` };
    if (logEntryHash(tenantId, entry) !== entry.entryHash) return { ok: false, seq, problem: `entry ${seq} was altered: its hash does not match what it records` };
    const recomputed = envelopeSha256Of?.(entry);
    if (recomputed != null && recomputed !== entry.envelopeSha256) return { ok: false, seq, problem: `the attestation of entry ${seq} was altered: its digest is not the one the log recorded` };
    previous = entry.entryHash;
  }
  return { ok: true, entries: entries.length, head: previous };
}
