import { envelopeSha256, verifyAttestation, verifyKeyChange, verifyKeySet, verifySubjects, type DsseEnvelope, type SkillAttestation, type TenantKeySet } from '@everyskill/provenance';
import { z } from 'zod';
import type { ApiClient } from './api-client';
import { CliError, EXIT } from './cli-error';
import { readKeyPins, writeKeyPin, type KeyPin } from './key-pins';
import type { Output } from './output';
import type { SkillFiles, VerifiedFile } from './skill-files';

// Every install is checked against the workspace's signing key (docs/provenance.md): the key set
// from the workspace's host, continued from the pinned key through signed rotations only; then the
// version's attestation, signed by that key, naming the very files that were downloaded.

export const KEYS_PATH = '/.well-known/everyskill/keys.json';

const short = (keyid: string) => keyid.slice(0, 12);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const envelope = z.object({ payloadType: z.string(), payload: z.string(), signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })) });
const keySetSchema = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  keys: z
    .array(
      z.object({
        keyid: hex64,
        algorithm: z.literal('ed25519'),
        publicKeyPem: z.string(),
        validFrom: z.string(),
        validUntil: z.string().nullable(),
        rotation: envelope.nullable(),
      }),
    )
    .min(1, { message: 'it lists no key' }),
});

/** The workspace's key set from its host, checked in itself (ids, rotations, windows); `what` says what is refused when it is not. */
export async function fetchKeySet(api: ApiClient, what: string): Promise<TenantKeySet> {
  const refuse = (why: string) => new CliError('signing_keys', `${why}; ${what}`, EXIT.integrity);
  let raw: unknown;
  try {
    raw = await api.getPublic(KEYS_PATH);
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) throw refuse(`${api.origin} serves no signing keys at ${KEYS_PATH}`);
    throw error;
  }
  const parsed = keySetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse(`${api.origin}${KEYS_PATH} is not a key set (${issue.path.join('.') || 'document'}: ${issue.message})`);
  }
  const checked = verifyKeySet(parsed.data);
  if (!checked.ok) throw refuse(`the signing keys of ${api.origin} do not verify: ${checked.problem}`);
  return parsed.data;
}

const pinOf = (keySet: TenantKeySet): KeyPin => ({ tenant: keySet.tenant, keyid: keySet.keys.at(-1)!.keyid, pinnedAt: new Date().toISOString() });

/**
 * At sign-in: the key to pin for the registry. A registry pinned before must still follow from its
 * pin by signed rotations; an unsigned change is accepted only with `trustNewKey` (checked out of band).
 */
export async function keyPinForLogin(api: ApiClient, options: { trustNewKey?: boolean }): Promise<{ pin: KeyPin; previous: KeyPin | null }> {
  const keySet = await fetchKeySet(api, 'not signed in');
  const previous = readKeyPins().registries[api.origin] ?? null;
  const pin = pinOf(keySet);
  if (previous && !options.trustNewKey) {
    const problem = continuityProblem(previous, keySet);
    if (problem) {
      throw new CliError('key_changed', `${problem}; not signed in. If your admin confirms the key ${short(pin.keyid)}, run everyskill login ${api.origin} --trust-new-key`, EXIT.integrity);
    }
  }
  return { pin, previous };
}

/** Why a key set does not continue a pin (another workspace, or no signed rotation from the pinned key), or null. */
function continuityProblem(pinned: KeyPin, keySet: TenantKeySet): string | null {
  const current = keySet.keys.at(-1)!;
  if (pinned.tenant.id !== keySet.tenant.id) {
    return `the server now answers for the workspace '${keySet.tenant.slug}', not '${pinned.tenant.slug}' whose key ${short(pinned.keyid)} you pinned`;
  }
  const change = verifyKeyChange(pinned.keyid, keySet);
  if (!change.ok) return `the signing key of ${keySet.tenant.name} changed from ${short(pinned.keyid)} (pinned) to ${short(current.keyid)}: ${change.problem}`;
  return null;
}

export interface VerifiedProvenance {
  /** SHA-256 of the envelope's canonical JSON: what the lockfile records and the workspace's log holds. */
  digest: string;
  statement: SkillAttestation;
}

