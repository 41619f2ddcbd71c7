import { createHash } from 'node:crypto';
import { json } from '@sigstore/core';
import type { DsseEnvelope } from './formats';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Canonical JSON (RFC 8785 style, as sigstore canonicalises): the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return json.canonicalize(value);
}

/** The digest a log entry records for an envelope: SHA-256 of its canonical JSON. */
export function envelopeSha256(envelope: DsseEnvelope): string {
  return sha256Hex(canonicalJson({ payloadType: envelope.payloadType, payload: envelope.payload, signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) }));
}
