import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, skills, skillVersions, sql, withTenant, type Database, type SkillVersion } from '@everyskill/db';
import type { Actor } from '../context';
import { writeTarGz } from '../skills/bundle/write-archive';
import type { SkillBlobStore, SkillsCtx } from '../skills/skill-blob-store';
import { withheldFromAgentsSql } from '../skills/safety/withhold-blocked-version';
import { loadVersionBundle } from '../skills/skill-bundle-io';

/** The `$schema` of the index the `skills` CLI and other clients read. */
export const DISCOVERY_SCHEMA = 'https://schemas.agentskills.io/discovery/0.2.0/schema.json';
export const DISCOVERY_PATH = '/.well-known/agent-skills';

export interface DiscoveryEntry {
  name: string;
  type: 'skill-md' | 'archive';
  description: string;
  url: string;
  digest: string;
}

export interface DiscoveryIndex {
  $schema: typeof DISCOVERY_SCHEMA;
  skills: DiscoveryEntry[];
}

/** A discovery artifact: SKILL.md alone, or the skill folder as a tar.gz with SKILL.md at its root. */
export interface DiscoveryArtifact {
  contentType: 'text/markdown; charset=utf-8' | 'application/gzip';
  bytes: Uint8Array;
  digest: string;
}

const discoveryActor: Actor = { kind: 'system', label: 'agent-skills-discovery' };
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

// Versions never change, so an archive's bytes and digest can be kept per version (bounded).
const archiveCache = new Map<string, DiscoveryArtifact>();
const ARCHIVE_CACHE_ENTRIES = 256;

interface PublicSkill {
  slug: string;
  description: string;
  version: SkillVersion;
}

/** The tenant's public, live skills with their latest versions: all that anonymous clients may see. */
async function publicSkills(db: Database, tenantId: string, slug?: string): Promise<PublicSkill[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ slug: skills.slug, description: skills.description, version: skillVersions })
      .from(skills)
      .innerJoin(skillVersions, eq(skillVersions.id, skills.latestVersionId))
      .where(
        and(
          eq(skills.visibility, 'public'),
          isNull(skills.deletedAt),
          // A version the safety scan withholds (blocked or held for review) is not offered.
          sql`NOT ${withheldFromAgentsSql(skillVersions.id)}`,
          ...(slug ? [eq(skills.slug, slug)] : []),
        ),
      )
      .orderBy(asc(skills.slug)),
  );
}

async function archiveOf(blobs: SkillBlobStore, db: Database, tenantId: string, version: SkillVersion): Promise<DiscoveryArtifact> {
  const hit = archiveCache.get(version.id);
  if (hit) return hit;
  const ctx: SkillsCtx = { tenantId, actor: discoveryActor, db, blobs };
  const bundle = await loadVersionBundle(ctx, version.blobKey);
  // The discovery RFC wants the skill's files at the archive root (no wrapping folder).
  const bytes = await writeTarGz(bundle.files);
  const artifact: DiscoveryArtifact = { contentType: 'application/gzip', bytes, digest: sha256(bytes) };
  if (archiveCache.size >= ARCHIVE_CACHE_ENTRIES) archiveCache.delete(archiveCache.keys().next().value!);
  archiveCache.set(version.id, artifact);
  return artifact;
}

function skillMdArtifact(version: SkillVersion): DiscoveryArtifact {
  const bytes = new TextEncoder().encode(version.skillMd);
  return { contentType: 'text/markdown; charset=utf-8', bytes, digest: sha256(bytes) };
}

/** A skill of one file is published as its SKILL.md; anything bigger as a tar.gz. */
const isSingleFile = (version: SkillVersion) => version.fileCount === 1;

/**
 * The Agent Skills discovery index (v0.2.0) of a tenant: its public skills only, each with the
 * URL and SHA-256 digest of exactly the bytes `discoveryArtifact` serves.
 */
export async function buildDiscoveryIndex(db: Database, blobs: SkillBlobStore, tenantId: string): Promise<DiscoveryIndex> {
  const entries: DiscoveryEntry[] = [];
  for (const skill of await publicSkills(db, tenantId)) {
    const single = isSingleFile(skill.version);
    const artifact = single ? skillMdArtifact(skill.version) : await archiveOf(blobs, db, tenantId, skill.version);
    entries.push({
      name: skill.slug,
      type: single ? 'skill-md' : 'archive',
      description: skill.description,
      url: single ? `${DISCOVERY_PATH}/${skill.slug}/SKILL.md` : `${DISCOVERY_PATH}/${skill.slug}.tar.gz`,
      digest: artifact.digest,
    });
  }
  return { $schema: DISCOVERY_SCHEMA, skills: entries };
}

/**
 * One artifact of a public skill: `SKILL.md` (any public skill) or `archive` (the tar.gz of a
 * multi-file skill). Null for a name that is not a public skill of the tenant.
 */
export async function discoveryArtifact(
  db: Database,
  blobs: SkillBlobStore,
  tenantId: string,
  slug: string,
  kind: 'skill-md' | 'archive',
): Promise<DiscoveryArtifact | null> {
  const [skill] = await publicSkills(db, tenantId, slug);
  if (!skill) return null;
  if (kind === 'skill-md') return skillMdArtifact(skill.version);
  return isSingleFile(skill.version) ? null : archiveOf(blobs, db, tenantId, skill.version);
}
