import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Transaction } from '../src';
import { apiKeys, auditLog, memberships, skillFeedback, skillRatings, skillUsageEvents, skillVersions, skills, tenantDomains, users } from '../src/schema';
import { searchClicks, searchLexemeStats, searchPostings, searchQueries, searchReembedRuns, skillEmbeddings, skillSearchDocuments } from '../src/schema';
import {
  aiReviews,
  benchmarkResults,
  benchmarkRuns,
  reviewDecisions,
  reviewNotifications,
  skillSubmissionRevisions,
  skillSubmissions,
  tenantReviewSettings,
} from '../src/schema';
import { digestDeliveries, digestRuns, notificationPreferences, notifications, skillFollows } from '../src/schema';
import { cliDeviceAuthorizations, provenanceLog, skillVersionSafety, skillVersionWithdrawals, tenantSigningKeys } from '../src/schema';

/**
 * One row per tenant-scoped table, inserted under that tenant's context. The isolation matrix
 * test fails for any table with a tenant_id column that has no fixture here: a new table must
 * add one (in dependency order), so no table escapes the isolation check.
 */
export type Fixture = (tx: Transaction, tenantId: string, refs: Record<string, string>) => Promise<void>;

export const tenantFixtures: [table: string, insert: Fixture][] = [
  [
    'tenant_domains',
    async (tx, tenantId) => {
      await tx.insert(tenantDomains).values({ tenantId, domain: `d${randomUUID().slice(0, 8)}.test`, kind: 'email' });
    },
  ],
  [
    'users',
    async (tx, tenantId, refs) => {
      const [u] = await tx
        .insert(users)
        .values({ tenantId, email: `u-${randomUUID().slice(0, 8)}@example.test` })
        .returning({ id: users.id });
      refs.userId = u!.id;
    },
  ],
  [
    'memberships',
    async (tx, tenantId, refs) => {
      await tx.insert(memberships).values({ tenantId, userId: refs.userId!, role: 'member' });
    },
  ],
  [
    'api_keys',
    async (tx, tenantId, refs) => {
      await tx.insert(apiKeys).values({
        tenantId,
        userId: refs.userId!,
        name: 'fixture key',
        keyHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        displayPrefix: 'rlk_fixture',
        scopes: ['skills:read'],
        expiresAt: new Date(Date.now() + 86_400_000),
      });
    },
  ],
  [
    'audit_log',
    async (tx, tenantId) => {
      await tx.insert(auditLog).values({ tenantId, action: 'test.fixture', details: {} });
    },
  ],
  [
    'skills',
    async (tx, tenantId, refs) => {
      const [s] = await tx
        .insert(skills)
        .values({ tenantId, slug: `fixture-${randomUUID().slice(0, 8)}`, name: 'fixture', description: 'A fixture skill', authorUserId: refs.userId! })
        .returning({ id: skills.id });
      refs.skillId = s!.id;
    },
  ],
  [
    'skill_versions',
    async (tx, tenantId, refs) => {
      const [v] = await tx
        .insert(skillVersions)
        .values({
          tenantId,
          skillId: refs.skillId!,
          version: '1.0.0',
          contentSha256: '0'.repeat(64),
          blobKey: `${tenantId}/${'0'.repeat(64)}`,
          skillMd: '---\nname: fixture\ndescription: A fixture skill\n---\n',
          manifest: { name: 'fixture', description: 'A fixture skill' },
          files: [{ path: 'SKILL.md', size: 50, sha256: '0'.repeat(64), text: true }],
          fileCount: 1,
          sizeBytes: 50,
          blobSizeBytes: 200,
        })
        .returning({ id: skillVersions.id });
      refs.skillVersionId = v!.id;
    },
  ],
  [
    'skill_ratings',
    async (tx, tenantId, refs) => {
      await tx.insert(skillRatings).values({ tenantId, skillId: refs.skillId!, userId: refs.userId!, stars: 4 });
    },
  ],
  [
    'skill_version_safety',
    async (tx, tenantId, refs) => {
      await tx.insert(skillVersionSafety).values({ tenantId, versionId: refs.skillVersionId!, rulesVersion: 'test', verdict: 'clean' });
    },
  ],
  [
    'skill_feedback',
    async (tx, tenantId, refs) => {
      await tx
        .insert(skillFeedback)
        .values({ tenantId, skillId: refs.skillId!, versionId: refs.skillVersionId!, userId: refs.userId!, kind: 'thumbs_up' });
    },
  ],
  [
    'skill_usage_events',
    async (tx, tenantId, refs) => {
      await tx
        .insert(skillUsageEvents)
        .values({ tenantId, skillId: refs.skillId!, versionId: refs.skillVersionId!, kind: 'install', source: 'portal' });
    },
  ],
  [
    // The skills trigger already wrote this skill's document; the fixture rewrites it in place.
    'skill_search_documents',
    async (tx, tenantId, refs) => {
      await tx
        .insert(skillSearchDocuments)
        .values({ tenantId, skillId: refs.skillId!, excerpt: 'fixture' })
        .onConflictDoUpdate({ target: skillSearchDocuments.skillId, set: { excerpt: 'fixture' } });
    },
  ],
  [
    'search_postings',
    async (tx, tenantId, refs) => {
      await tx.insert(searchPostings).values({ tenantId, lexeme: 'fixtur', skillId: refs.skillId!, weight: 1 });
    },
  ],
  [
    'search_lexeme_stats',
    async (tx, tenantId) => {
      await tx.insert(searchLexemeStats).values({ tenantId, lexeme: `fixture-${randomUUID().slice(0, 8)}`, ndoc: 1 });
    },
  ],
  [
    'skill_embeddings',
    async (tx, tenantId, refs) => {
      await tx.insert(skillEmbeddings).values({
        tenantId,
        skillId: refs.skillId!,
        provider: 'builtin',
        model: `fixture-${randomUUID().slice(0, 8)}`,
        dimensions: 3,
        inputSha256: '0'.repeat(64),
        embedding: [0.6, 0.8, 0],
      });
    },
  ],
  [
    'search_reembed_runs',
    async (tx, tenantId) => {
      await tx.insert(searchReembedRuns).values({ tenantId, provider: 'builtin', model: 'fixture', dimensions: 3 });
    },
  ],
  [
    'search_queries',
    async (tx, tenantId, refs) => {
      const [q] = await tx
        .insert(searchQueries)
        .values({ tenantId, query: 'fixture', normalized: 'fixture', resultCount: 1 })
        .returning({ id: searchQueries.id });
      refs.searchQueryId = q!.id;
    },
  ],
  [
    'search_clicks',
    async (tx, tenantId, refs) => {
      await tx.insert(searchClicks).values({ tenantId, queryId: refs.searchQueryId!, skillId: refs.skillId!, position: 1 });
    },
  ],
  // Review workflow, AI review and benchmarks (migration 0006).
  [
    'tenant_review_settings',
    async (tx, tenantId) => {
      await tx.insert(tenantReviewSettings).values({ tenantId, reviewMode: 'approval', autoApproveThreshold: 8 });
    },
  ],
  [
    'skill_submissions',
    async (tx, tenantId, refs) => {
      const [s] = await tx
        .insert(skillSubmissions)
        .values({ tenantId, slug: `fixture-sub-${randomUUID().slice(0, 8)}`, authorUserId: refs.userId! })
        .returning({ id: skillSubmissions.id });
      refs.submissionId = s!.id;
    },
  ],
  [
    'skill_submission_revisions',
    async (tx, tenantId, refs) => {
      const [r] = await tx
        .insert(skillSubmissionRevisions)
        .values({ tenantId, submissionId: refs.submissionId!, revision: 1, skillMd: '---\nname: fixture\n---\n', contentSha256: '0'.repeat(64) })
        .returning({ id: skillSubmissionRevisions.id });
      refs.revisionId = r!.id;
    },
  ],
  [
    'review_decisions',
    async (tx, tenantId, refs) => {
      await tx
        .insert(reviewDecisions)
        .values({ tenantId, submissionId: refs.submissionId!, revisionId: refs.revisionId!, decision: 'submitted', actorUserId: refs.userId! });
    },
  ],
  [
    'review_notifications',
    async (tx, tenantId, refs) => {
      await tx
        .insert(reviewNotifications)
        .values({ tenantId, userId: refs.userId!, submissionId: refs.submissionId!, decision: 'approved', message: 'fixture' });
    },
  ],
  [
    'ai_reviews',
    async (tx, tenantId, refs) => {
      await tx
        .insert(aiReviews)
        .values({ tenantId, skillId: refs.skillId!, versionId: refs.skillVersionId!, model: 'fixture-model', contentSha256: '0'.repeat(64) });
    },
  ],
  [
    'benchmark_runs',
    async (tx, tenantId, refs) => {
      const [run] = await tx
        .insert(benchmarkRuns)
        .values({
          tenantId,
          skillId: refs.skillId!,
          versionId: refs.skillVersionId!,
          models: ['fixture-model'],
          judgeModel: 'fixture-judge',
          tasks: [{ task: 'fixture task', expectedOutcome: 'fixture outcome' }],
          stepsTotal: 2,
        })
        .returning({ id: benchmarkRuns.id });
      refs.benchmarkRunId = run!.id;
    },
  ],
  [
    'benchmark_results',
    async (tx, tenantId, refs) => {
      await tx.insert(benchmarkResults).values({
        tenantId,
        runId: refs.benchmarkRunId!,
        taskIndex: 0,
        model: 'fixture-model',
        withSkill: true,
        answer: 'fixture answer',
        score: 50,
        judgeReasoning: 'fixture',
        inputTokens: 1,
        outputTokens: 1,
        latencyMs: 1,
      });
    },
  ],
  // Digests and notifications (migration 0007).
  [
    'notification_preferences',
    async (tx, tenantId, refs) => {
      await tx.insert(notificationPreferences).values({ tenantId, userId: refs.userId!, digest: 'daily' });
    },
  ],
  [
    'skill_follows',
    async (tx, tenantId, refs) => {
      await tx.insert(skillFollows).values({ tenantId, userId: refs.userId!, skillId: refs.skillId! });
    },
  ],
  [
    'notifications',
    async (tx, tenantId, refs) => {
      await tx
        .insert(notifications)
        .values({ tenantId, userId: refs.userId!, kind: 'skill_updated', title: 'fixture', link: '/skills/fixture', dedupeKey: `fixture:${randomUUID()}` });
    },
  ],
  [
    // digest_runs spans tenants (no tenant_id); each fixture gets a run of its own.
    'digest_deliveries',
    async (tx, tenantId, refs) => {
      const [run] = await tx
        .insert(digestRuns)
        .values({
          kind: 'daily',
          period: `${1000 + Math.floor(Math.random() * 8000)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
          windowStart: new Date(0),
          windowEnd: new Date(86_400_000),
        })
        .onConflictDoNothing()
        .returning({ id: digestRuns.id });
      const runId = run?.id ?? (await tx.select({ id: digestRuns.id }).from(digestRuns).limit(1))[0]!.id;
      await tx.insert(digestDeliveries).values({ tenantId, runId, userId: refs.userId!, email: 'fixture@example.test' });
    },
  ],
  // The everyskill command and withdrawn versions (migration 0013).
  [
    'cli_device_authorizations',
    async (tx, tenantId) => {
      await tx.insert(cliDeviceAuthorizations).values({
        tenantId,
        deviceCodeHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        userCode: 'ABCD-EFGH',
        clientName: 'fixture laptop',
        expiresAt: new Date(Date.now() + 600_000),
      });
    },
  ],
  [
    'skill_version_withdrawals',
    async (tx, tenantId, refs) => {
      await tx
        .insert(skillVersionWithdrawals)
        .values({ tenantId, versionId: refs.skillVersionId!, skillId: refs.skillId!, reason: 'fixture', withdrawnBy: refs.userId! });
    },
  ],
  // Provenance (migration 0014): a signing key and one log entry, not real signatures.
  [
    'tenant_signing_keys',
    async (tx, tenantId) => {
      await tx.insert(tenantSigningKeys).values({
        tenantId,
        keyid: randomUUID().replace(/-/g, '').padEnd(64, 'a'),
        publicKeyPem: '-----BEGIN PUBLIC KEY-----\nfixture\n-----END PUBLIC KEY-----\n',
        privateKeyEncrypted: 'v1.fixture',
        validFrom: new Date(),
      });
    },
  ],
  [
    'provenance_log',
    async (tx, tenantId, refs) => {
      await tx.insert(provenanceLog).values({
        tenantId,
        seq: 1,
        kind: 'attestation',
        skillId: refs.skillId!,
        versionId: refs.skillVersionId!,
        reason: 'published',
        keyid: 'a'.repeat(64),
        envelope: { payloadType: 'application/vnd.in-toto+json', payload: '', signatures: [] },
        envelopeSha256: 'b'.repeat(64),
        prevHash: '0'.repeat(64),
        entryHash: 'c'.repeat(64),
      });
    },
  ],
];

/** Tables every request may read regardless of tenant (lookups before a tenant is known). */
export const globallyReadable = new Set(['tenant_domains']);

/** Append-only tables: no UPDATE for anyone (the trigger refuses it). */
export const appendOnly = new Set([
  'audit_log',
  'skill_versions',
  'skill_usage_events',
  'search_queries',
  'search_clicks',
  'skill_submission_revisions',
  'review_decisions',
  'benchmark_results',
  'provenance_log',
  // Not deletable by the app role, and the trigger allows no UPDATE but retiring a key once.
  'tenant_signing_keys',
]);

export const tenantIdColumnQuery = sql`
  SELECT c.table_name AS table_name
  FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
  WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
  ORDER BY c.table_name`;
