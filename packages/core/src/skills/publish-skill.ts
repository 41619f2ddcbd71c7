import {
  deriveSkillVersion,
  matchSkillCategory,
  parseSkillMarkdown,
  publishSkillOptions,
  SKILL_MAX_TAGS,
  SKILL_NAME_PATTERN,
  SKILL_TAG_PATTERN,
  metadataTagText,
  splitSkillTags,
  validateSkillManifest,
  type PublishSkillOptions,
  type PublishSkillResult,
  type SafetyScan,
  type SkillIssue,
  type SkillManifest,
} from '@everyskill/contracts';
import {
  and,
  desc,
  eq,
  isNull,
  skills,
  skillVersions,
  withTenant,
  type Skill,
  type SkillVersion,
  type Transaction,
} from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import { isUniqueViolation } from '../db-errors';
import { conflict, invalidInput } from '../errors';
import { parseInput } from '../parse-input';
import type { SkillBundle } from './bundle/bundle-collector';
import { bundleContentSha256, loadVersionBundle, packBundle, readUploadedBundle, type UploadSource } from './skill-bundle-io';
import { scanForSecrets } from './secrets';
import { describeSecretFindings } from './skill-secrets';
import { describeSafetyFindings, recordVersionSafety, scanSkillBundle } from './safety';
import { assertDirectPublishAllowed } from '../review-workflow/publish-gate';
import { readReviewSettings } from '../review-workflow/review-settings';
import { attestSkillVersion } from '../provenance/attest-skill-version';
import { canSeeSkill, requireAuthorOrAdmin, requireScope } from './skill-access';
import { asUnavailable, blobKeyOf, type SkillsCtx } from './skill-blob-store';
import { compareVersions, FIRST_VERSION, nextPatchVersion } from './version-number';
import { actorUserId } from '../context';

/** Where the content of a publish comes from. */
export type PublishSource =
  | UploadSource
  /** SKILL.md written in the editor; a new version keeps the other files of the latest version. */
  | { kind: 'skill-md'; skillMd: string };

export type PublishSkillInput = PublishSkillOptions & { source: PublishSource };

/** The parent of a variation, set by forkSkill. */
export interface ForkOrigin {
  skillId: string;
  versionId: string;
}

/**
 * Publishes a skill or a new version of it, from an archive, loose files or an edited SKILL.md:
 * validate the manifest, refuse secrets, store the normalised bundle (blob first, content-
 * addressed), then the rows in one transaction with an audit entry. Identical content is a no-op.
 */
export async function publishSkill(ctx: SkillsCtx, input: PublishSkillInput): Promise<PublishSkillResult> {
  requireScope(ctx, 'skills:publish');
  const { source, ...rest } = input;
  const options = parseInput(publishSkillOptions, rest);
  const bundle = await bundleOf(ctx, source, options.slug);
  return publishBundle(ctx, bundle, options);
}

type ParsedOptions = ReturnType<typeof publishSkillOptions.parse>;

async function bundleOf(ctx: SkillsCtx, source: PublishSource, slug: string | undefined): Promise<SkillBundle> {
  if (source.kind !== 'skill-md') return readUploadedBundle(source);
  const skillMd = { path: 'SKILL.md', bytes: new TextEncoder().encode(source.skillMd) };
  // Without an explicit slug, SKILL.md's own name says which skill a new version would be for.
  const parsed = parseSkillMarkdown(source.skillMd);
  const named = parsed.ok && typeof parsed.frontmatter.name === 'string' ? parsed.frontmatter.name : undefined;
  const target = slug ?? (named && SKILL_NAME_PATTERN.test(named) ? named : undefined);
  const previous = target ? await latestBlobKey(ctx, target) : null;
  if (!previous) return readUploadedBundle({ kind: 'files', files: [skillMd] });
  // Editing SKILL.md must not drop the scripts and references published with it.
  const kept = (await loadVersionBundle(ctx, previous)).files.filter((f) => f.path !== 'SKILL.md');
  return readUploadedBundle({ kind: 'files', files: [skillMd, ...kept.map((f) => ({ path: f.path, bytes: f.bytes, executable: f.executable }))] });
}

async function latestBlobKey(ctx: SkillsCtx, slug: string): Promise<string | null> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select({ blobKey: skillVersions.blobKey, skill: skills })
      .from(skills)
      .innerJoin(skillVersions, eq(skillVersions.id, skills.latestVersionId))
      .where(and(eq(skills.slug, slug), isNull(skills.deletedAt)));
    return row && canSeeSkill(ctx, row.skill) ? row.blobKey : null;
  });
}

