import { inArray, rowsOf, skillVersions, sql, tenants, withTenant, withoutTenant, type Database, type Transaction } from '@everyskill/db';
import type { BlobStore } from '@everyskill/storage';
import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../context';
import { embedSkillJob } from '../search/search-jobs';
import { getSearchRuntime } from '../search/search-runtime';
import type {
  CounterFinding,
  CrossTenantFinding,
  EmbeddingFinding,
  IntegrityReport,
  MissingBlobFinding,
  OrphanBlobFinding,
} from './integrity-report';
import { backfillAttestations, checkTenantProvenance } from './check-provenance';

/** What the check needs of the blob store; reading a bundle (`get`) checks it against its attestation. */
export type IntegrityBlobStore = Pick<BlobStore, 'exists' | 'head' | 'list' | 'delete' | 'get'>;

export interface IntegrityOptions {
  blobs: IntegrityBlobStore;
  repair: boolean;
  actor: Actor;
  /** Only this tenant (the admin page); the cron endpoint checks every tenant and tenant-less blobs. */
  tenantId?: string;
  /** The embedding model search uses; defaults to the configured one. */
  embedding?: { provider: string; model: string };
  queue?: JobQueue;
  now?: Date;
  requestId?: string;
}

const ORPHAN_MIN_AGE_MS = 86_400_000;

/**
 * Columns that point at a person. Every tenant-scoped table that references skills does so with
 * (tenant_id, skill_id), so only these single-column references to users can cross tenants.
 * `nullableMutable` ones can be detached safely; versions and usage events are immutable facts.
 */
const PERSON_REFERENCES: { table: string; column: string; id: string; nullableMutable: boolean }[] = [
  { table: 'memberships', column: 'user_id', id: 'user_id', nullableMutable: false },
  { table: 'skills', column: 'author_user_id', id: 'id', nullableMutable: true },
  { table: 'skill_versions', column: 'published_by', id: 'id', nullableMutable: false },
  { table: 'skill_ratings', column: 'user_id', id: 'id', nullableMutable: false },
  { table: 'skill_feedback', column: 'user_id', id: 'id', nullableMutable: true },
  { table: 'skill_usage_events', column: 'user_id', id: 'id', nullableMutable: false },
  { table: 'api_keys', column: 'user_id', id: 'id', nullableMutable: false },
  { table: 'skill_submissions', column: 'author_user_id', id: 'id', nullableMutable: false },
  { table: 'review_notifications', column: 'user_id', id: 'id', nullableMutable: false },
  { table: 'notifications', column: 'user_id', id: 'id', nullableMutable: false },
  { table: 'skill_follows', column: 'user_id', id: 'skill_id', nullableMutable: false },
  { table: 'notification_preferences', column: 'user_id', id: 'user_id', nullableMutable: false },
  { table: 'digest_deliveries', column: 'user_id', id: 'id', nullableMutable: false },
];

interface CounterRow {
  id: string;
  slug: string;
  uses_count: number;
  installs_count: number;
  rating_sum: number;
  rating_count: number;
  feedback_positive: number;
  feedback_total: number;
  actual_uses: number;
  actual_installs: number;
  actual_rating_sum: number;
  actual_rating_count: number;
  actual_feedback_positive: number;
  actual_feedback_total: number;
}

const COUNTERS = [
  ['uses_count', 'actual_uses'],
  ['installs_count', 'actual_installs'],
  ['rating_sum', 'actual_rating_sum'],
  ['rating_count', 'actual_rating_count'],
  ['feedback_positive', 'actual_feedback_positive'],
  ['feedback_total', 'actual_feedback_total'],
] as const;

