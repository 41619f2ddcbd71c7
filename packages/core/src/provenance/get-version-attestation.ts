import { apiAttestationQuery, PROVENANCE_KEYS_PATH, skillVersionRefInput, type ApiVersionAttestation, type AttestationSummary, type SkillVersionRefInput } from '@everyskill/contracts';
import type { SkillAttestation } from '@everyskill/provenance';
import { and, count, desc, eq, provenanceLog, withTenant, type ProvenanceLogEntry, type Transaction } from '@everyskill/db';
import type { Ctx } from '../context';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';
import { loadVersion } from '../skills/load-version';
import { loadVisibleSkill, requireScope } from '../skills/skill-access';
import { attestSkillVersion } from './attest-skill-version';

/**
 * The latest attestation of a version the actor may see (the latest when no version is given), or
 * the one whose envelope digest is `envelopeSha256`. A version published before provenance existed
 * is attested now, once, marked `backfill`.
 */
export async function getVersionAttestation(ctx: Ctx, input: SkillVersionRefInput & { envelopeSha256?: string }): Promise<ApiVersionAttestation> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(skillVersionRefInput, input);
  const wanted = input.envelopeSha256 === undefined ? undefined : parseInput(apiAttestationQuery, { envelopeSha256: input.envelopeSha256 }).envelopeSha256;
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const row = await loadVersion(tx, skill, version);
    const entry = wanted
      ? await attestationByDigest(tx, row.id, wanted, `${skill.slug}@${row.version}`)
      : ((await latestAttestation(tx, row.id)) ?? (await backfill(tx, ctx.tenantId, row.id)));
    const [total] = await tx.select({ n: count() }).from(provenanceLog).where(eq(provenanceLog.versionId, row.id));
    return attestationView(skill.slug, row.version, entry, Number(total?.n ?? 1));
  });
}

async function latestAttestation(tx: Transaction, versionId: string): Promise<ProvenanceLogEntry | null> {
  const [entry] = await tx
    .select()
    .from(provenanceLog)
    .where(and(eq(provenanceLog.versionId, versionId), eq(provenanceLog.kind, 'attestation')))
    .orderBy(desc(provenanceLog.seq))
    .limit(1);
  return entry ?? null;
}

async function attestationByDigest(tx: Transaction, versionId: string, envelopeSha256: string, ref: string): Promise<ProvenanceLogEntry> {
  const [entry] = await tx
    .select()
    .from(provenanceLog)
    .where(and(eq(provenanceLog.versionId, versionId), eq(provenanceLog.kind, 'attestation'), eq(provenanceLog.envelopeSha256, envelopeSha256)))
    .limit(1);
  if (!entry) throw notFound(`an attestation ${envelopeSha256.slice(0, 12)}… of ${ref}`);
  return entry;
}

/** Attests an older version under the tenant's key lock, unless a concurrent request just did. */
async function backfill(tx: Transaction, tenantId: string, versionId: string): Promise<ProvenanceLogEntry> {
  const entry = await attestSkillVersion(tx, tenantId, versionId, 'backfill', async () => latestAttestation(tx, versionId));
  return entry;
}

/** What the portal and the API show of a log entry. */
export function attestationView(slug: string, version: string, entry: ProvenanceLogEntry, attestations: number): ApiVersionAttestation {
  const statement = statementOf(entry);
  return {
    slug,
    version,
    envelope: entry.envelope,
    envelopeSha256: entry.envelopeSha256,
    keyid: entry.keyid,
    logSeq: entry.seq,
    reason: entry.reason ?? 'published',
    attestedAt: statement.predicate.attestedAt,
    attestations,
    summary: summaryOf(statement),
    keysUrl: PROVENANCE_KEYS_PATH,
  };
}

export function statementOf(entry: ProvenanceLogEntry): SkillAttestation {
  return JSON.parse(Buffer.from(entry.envelope.payload, 'base64').toString('utf8')) as SkillAttestation;
}

function summaryOf(statement: SkillAttestation): AttestationSummary {
  const p = statement.predicate;
  return {
    signedBy: p.tenant.name,
    publishedBy: p.publisher?.email ?? null,
    safety: p.safety ? { verdict: p.safety.verdict, rulesVersion: p.safety.rulesVersion } : null,
    review: p.review ? { decision: p.review.decision, reviewer: p.review.reviewer?.email ?? null } : null,
    parent: p.parent ? { skill: p.parent.skillName, version: p.parent.version } : null,
  };
}