/** The publish pipeline after the bundle is read; forkSkill enters here with its origin. */
export async function publishBundle(
  ctx: SkillsCtx,
  bundle: SkillBundle,
  options: ParsedOptions,
  fork?: ForkOrigin,
  how: { revert?: boolean } = {},
): Promise<PublishSkillResult> {
  const folderName = bundle.folderName ?? options.slug;
  const validation = validateSkillManifest(bundle.skillMarkdown, folderName ? { folderName } : {});
  if (!validation.ok || !validation.manifest) {
    const errors = validation.errors;
    throw invalidInput(`SKILL.md is not valid: ${errors.map((e) => e.message).join('; ')}`, { reason: 'invalid-manifest', errors });
  }
  const manifest = validation.manifest;
  if (options.slug && manifest.name !== options.slug) {
    throw invalidInput(
      `this publishes a new version of '${options.slug}', but SKILL.md is named '${manifest.name}'; keep 'name: ${options.slug}' (to publish under another name, create a variation)`,
      { reason: 'invalid-manifest', errors: [{ path: 'name', code: 'mismatch', message: `name must stay '${options.slug}'` }] },
    );
  }

  // The release notes are shown to every reader, so a token pasted there is refused like one in a file.
  const findings = await scanForSecrets(options.notes ? [...bundle.files, { path: '(release notes)', text: options.notes }] : bundle.files);
  if (findings.length > 0) {
    throw invalidInput(describeSecretFindings(findings), { reason: 'secrets-found', secrets: findings });
  }
  // Then the safety rules: a skill is text an agent acts on, so a blocking finding refuses it with every finding located.
  // Under the workspace's "hold for review" policy the version is stored instead, withheld from agents until approved.
  const safety = scanSkillBundle(bundle.files);
  const held = safety.verdict === 'blocked' && (await withTenant(ctx.db, ctx.tenantId, (tx) => readReviewSettings(tx))).safetyBlockPolicy === 'hold';
  if (safety.verdict === 'blocked' && !held) {
    throw invalidInput(describeSafetyFindings(safety), { reason: 'unsafe-content', rulesVersion: safety.rulesVersion, findings: safety.findings });
  }

  const warnings: SkillIssue[] = validation.warnings.map((w) => ({ path: w.path, message: w.message }));
  const details = describeSkill(manifest, options, warnings);
  const blob = packBundle(bundle.files, manifest.name);
  const contentSha256 = bundleContentSha256(bundle.files);
  const publication: Publication = { manifest, bundle, options, fork, revert: how.revert ?? false, contentSha256, details, warnings, blobSize: blob.byteLength, safety, held };

  // A read-only look first: identical content or a refused version number must not store a blob.
  const plan = await withTenant(ctx.db, ctx.tenantId, (tx) => planPublish(tx, ctx, publication, false));
  if (plan.kind === 'unchanged') return unchangedResult(plan.skill, plan.version, warnings);

  // Blob first, rows after: a failure here leaves no row, and a row never points at a missing blob.
  const blobKey = blobKeyOf(ctx.tenantId, blob);
  try {
    await ctx.blobs.put(blobKey, blob, { contentType: 'application/zip' });
  } catch (error) {
    throw asUnavailable(error, 'store');
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await withTenant(ctx.db, ctx.tenantId, (tx) => writePublication(tx, ctx, publication, blobKey));
    } catch (error) {
      // Someone published the same name or version at the same moment: look again once.
      if (attempt === 1 && isUniqueViolation(error)) continue;
      if (isUniqueViolation(error)) throw conflict(`'${manifest.name}' was published by someone else at the same moment; try again`);
      throw error;
    }
  }
}

interface Publication {
  manifest: SkillManifest;
  bundle: SkillBundle;
  options: ParsedOptions;
  fork: ForkOrigin | undefined;
  /** A rollback (restoreSkillVersion): an earlier version's content becomes the new latest version. */
  revert: boolean;
  contentSha256: string;
  details: { category: string; tags: string[] };
  warnings: SkillIssue[];
  blobSize: number;
  safety: SafetyScan;
  /** Blocked by the safety scan and published held for review. */
  held: boolean;
}

type Plan =
  | { kind: 'unchanged'; skill: Skill; version: SkillVersion }
  | { kind: 'new-version'; skill: Skill; version: string }
  | { kind: 'new-skill'; version: string };

