/**
 * bench:provenance — what signing adds to a publish. Imports the public skills corpus through the
 * real publishSkill (which signs each version in its transaction) on a fresh database (embedded
 * PGlite, or PostgreSQL when DATABASE_URL and DATABASE_OWNER_URL are set), then times, for every
 * imported version, exactly what the publish path adds: attestSkillVersion inside a transaction
 * (key lock and the version's facts in one call, key decryption, the Ed25519 signature, the log append). Prints
 * JSON and writes bench/results/provenance.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { attestSkillVersion } from '@everyskill/core/provenance/attest-skill-version';
import { publishSkill } from '@everyskill/core/skills/publish-skill';
import type { SkillBlobStore, SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { generateSigningKey, signSkillAttestation, skillSubjects, type SkillVersionPredicate } from '@everyskill/provenance';
import { memberships, migrate, openDatabase, sql, tenants, users, withTenant } from '@everyskill/db';
import { REPO_ROOT, loadCorpus } from '../search/corpus';

class MemoryBlobs implements SkillBlobStore {
  readonly blobs = new Map<string, Uint8Array>();
  async put(key: string, bytes: Uint8Array) {
    const created = !this.blobs.has(key);
    if (created) this.blobs.set(key, bytes);
    return { key, created };
  }
  async get(key: string) {
    const bytes = this.blobs.get(key);
    return bytes ? Readable.from([Buffer.from(bytes)]) : null;
  }
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { n: sorted.length, median: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

async function main() {
  const corpus = loadCorpus();
  const url = process.env.DATABASE_URL;
  const owner = await openDatabase(url ? { url: process.env.DATABASE_OWNER_URL ?? url, poolMax: 2 } : { pgliteDir: 'memory://' });
  const app = url ? await openDatabase({ url, poolMax: 4 }) : owner;
  try {
    await migrate(owner);
    const slug = `bench-provenance-${Date.now().toString(36)}`;
    const [tenant] = await owner.db.insert(tenants).values({ slug, name: 'Bench provenance' }).returning();
    const tenantId = tenant!.id;
    const userId = await withTenant(app.db, tenantId, async (tx) => {
      const [user] = await tx.insert(users).values({ tenantId, email: `author@${slug}.test`, name: 'Author' }).returning();
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role: 'admin' });
      return user!.id;
    });
    const ctx: SkillsCtx = { tenantId, db: app.db, blobs: new MemoryBlobs(), actor: { kind: 'user', userId, email: `author@${slug}.test`, role: 'admin' } };

    // 1. The corpus import: every publish signs its version (the first one also makes the key).
    const publishMs: number[] = [];
    const versionIds: string[] = [];
    let refused = 0;
    for (const skill of corpus) {
      const started = performance.now();
      try {
        const result = await publishSkill(ctx, { source: { kind: 'skill-md', skillMd: skill.skillMd } });
        publishMs.push(performance.now() - started);
        if (result.created) versionIds.push(result.version.id);
      } catch {
        refused++; // e.g. a corpus skill that carries something secretlint refuses
      }
    }

    // 2. What the publish path adds, timed inside a transaction as publishSkill runs it.
    // A one-statement round trip in the same transaction says how loaded the machine and database
    // are; the process's CPU time says what signing costs this process whatever the load.
    const signingMs: number[] = [];
    const signingCpuMs: number[] = [];
    const roundTripMs: number[] = [];
    for (const versionId of versionIds) {
      await withTenant(app.db, tenantId, async (tx) => {
        const before = performance.now();
        await tx.execute(sql`SELECT 1`);
        const started = performance.now();
        const cpu = process.cpuUsage();
        await attestSkillVersion(tx, tenantId, versionId, 'override');
        const used = process.cpuUsage(cpu);
        signingMs.push(performance.now() - started);
        signingCpuMs.push((used.user + used.system) / 1000);
        roundTripMs.push(started - before);
      });
    }

    // 3. The cryptography alone: one Ed25519 signature over a statement of typical size.
    const key = generateSigningKey();
    const predicate = { tenant: { id: tenantId, slug, name: 'Bench' }, attestedAt: new Date().toISOString() } as unknown as SkillVersionPredicate;
    const subject = skillSubjects({ skill: 'x', version: '1.0.0', bundleSha256: '0'.repeat(64), files: [{ path: 'SKILL.md', sha256: '1'.repeat(64) }] });
    const signOnlyMs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const started = performance.now();
      signSkillAttestation(subject, predicate, key.privateKey, key.keyid);
      signOnlyMs.push(performance.now() - started);
    }

    const result = {
      bench: 'provenance',
      database: url ? 'postgres' : 'pglite',
      corpus: { skills: corpus.length, published: publishMs.length, newVersions: versionIds.length, refused },
      publishMs: stats(publishMs),
      signingAddsMs: stats(signingMs),
      signingAddsCpuMs: stats(signingCpuMs),
      // Signing is two statements (the key lock with the facts and the log's head in one function call, the log insert) plus the signature.
      oneStatementRoundTripMs: stats(roundTripMs),
      loadAverage: (await import('node:os')).loadavg().map((n) => Math.round(n * 100) / 100),
      ed25519SignOnlyMs: stats(signOnlyMs),
      budgetMs: 5,
      withinBudget: stats(signingMs).median <= 5,
      node: process.version,
      measuredAt: new Date().toISOString(),
    };
    const out = path.join(REPO_ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'provenance.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (app !== owner) await app.close();
    await owner.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