// The stored counters next to what the rows add up to (the rules of record-use, rate-skill, submit-feedback).
const countersSql = (onlyMismatched: boolean, lock: boolean) => sql`
  SELECT s.id, s.slug, s.uses_count, s.installs_count, s.rating_sum, s.rating_count, s.feedback_positive, s.feedback_total,
    COALESCE(u.uses, 0)::int AS actual_uses, COALESCE(u.installs, 0)::int AS actual_installs,
    COALESCE(r.total, 0)::int AS actual_rating_sum, COALESCE(r.n, 0)::int AS actual_rating_count,
    COALESCE(f.positive, 0)::int AS actual_feedback_positive, COALESCE(f.total, 0)::int AS actual_feedback_total
  FROM skills s
  LEFT JOIN (SELECT skill_id, count(*) FILTER (WHERE kind = 'use') AS uses, count(*) FILTER (WHERE kind = 'install') AS installs
             FROM skill_usage_events GROUP BY skill_id) u ON u.skill_id = s.id
  LEFT JOIN (SELECT skill_id, sum(stars) AS total, count(*) AS n FROM skill_ratings GROUP BY skill_id) r ON r.skill_id = s.id
  LEFT JOIN (SELECT skill_id, count(*) FILTER (WHERE kind = 'thumbs_up') AS positive,
                    count(*) FILTER (WHERE kind IN ('thumbs_up', 'thumbs_down')) AS total
             FROM skill_feedback GROUP BY skill_id) f ON f.skill_id = s.id
  ${
    onlyMismatched
      ? sql`WHERE (s.uses_count, s.installs_count, s.rating_sum, s.rating_count, s.feedback_positive, s.feedback_total)
          IS DISTINCT FROM (COALESCE(u.uses, 0)::int, COALESCE(u.installs, 0)::int, COALESCE(r.total, 0)::int, COALESCE(r.n, 0)::int,
                            COALESCE(f.positive, 0)::int, COALESCE(f.total, 0)::int)`
      : sql``
  }
  ORDER BY s.slug
  ${lock ? sql`FOR UPDATE OF s` : sql``}`;

function counterFinding(tenantId: string, row: CounterRow): CounterFinding {
  const differences: CounterFinding['differences'] = {};
  for (const [stored, actual] of COUNTERS) {
    if (Number(row[stored]) !== Number(row[actual])) differences[stored] = [Number(row[stored]), Number(row[actual])];
  }
  return { tenantId, skillId: row.id, slug: row.slug, differences };
}

/**
 * Checks one tenant inside withTenant. No privileged connection is used, on purpose: every query
 * runs as the app role under row-level security, one tenant at a time, so a bug here cannot leak
 * or change another tenant's rows. Cross-tenant references are still visible from inside: the
 * foreign key guarantees the referenced person exists, so a reference to a person this tenant
 * cannot see is a person of another tenant.
 */
async function checkTenant(db: Database, tenantId: string, options: IntegrityOptions, report: IntegrityReport, embedding: { provider: string; model: string }) {
  const found = await withTenant(db, tenantId, async (tx) => {
    const counters = rowsOf<CounterRow>(await tx.execute(countersSql(true, false))).map((r) => counterFinding(tenantId, r));
    const crossTenant: CrossTenantFinding[] = [];
    for (const ref of PERSON_REFERENCES) {
      const rows = rowsOf<{ row_id: string }>(
        await tx.execute(sql`
          SELECT x.${sql.identifier(ref.id)}::text AS row_id FROM ${sql.identifier(ref.table)} x
          WHERE x.${sql.identifier(ref.column)} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = x.${sql.identifier(ref.column)})`),
      );
      for (const row of rows) crossTenant.push({ tenantId, table: ref.table, column: ref.column, rowId: row.row_id, repairable: ref.nullableMutable });
    }
    const versions = rowsOf<{ id: string; version: string; blob_key: string; slug: string }>(
      await tx.execute(sql`SELECT v.id, v.version, v.blob_key, s.slug FROM skill_versions v JOIN skills s ON s.id = v.skill_id ORDER BY s.slug, v.created_at`),
    );
    const embeddings = rowsOf<{ id: string; slug: string; models: string[] | null; current: boolean }>(
      await tx.execute(sql`
        SELECT s.id, s.slug,
          (SELECT array_agg(e.provider || ':' || e.model ORDER BY e.model) FROM skill_embeddings e WHERE e.skill_id = s.id) AS models,
          EXISTS (SELECT 1 FROM skill_embeddings e WHERE e.skill_id = s.id AND e.provider = ${embedding.provider} AND e.model = ${embedding.model}) AS current
        FROM skills s
        WHERE s.deleted_at IS NULL AND s.latest_version_id IS NOT NULL
        ORDER BY s.slug`),
    );
    return { counters, crossTenant, versions, embeddings };
  });
  report.counters.push(...found.counters);
  report.crossTenantRows.push(...found.crossTenant);
  const referenced = new Set(found.versions.map((v) => v.blob_key));

  // Blob lookups happen outside the transaction: no connection waits on the store.
  const missing: MissingBlobFinding[] = [];
  for (let i = 0; i < found.versions.length; i += 8) {
    const batch = found.versions.slice(i, i + 8);
    const exists = await Promise.all(batch.map((v) => options.blobs.exists(v.blob_key)));
    batch.forEach((v, j) => {
      if (!exists[j]) missing.push({ tenantId, skillSlug: v.slug, version: v.version, versionId: v.id, blobKey: v.blob_key });
    });
  }
  report.missingBlobs.push(...missing);

  const now = (options.now ?? new Date()).getTime();
  for await (const blob of options.blobs.list(`${tenantId}/`)) {
    if (referenced.has(blob.key)) continue;
    report.orphanBlobs.push({
      tenantId,
      key: blob.key,
      size: blob.size,
      lastModified: blob.lastModified.toISOString(),
      removable: now - blob.lastModified.getTime() >= ORPHAN_MIN_AGE_MS,
    });
  }

  const embeddingFindings: EmbeddingFinding[] = found.embeddings
    .filter((e) => !e.current)
    .map((e) => ({ tenantId, skillId: e.id, slug: e.slug, problem: e.models && e.models.length > 0 ? 'stale-model' : 'missing', models: e.models ?? [] }));
  report.embeddings.push(...embeddingFindings);
  report.provenance.push(...(await checkTenantProvenance(db, tenantId, options.blobs)));

  if (options.repair) await repairTenant(db, tenantId, options, report, found.crossTenant, embeddingFindings);
}