/** Decides what a publish does, refusing what it may not do; `lock` holds the skill row until commit. */
/**
 * What publishing `p` would do. Anything that adds to the catalogue passes the review workflow's
 * gate: with approval on, only an approved submission's publication gets through.
 */
async function planPublish(tx: Transaction, ctx: SkillsCtx, p: Publication, lock: boolean): Promise<Plan> {
  const plan = await planPublishUngated(tx, ctx, p, lock);
  if (plan.kind !== 'unchanged') await assertDirectPublishAllowed(tx, ctx);
  return plan;
}

/** The one answer for a new version of a skill that is absent, deleted or private to someone else. */
const notYoursToPublish = (slug: string) =>
  conflict(
    `there is no skill '${slug}' that you can publish a new version of; to publish a new skill, leave out the skill to update (a name already used in this workspace is refused)`,
    { reason: 'not-yours' },
  );

async function planPublishUngated(tx: Transaction, ctx: SkillsCtx, p: Publication, lock: boolean): Promise<Plan> {
  const name = p.manifest.name;
  const query = tx
    .select()
    .from(skills)
    .where(and(eq(skills.slug, name), isNull(skills.deletedAt)));
  const [skill] = lock ? await query.for('update') : await query;
  const requested = deriveSkillVersion(p.manifest);

  // A skill the actor cannot see answers exactly as no skill at all (docs/api.md, "Publishing").
  if (p.options.slug && (!skill || !canSeeSkill(ctx, skill))) throw notYoursToPublish(p.options.slug);
  if (!skill) return { kind: 'new-skill', version: requested ?? FIRST_VERSION };
  if (p.fork || !canSeeSkill(ctx, skill)) {
    throw conflict(`a skill named '${name}' already exists in this workspace; choose another name`, { reason: 'name-taken' });
  }
  await requireAuthorOrAdmin(tx, ctx, skill, 'publish a new version of it (to change it for yourself, create a variation)');

  // Content a version already has changes nothing: a retry, a double click, or a stale copy sent
  // again after someone published a newer version, which must not roll theirs back. Only a
  // deliberate rollback (restoreSkillVersion) publishes an earlier version's content as the latest.
  const [latest] = skill.latestVersionId
    ? await tx.select().from(skillVersions).where(eq(skillVersions.id, skill.latestVersionId))
    : [];
  if (latest && latest.contentSha256 === p.contentSha256) return { kind: 'unchanged', skill, version: latest };
  if (!p.revert) {
    const [same] = await tx
      .select()
      .from(skillVersions)
      .where(and(eq(skillVersions.skillId, skill.id), eq(skillVersions.contentSha256, p.contentSha256)))
      .orderBy(desc(skillVersions.createdAt))
      .limit(1);
    if (same) return { kind: 'unchanged', skill, version: same };
  }
  if (!requested) return { kind: 'new-version', skill, version: nextPatchVersion(latest?.version ?? null) };

  const [taken] = await tx
    .select()
    .from(skillVersions)
    .where(and(eq(skillVersions.skillId, skill.id), eq(skillVersions.version, requested)));
  // The same SKILL.md names the same metadata.version: this is that version's publication again.
  if (taken && taken.contentSha256 === p.contentSha256) return { kind: 'unchanged', skill, version: taken };
  if (taken) {
    throw conflict(
      `version ${requested} of '${name}' is already published with different content; versions are immutable, so raise metadata.version (for example to ${nextPatchVersion(latest?.version ?? requested)})`,
      { reason: 'version-exists', version: requested },
    );
  }
  if (latest && compareVersions(requested, latest.version) < 0) {
    throw conflict(`version ${requested} is lower than the latest version ${latest.version} of '${name}'; a new version must be higher`, {
      reason: 'version-lower',
      version: requested,
      latest: latest.version,
    });
  }
  return { kind: 'new-version', skill, version: requested };
}

