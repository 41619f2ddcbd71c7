import type { KeyObject } from 'node:crypto';
import { sha256Hex } from './digests';
import { short, signEnvelope, verifyEnvelope } from './envelope';
import {
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  SKILL_VERSION_PREDICATE_TYPE,
  type Check,
  type DsseEnvelope,
  type SkillAttestation,
  type SkillVersionPredicate,
  type Subject,
  type TenantKeySet,
} from './formats';
import { keyValidAt } from './keys';

/** The subjects of a version: its bundle, then each file under the skill's folder, as in the zip. */
export function skillSubjects(input: { skill: string; version: string; bundleSha256: string; files: { path: string; sha256: string }[] }): Subject[] {
  return [
    { name: `${input.skill}-${input.version}.zip`, digest: { sha256: input.bundleSha256 } },
    ...[...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => ({ name: `${input.skill}/${f.path}`, digest: { sha256: f.sha256 } })),
  ];
}

/** Signs a version's statement into a DSSE envelope. */
export function signSkillAttestation(subject: Subject[], predicate: SkillVersionPredicate, privateKey: KeyObject, keyid: string): DsseEnvelope {
  const statement: SkillAttestation = { _type: IN_TOTO_STATEMENT_TYPE, subject, predicateType: SKILL_VERSION_PREDICATE_TYPE, predicate };
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), privateKey, keyid);
}

export type AttestationCheck = { ok: true; statement: SkillAttestation; keyid: string } | { ok: false; problem: string };

/**
 * Verifies an attestation envelope against a tenant's key set: a valid signature by one of its keys,
 * made while that key was valid, over an in-toto v1 statement of a skill version of that tenant.
 * The key set itself is checked with verifyKeySet / verifyKeyChange.
 */
export function verifyAttestation(envelope: unknown, keySet: TenantKeySet): AttestationCheck {
  const signed = verifyEnvelope(envelope, keySet.keys, IN_TOTO_PAYLOAD_TYPE);
  if (!signed.ok) return signed;
  let statement: SkillAttestation;
  try {
    statement = JSON.parse(signed.payload.toString('utf8')) as SkillAttestation;
  } catch {
    return { ok: false, problem: 'the signed payload is not JSON' };
  }
  if (statement?._type !== IN_TOTO_STATEMENT_TYPE) return { ok: false, problem: `the payload is not an in-toto v1 statement (_type ${String(statement?._type)})` };
  if (statement.predicateType !== SKILL_VERSION_PREDICATE_TYPE) return { ok: false, problem: `the statement's predicate type is '${statement.predicateType}', not a skill version's` };
  if (!Array.isArray(statement.subject) || statement.subject.length < 2) return { ok: false, problem: 'the statement names no bundle and files' };
  const predicate = statement.predicate;
  if (predicate?.tenant?.id !== keySet.tenant.id) return { ok: false, problem: `the attestation is about tenant '${predicate?.tenant?.slug}', not '${keySet.tenant.slug}'` };
  const key = keySet.keys.find((k) => k.keyid === signed.keyid)!;
  if (!keyValidAt(key, predicate.attestedAt)) {
    return { ok: false, problem: `key ${short(key.keyid)} signed at ${predicate.attestedAt}, outside its validity (${key.validFrom} to ${key.validUntil ?? 'now'})` };
  }
  return { ok: true, statement, keyid: signed.keyid };
}

/**
 * Checks downloaded content against a statement's subjects: the bundle's bytes against the first
 * subject, and each file (path inside the skill folder) against its subject. Every file must be
 * named, and every named file must be there.
 */
export function verifySubjects(statement: SkillAttestation, content: { bundle?: Uint8Array; files?: { path: string; bytes: Uint8Array }[] }): Check {
  const [bundle, ...files] = statement.subject;
  if (!bundle) return { ok: false, problem: 'the statement names no subject' };
  if (content.bundle) {
    const actual = sha256Hex(content.bundle);
    if (actual !== bundle.digest.sha256) {
      return { ok: false, problem: `the bundle ${bundle.name} has SHA-256 ${actual}, but the attestation says ${bundle.digest.sha256}: it was changed after it was published` };
    }
  }
  if (content.files) {
    const prefix = `${statement.predicate.skill.name}/`;
    const expected = new Map(files.map((f) => [f.name.startsWith(prefix) ? f.name.slice(prefix.length) : f.name, f.digest.sha256]));
    for (const file of content.files) {
      const digest = expected.get(file.path);
      if (digest === undefined) return { ok: false, problem: `${file.path} is not one of the attested files` };
      const actual = sha256Hex(file.bytes);
      if (actual !== digest) return { ok: false, problem: `${file.path} has SHA-256 ${actual}, but the attestation says ${digest}: it was changed after it was published` };
      expected.delete(file.path);
    }
    const missing = [...expected.keys()];
    if (missing.length > 0) return { ok: false, problem: `attested files are missing: ${missing.join(', ')}` };
  }
  return { ok: true };
}