async function audit(tx: Transaction, tenantId: string, options: IntegrityOptions, action: string, details: Record<string, unknown>) {
  await recordAudit(tx, { tenantId, actor: options.actor, action, targetType: 'tenant', targetId: tenantId, details, requestId: options.requestId });
}

async function repairTenant(
  db: Database,
  tenantId: string,
  options: IntegrityOptions,
  report: IntegrityReport,
  crossTenant: CrossTenantFinding[],
  embeddingFindings: EmbeddingFinding[],
) {
  await withTenant(db, tenantId, async (tx) => {
    // Recomputed under the skills' row locks (which rate-skill and submit-feedback also take), so no delta is lost.
    const rows = rowsOf<CounterRow>(await tx.execute(countersSql(true, true)));
    for (const row of rows) {
      await tx.execute(sql`
        UPDATE skills SET uses_count = ${row.actual_uses}, installs_count = ${row.actual_installs},
          rating_sum = ${row.actual_rating_sum}, rating_count = ${row.actual_rating_count},
          feedback_positive = ${row.actual_feedback_positive}, feedback_total = ${row.actual_feedback_total}
        WHERE id = ${row.id}::uuid`);
    }
    if (rows.length > 0) {
      report.repairs.countersFixed += rows.length;
      await audit(tx, tenantId, options, 'integrity.counters_repaired', {
        skills: rows.map((r) => ({ skillId: r.id, slug: r.slug, differences: counterFinding(tenantId, r).differences })),
      });
    }
    const detachable = crossTenant.filter((f) => f.repairable);
    for (const finding of detachable) {
      await tx.execute(sql`
        UPDATE ${sql.identifier(finding.table)} x SET ${sql.identifier(finding.column)} = NULL
        WHERE x.id = ${finding.rowId}::uuid AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = x.${sql.identifier(finding.column)})`);
    }
    if (detachable.length > 0) {
      report.repairs.referencesDetached += detachable.length;
      await audit(tx, tenantId, options, 'integrity.references_detached', {
        rows: detachable.map(({ table, column, rowId }) => ({ table, column, rowId })),
      });
    }
  });

  if (embeddingFindings.length > 0) {
    const queue = options.queue ?? (await getJobQueue());
    await withTenant(db, tenantId, async (tx) => {
      for (const finding of embeddingFindings) {
        await queue.enqueue(embedSkillJob, { tenantId, skillId: finding.skillId }, { tx, singletonKey: finding.skillId });
      }
      await audit(tx, tenantId, options, 'integrity.embeddings_queued', { skills: embeddingFindings.map((f) => ({ skillId: f.skillId, problem: f.problem })) });
    });
    report.repairs.embeddingsQueued += embeddingFindings.length;
  }

  const unattested = report.provenance.filter((f) => f.tenantId === tenantId && f.problem === 'unattested' && f.versionId).map((f) => f.versionId!);
  if (unattested.length > 0) {
    const signed = await backfillAttestations(db, tenantId, unattested);
    report.repairs.attestationsBackfilled += signed;
    await withTenant(db, tenantId, (tx) => audit(tx, tenantId, options, 'integrity.attestations_backfilled', { versions: unattested }));
  }

  const candidates = report.orphanBlobs.filter((b) => b.tenantId === tenantId && b.removable);
  // Asked again, in one query, right before deleting: a publish that reused one of these (old)
  // bundles may have committed its version since the check read the versions.
  const nowReferenced = candidates.length
    ? new Set(
        (
          await withTenant(db, tenantId, (tx) =>
            tx.selectDistinct({ key: skillVersions.blobKey }).from(skillVersions).where(inArray(skillVersions.blobKey, candidates.map((b) => b.key))),
          )
        ).map((r) => r.key),
      )
    : new Set<string>();
  // And each one's age read again: a publish reusing a bundle refreshes its time before its
  // version commits (BlobStore.put), which the reference check above cannot see yet.
  const now = (options.now ?? new Date()).getTime();
  const removable: typeof candidates = [];
  for (const blob of candidates) {
    if (nowReferenced.has(blob.key)) continue;
    const head = await options.blobs.head(blob.key);
    if (head && now - head.lastModified.getTime() >= ORPHAN_MIN_AGE_MS) removable.push(blob);
  }
  for (const blob of removable) await options.blobs.delete(blob.key);
  if (removable.length > 0) {
    report.repairs.orphanBlobsRemoved += removable.length;
    await withTenant(db, tenantId, (tx) =>
      audit(tx, tenantId, options, 'integrity.orphan_blobs_removed', { blobs: removable.map((b) => ({ key: b.key, size: b.size, lastModified: b.lastModified })) }),
    );
  }
}

