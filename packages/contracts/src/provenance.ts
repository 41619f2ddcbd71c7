import { z } from 'zod';

// Provenance as served: a version's attestation (a DSSE envelope around an in-toto v1 statement)
// and a tenant's public keys. The formats and how to verify them: docs/provenance.md.

const isoDateTime = z.string().meta({ format: 'date-time' });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const dsseEnvelope = z
  .object({
    payloadType: z.string(),
    payload: z.string().meta({ description: 'The in-toto statement (JSON), base64' }),
    signatures: z.array(z.object({ keyid: sha256Hex, sig: z.string().meta({ description: 'Ed25519 signature over the DSSE PAE, base64' }) })),
  })
  .meta({ id: 'DsseEnvelope' });

/** The people and checks an attestation states, for showing ("Signed by …, published by …"). */
export const attestationSummary = z.object({
  signedBy: z.string().meta({ description: 'The workspace (tenant) whose key signed' }),
  publishedBy: z.string().nullable().meta({ description: "The publisher's e-mail" }),
  safety: z.object({ verdict: z.enum(['clean', 'warn', 'blocked']), rulesVersion: z.string() }).nullable().meta({ description: 'Null: not scanned' }),
  review: z.object({ decision: z.string(), reviewer: z.string().nullable() }).nullable(),
  parent: z.object({ skill: z.string().nullable(), version: z.string().nullable() }).nullable(),
});
export type AttestationSummary = z.infer<typeof attestationSummary>;

/** `?envelopeSha256=`: one attestation of the version by its digest (the one a lockfile recorded), not the latest. */
export const apiAttestationQuery = z.object({
  envelopeSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { message: 'envelopeSha256 must be 64 lowercase hex digits, as the lockfile records it' })
    .optional()
    .meta({ description: "An attestation's digest (SHA-256 of the envelope's canonical JSON): that one, rather than the latest" }),
});

export const apiVersionAttestation = z.object({
  slug: z.string(),
  version: z.string(),
  /** The latest attestation of the version; earlier ones (before a review or override) stay in the log. */
  envelope: dsseEnvelope,
  envelopeSha256: sha256Hex.meta({ description: 'SHA-256 of the canonical JSON of the envelope, as the log records it' }),
  keyid: sha256Hex,
  logSeq: z.number().int().meta({ description: "The entry's position in the workspace's log" }),
  reason: z.enum(['published', 'review', 'override', 'backfill']),
  attestedAt: isoDateTime,
  attestations: z.number().int().meta({ description: 'How many attestations the version has (this one included)' }),
  summary: attestationSummary,
  keysUrl: z.string().meta({ description: "Path of the workspace's public keys on its host" }),
});
export type ApiVersionAttestation = z.infer<typeof apiVersionAttestation>;

export const publicKeyEntry = z.object({
  keyid: sha256Hex,
  algorithm: z.literal('ed25519'),
  publicKeyPem: z.string(),
  validFrom: isoDateTime,
  validUntil: isoDateTime.nullable(),
  rotation: dsseEnvelope.nullable(),
});

export const tenantKeySet = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  keys: z.array(publicKeyEntry),
});

/** Where a tenant's host serves its public keys. */
export const PROVENANCE_KEYS_PATH = '/.well-known/everyskill/keys.json';