/**
 * Verifies installs against the pinned keys, fetching each registry's key set once per command. With
 * no pin yet (a key given without `everyskill login`), the current key is pinned at this first use.
 */
export class ProvenanceVerifier {
  private readonly keySets = new Map<string, Promise<TenantKeySet>>();

  constructor(private readonly out: Output) {}

  private trustedKeySet(api: ApiClient): Promise<TenantKeySet> {
    let keySet = this.keySets.get(api.origin);
    if (!keySet) {
      keySet = this.loadTrusted(api);
      this.keySets.set(api.origin, keySet);
    }
    return keySet;
  }

  private async loadTrusted(api: ApiClient): Promise<TenantKeySet> {
    const keySet = await fetchKeySet(api, 'nothing was written');
    const pinned = readKeyPins().registries[api.origin];
    const current = keySet.keys.at(-1)!;
    if (!pinned) {
      writeKeyPin(api.origin, pinOf(keySet));
      this.out.note(`Pinned the signing key ${short(current.keyid)} of ${keySet.tenant.name} (${api.origin}) at first use; everyskill login pins it at sign-in.`);
      return keySet;
    }
    const problem = continuityProblem(pinned, keySet);
    if (problem) {
      throw new CliError(
        'key_changed',
        `${problem}; nothing was written. If your admin confirms the key ${short(current.keyid)}, run everyskill login ${api.origin} --trust-new-key`,
        EXIT.integrity,
      );
    }
    if (pinned.keyid !== current.keyid) {
      this.out.warn(`the signing key of ${keySet.tenant.name} changed from ${short(pinned.keyid)} to ${short(current.keyid)}; the rotation is signed by the key you pinned, so ${short(current.keyid)} is pinned now`);
      writeKeyPin(api.origin, pinOf(keySet));
    }
    return keySet;
  }

  /**
   * Fetches the version's attestation (the one the lockfile records, when it records one) and
   * checks it: signed by a trusted key in its window, about this skill, version and content
   * digest, naming every downloaded file with its SHA-256, and not a version the scan blocked.
   */
  async verify(api: ApiClient, skill: SkillFiles, files: readonly VerifiedFile[], recorded: string | null): Promise<VerifiedProvenance> {
    const keySet = await this.trustedKeySet(api);
    const ref = `${skill.name}@${skill.version}`;
    const fail = (why: string) => new CliError('provenance', `${ref}: ${why}; nothing was written`, EXIT.integrity);
    const query = recorded ? `?envelopeSha256=${recorded}` : '';
    const answer = await api
      .get<{ envelope?: unknown }>(`/skills/${encodeURIComponent(skill.name)}/versions/${encodeURIComponent(skill.version)}/attestation${query}`)
      .catch((error: unknown) => {
        if (recorded && error instanceof CliError && error.exitCode === EXIT.notFound) {
          throw fail(`the server has no attestation ${short(recorded)}, the one the lockfile records (${error.message})`);
        }
        throw error;
      });
    const checked = verifyAttestation(answer?.envelope, keySet);
    if (!checked.ok) throw fail(`its attestation does not verify: ${checked.problem}`);
    const digest = envelopeSha256(answer.envelope as DsseEnvelope);
    if (recorded && digest !== recorded) throw fail(`the server sent the attestation ${short(digest)}, not ${short(recorded)} that the lockfile records`);
    const { predicate } = checked.statement;
    if (predicate.skill.name !== skill.name || predicate.version.number !== skill.version) {
      throw fail(`its attestation is about ${predicate.skill.name}@${predicate.version.number}`);
    }
    // Each file first, for the most precise message; the content digest then also covers the modes.
    const subjects = verifySubjects(checked.statement, { files: files.map((f) => ({ path: f.path, bytes: f.bytes })) });
    if (!subjects.ok) throw fail(subjects.problem);
    if (predicate.version.contentSha256 !== skill.contentSha256) {
      throw fail(`its content digest ${short(skill.contentSha256)} is not the ${short(predicate.version.contentSha256)} its attestation signs: it was changed after it was published`);
    }
    if (predicate.safety?.verdict === 'blocked' && !predicate.safety.override) {
      throw new CliError('blocked', `${ref}: its attestation says the safety scan blocked it; nothing was written`, EXIT.refused);
    }
    return { digest, statement: checked.statement };
  }
}