/**
 * The integrity check: recomputes denormalized counters, finds rows pointing at another tenant's
 * people, versions whose bundle is missing, bundles no version points to, and skills without a
 * current embedding. With `repair` it fixes what is safe (counters, detachable references,
 * embeddings re-queued, orphan blobs older than a day) and writes what it did to the audit log.
 */
export async function runIntegrityCheck(db: Database, options: IntegrityOptions): Promise<IntegrityReport> {
  const runtime = options.embedding ? null : getSearchRuntime();
  const embedding = options.embedding ?? { provider: runtime!.embedder.provider, model: runtime!.embedder.model };
  const allTenants = await withoutTenant(db, (tx) => tx.select({ id: tenants.id }).from(tenants));
  const tenantIds = options.tenantId ? allTenants.filter((t) => t.id === options.tenantId).map((t) => t.id) : allTenants.map((t) => t.id);
  const report: IntegrityReport = {
    checkedAt: (options.now ?? new Date()).toISOString(),
    repair: options.repair,
    tenants: tenantIds.length,
    embeddingModel: `${embedding.provider}:${embedding.model}`,
    counters: [],
    crossTenantRows: [],
    missingBlobs: [],
    orphanBlobs: [],
    embeddings: [],
    provenance: [],
    repairs: { countersFixed: 0, referencesDetached: 0, embeddingsQueued: 0, orphanBlobsRemoved: 0, attestationsBackfilled: 0 },
    clean: false,
  };
  for (const tenantId of tenantIds) await checkTenant(db, tenantId, options, report, embedding);

  if (!options.tenantId) {
    // Blobs under no tenant of this database: a purged tenant's, or another environment's when
    // staging and production were pointed at one store. Reported, never deleted by repair: which
    // of the two it is only an operator can tell.
    const known = new Set(allTenants.map((t) => t.id));
    for await (const blob of options.blobs.list('')) {
      const prefix = blob.key.split('/')[0] ?? '';
      if (known.has(prefix)) continue;
      report.orphanBlobs.push({ tenantId: null, key: blob.key, size: blob.size, lastModified: blob.lastModified.toISOString(), removable: false });
    }
  }
  report.clean =
    report.counters.length + report.crossTenantRows.length + report.missingBlobs.length + report.orphanBlobs.length + report.embeddings.length + report.provenance.length === 0;
  return report;
}