async function writePublication(tx: Transaction, ctx: SkillsCtx, p: Publication, blobKey: string): Promise<PublishSkillResult> {
  const plan = await planPublish(tx, ctx, p, true);
  if (plan.kind === 'unchanged') return unchangedResult(plan.skill, plan.version, p.warnings);
  const me = actorUserId(ctx.actor);
  const now = new Date();

  let skill: Skill;
  if (plan.kind === 'new-skill') {
    const [created] = await tx
      .insert(skills)
      .values({
        tenantId: ctx.tenantId,
        slug: p.manifest.name,
        name: p.manifest.name,
        description: p.manifest.description,
        category: p.details.category,
        tags: p.details.tags,
        authorUserId: me,
        visibility: p.options.visibility ?? 'tenant',
        forkedFromSkillId: p.fork?.skillId ?? null,
        forkedFromVersionId: p.fork?.versionId ?? null,
      })
      .returning();
    skill = created!;
  } else {
    skill = plan.skill;
  }

  const [version] = await tx
    .insert(skillVersions)
    .values({
      tenantId: ctx.tenantId,
      skillId: skill.id,
      version: plan.version,
      contentSha256: p.contentSha256,
      blobKey,
      skillMd: p.bundle.skillMarkdown,
      manifest: p.manifest as unknown as Record<string, unknown>, // a plain JSON object parsed from YAML
      warnings: p.warnings,
      files: p.bundle.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, text: f.isText })),
      fileCount: p.bundle.files.length,
      sizeBytes: p.bundle.totalSize,
      blobSizeBytes: p.blobSize,
      notes: p.options.notes ?? null,
      publishedBy: me,
    })
    .returning();
  await recordVersionSafety(tx, ctx.tenantId, version!.id, p.safety, { held: p.held });
  if (p.held) {
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'skill.safety_held',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug: skill.slug, version: plan.version, rulesVersion: p.safety.rulesVersion, findings: p.safety.findings.filter((f) => f.severity === 'block').length },
      requestId: ctx.requestId,
    });
  }

  // The skill shows what its latest version says; explicit choices of this publish win.
  await tx
    .update(skills)
    .set({
      latestVersionId: version!.id,
      name: p.manifest.name,
      description: p.manifest.description,
      category: p.options.category ?? (plan.kind === 'new-skill' ? p.details.category : metadataCategory(p.manifest) ?? skill.category),
      tags: p.options.tags ?? (plan.kind === 'new-skill' ? p.details.tags : metadataTags(p.manifest) ?? skill.tags),
      visibility: p.options.visibility ?? skill.visibility,
      updatedAt: now,
    })
    .where(eq(skills.id, skill.id));

  await recordAudit(tx, {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    action: plan.kind === 'new-skill' ? (p.fork ? 'skill.forked' : 'skill.published') : 'skill.version_published',
    targetType: 'skill',
    targetId: skill.id,
    details: {
      slug: skill.slug,
      version: plan.version,
      contentSha256: p.contentSha256,
      files: p.bundle.files.length,
      ...(p.fork ? { forkedFromSkillId: p.fork.skillId, forkedFromVersionId: p.fork.versionId } : {}),
    },
    requestId: ctx.requestId,
  });
  await ctx.afterPublish?.(tx, { tenantId: ctx.tenantId, skillId: skill.id, versionId: version!.id, contentSha256: p.contentSha256, publishedBy: me });
  // Signed last, in the same transaction, so the attestation states the review the hook recorded.
  await attestSkillVersion(tx, ctx.tenantId, version!.id, 'published');

  return {
    skill: { id: skill.id, slug: skill.slug, name: p.manifest.name },
    version: { id: version!.id, version: plan.version, contentSha256: p.contentSha256 },
    created: true,
    newSkill: plan.kind === 'new-skill',
    warnings: p.warnings,
    ...(p.held ? { heldForReview: true } : {}),
  };
}

function unchangedResult(skill: Skill, version: SkillVersion, warnings: SkillIssue[]): PublishSkillResult {
  return {
    skill: { id: skill.id, slug: skill.slug, name: skill.name },
    version: { id: version.id, version: version.version, contentSha256: version.contentSha256 },
    created: false,
    newSkill: false,
    warnings,
  };
}

function metadataCategory(manifest: SkillManifest): string | null {
  return matchSkillCategory(manifest.metadata.category);
}

function metadataTags(manifest: SkillManifest): string[] | null {
  const text = metadataTagText(manifest.metadata);
  if (!text) return null;
  return splitSkillTags(text)
    .filter((t) => SKILL_TAG_PATTERN.test(t))
    .slice(0, SKILL_MAX_TAGS);
}

/** Category and tags of a new skill: the publish form's choice, else metadata.category / metadata.tags. */
function describeSkill(manifest: SkillManifest, options: ParsedOptions, warnings: SkillIssue[]) {
  const category = options.category ?? metadataCategory(manifest) ?? 'other';
  if (!options.category && manifest.metadata.category && !metadataCategory(manifest)) {
    warnings.push({
      path: 'metadata.category',
      message: `metadata.category '${manifest.metadata.category}' is not one of the catalogue's categories; the skill is filed under 'other' until you choose one`,
    });
  }
  const tags = options.tags ?? metadataTags(manifest) ?? [];
  return { category, tags };
}
