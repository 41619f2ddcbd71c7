/** The formats of EverySkill's provenance (docs/provenance.md): DSSE envelopes around in-toto statements. */

/** DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** DSSE payload type of a key rotation statement. */
export const KEY_ROTATION_PAYLOAD_TYPE = 'application/vnd.everyskill.key-rotation+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SKILL_VERSION_PREDICATE_TYPE = 'https://everyskill.dev/attestation/skill-version/v1';
export const KEY_ROTATION_TYPE = 'https://everyskill.dev/key-rotation/v1';
/** The hash the first entry of a tenant's log points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, envelope.md): payload and signatures in base64. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** An in-toto v1 ResourceDescriptor, reduced to what a skill needs. */
export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface InTotoStatement<P> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  /** The bundle (`<skill>-<version>.zip`) first, then every file as `<skill>/<path>`, the zip's entry names. */
  subject: Subject[];
  predicateType: string;
  predicate: P;
}

export type SafetyVerdict = 'clean' | 'warn' | 'blocked';
export type AttestationReason = 'published' | 'review' | 'override' | 'backfill';

/** What the tenant states about one version of a skill. */
export interface SkillVersionPredicate {
  tenant: { id: string; slug: string; name: string };
  skill: { id: string; name: string };
  version: { id: string; number: string; contentSha256: string };
  /** Null when the person's account was removed before this attestation was made. */
  publisher: { userId: string; email: string } | null;
  publishedAt: string;
  /** When this attestation was signed; must fall inside the signing key's validity window. */
  attestedAt: string;
  /** Why this attestation exists: the publish, a review or safety override after it, or a backfill of an older version. */
  reason: AttestationReason;
  /** The safety scan's verdict; null when the version was not scanned. */
  safety: {
    verdict: SafetyVerdict;
    rulesVersion: string;
    scannedAt: string | null;
    /** An admin released a blocked version for agents, with this written reason. */
    override?: { reason: string; at: string } | null;
  } | null;
  /** The review that let the version in, when the workspace required one. */
  review: { decision: string; reviewer: { userId: string; email: string } | null; decidedAt: string } | null;
  /** The version this one is a variation of. */
  parent: { skillId: string; skillName: string | null; versionId: string; version: string | null } | null;
}

export type SkillAttestation = InTotoStatement<SkillVersionPredicate>;

/** Signed by the previous key: the tenant's signing key changed from one key to the next. */
export interface KeyRotationStatement {
  _type: typeof KEY_ROTATION_TYPE;
  tenant: { id: string; slug: string };
  previousKeyid: string;
  newKeyid: string;
  newPublicKeyPem: string;
  rotatedAt: string;
}

/** One key of a tenant, as served at /.well-known/everyskill/keys.json. */
export interface PublicKeyEntry {
  /** SHA-256 (hex) of the key's DER SubjectPublicKeyInfo. */
  keyid: string;
  algorithm: 'ed25519';
  publicKeyPem: string;
  validFrom: string;
  /** Null for the current key. */
  validUntil: string | null;
  /** The rotation statement that introduced this key, signed by the previous key; null for the first. */
  rotation: DsseEnvelope | null;
}

/** A tenant's keys, oldest first. */
export interface TenantKeySet {
  tenant: { id: string; slug: string; name: string };
  keys: PublicKeyEntry[];
}

/** One entry of a tenant's tamper-evident log. */
export interface LogEntry {
  seq: number;
  kind: 'attestation' | 'key-rotation';
  envelopeSha256: string;
  prevHash: string;
  entryHash: string;
}

/** The outcome of a check: fine, or the first problem found, in words for people. */
export type Check = { ok: true } | { ok: false; problem: string };
