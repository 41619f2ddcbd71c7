import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sha256Hex } from './digests';
import { short, signEnvelope, verifyEnvelope } from './envelope';
import {
  KEY_ROTATION_PAYLOAD_TYPE,
  KEY_ROTATION_TYPE,
  type Check,
  type DsseEnvelope,
  type KeyRotationStatement,
  type PublicKeyEntry,
  type TenantKeySet,
} from './formats';

/** A key's id: SHA-256 (hex) of its DER SubjectPublicKeyInfo, what `openssl pkey -pubin -outform DER | sha256sum` prints. */
export function keyIdOf(publicKeyPem: string): string {
  return sha256Hex(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }));
}

/** A new Ed25519 key pair: the private key as a KeyObject, the public key as SPKI PEM with its id. */
export function generateSigningKey(): { privateKey: KeyObject; publicKeyPem: string; keyid: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, keyid: keyIdOf(publicKeyPem) };
}

/** The rotation statement from the previous key to the next, signed by the previous key. */
export function signKeyRotation(
  statement: Omit<KeyRotationStatement, '_type'>,
  previousPrivateKey: KeyObject,
): DsseEnvelope {
  const body: KeyRotationStatement = { _type: KEY_ROTATION_TYPE, ...statement };
  return signEnvelope(KEY_ROTATION_PAYLOAD_TYPE, Buffer.from(JSON.stringify(body)), previousPrivateKey, statement.previousKeyid);
}

/**
 * Verifies a tenant's key set: every keyid matches its key, the first key stands alone, each later
 * key is introduced by a rotation statement signed by the key before it and naming exactly it, and
 * only the last key is open-ended. Reports the first broken link.
 */
export function verifyKeySet(keySet: TenantKeySet): Check {
  const keys = keySet.keys;
  if (keys.length === 0) return { ok: false, problem: 'the key set lists no key' };
  for (const [i, key] of keys.entries()) {
    let actual: string;
    try {
      actual = keyIdOf(key.publicKeyPem);
    } catch {
      return { ok: false, problem: `key ${i + 1} (${short(key.keyid)}) is not a readable public key` };
    }
    if (actual !== key.keyid) return { ok: false, problem: `key ${i + 1} is listed as ${short(key.keyid)} but its public key is ${short(actual)}: the key was replaced` };
    if (key.algorithm !== 'ed25519') return { ok: false, problem: `key ${short(key.keyid)} uses '${key.algorithm}', not ed25519` };
    if (i < keys.length - 1 && key.validUntil === null) return { ok: false, problem: `key ${short(key.keyid)} is not the last key but has no end of validity` };
    if (i === 0) {
      if (key.rotation) return { ok: false, problem: `the first key ${short(key.keyid)} claims a rotation from an earlier key the set does not list` };
      continue;
    }
    const previous = keys[i - 1]!;
    const problem = checkRotation(keySet.tenant.id, previous, key);
    if (problem) return { ok: false, problem };
  }
  return { ok: true };
}

function checkRotation(tenantId: string, previous: PublicKeyEntry, key: PublicKeyEntry): string | null {
  const label = `the rotation from ${short(previous.keyid)} to ${short(key.keyid)}`;
  if (!key.rotation) return `key ${short(key.keyid)} replaced ${short(previous.keyid)} without a rotation statement signed by it`;
  const signed = verifyEnvelope(key.rotation, [previous], KEY_ROTATION_PAYLOAD_TYPE);
  if (!signed.ok) return `${label} is not signed by the previous key: ${signed.problem}`;
  let statement: KeyRotationStatement;
  try {
    statement = JSON.parse(signed.payload.toString('utf8')) as KeyRotationStatement;
  } catch {
    return `${label} is not JSON`;
  }
  if (statement._type !== KEY_ROTATION_TYPE) return `${label} is not a key rotation statement`;
  if (statement.tenant?.id !== tenantId) return `${label} was made for another tenant`;
  if (statement.previousKeyid !== previous.keyid || statement.newKeyid !== key.keyid) return `${label} names other keys (${short(statement.previousKeyid)} to ${short(statement.newKeyid)})`;
  let statedKeyid: string;
  try {
    statedKeyid = keyIdOf(statement.newPublicKeyPem);
  } catch {
    return `${label} carries an unreadable public key`;
  }
  if (statedKeyid !== key.keyid) return `${label} introduces another public key than the one listed: the key was replaced`;
  if (previous.validUntil === null || Date.parse(previous.validUntil) > Date.parse(key.validFrom)) {
    return `key ${short(previous.keyid)} stays valid after ${short(key.keyid)} took over`;
  }
  return null;
}

/**
 * Whether a key set may be trusted by someone who pinned `pinnedKeyid` before: the set must verify
 * and still list the pinned key, so every later key is reached through signed rotations from it.
 */
export function verifyKeyChange(pinnedKeyid: string, keySet: TenantKeySet): Check & { changed?: boolean } {
  const set = verifyKeySet(keySet);
  if (!set.ok) return set;
  const index = keySet.keys.findIndex((k) => k.keyid === pinnedKeyid);
  if (index < 0) {
    return { ok: false, problem: `the tenant's keys no longer include the key you pinned (${short(pinnedKeyid)}) and no signed rotation leads from it to the current key` };
  }
  return { ok: true, changed: index !== keySet.keys.length - 1 };
}

/** The key of the set that signed at `at`: its validity window contains that moment. */
export function keyValidAt(key: PublicKeyEntry, at: string): boolean {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return false;
  return t >= Date.parse(key.validFrom) && (key.validUntil === null || t < Date.parse(key.validUntil));
}
