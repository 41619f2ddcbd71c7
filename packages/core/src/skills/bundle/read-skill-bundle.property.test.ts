// Property tests: whatever bytes arrive as an upload, readSkillBundle returns a bundle or an
// AppError('invalid_input'); nothing else escapes. Inputs are valid archives, mutated.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { resolveBundleLimits } from './bundle-limits';
import { readSkillBundle, type SkillBundleInput } from './read-skill-bundle';
import { rawZip, readCorpusSkills, tarOf } from './test-archives';
import { writeTarGz, writeZip, type ArchiveFile } from './write-archive';

const limits = resolveBundleLimits({ maxFiles: 50, maxUnpackedBytes: 4 * 1024 * 1024, maxFileBytes: 1024 * 1024 });
let archivesChecked = 0;
const outcomes = { accepted: 0, rejected: 0 };

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'copy'; from: number; to: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('word' as const),
      at: fc.nat(),
      value: fc.oneof(fc.constantFrom(0, 1, 0xffff, 0xffffffff, 0x7fffffff, 0x80000000, 1e9), fc.nat()),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), from: fc.nat(), to: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }) },
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.byteLength;
  if (n === 0) return bytes;
  const out = Buffer.from(bytes);
  switch (m.kind) {
    case 'flip':
      out[m.at % n] = (out[m.at % n] ?? 0) ^ (1 << m.bit);
      return out;
    case 'set':
      out[m.at % n] = m.value;
      return out;
    case 'word': {
      const at = m.at % Math.max(1, n - 4);
      if (n >= 4) out.writeUInt32LE(m.value >>> 0, at);
      return out;
    }
    case 'truncate':
      return out.subarray(0, m.at % n);
    case 'insert': {
      const at = m.at % n;
      return Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
    }
    case 'delete': {
      const at = m.at % n;
      return Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
    }
    case 'copy': {
      const from = m.from % n;
      const chunk = Buffer.from(out.subarray(from, from + m.length));
      chunk.copy(out, m.to % n);
      return out;
    }
  }
}

/** Reads one input; passes on a bundle or an AppError('invalid_input'), throws on anything else. */
async function checkArchive(input: SkillBundleInput): Promise<void> {
  archivesChecked++;
  try {
    const bundle = await readSkillBundle(input, limits);
    outcomes.accepted++;
    if (!bundle.files.some((f) => f.path === 'SKILL.md')) throw new Error('bundle without SKILL.md');
    if (bundle.files.length > limits.maxFiles || bundle.totalSize > limits.maxUnpackedBytes) throw new Error('bundle over the limits');
    for (const file of bundle.files) {
      if (file.size > limits.maxFileBytes || file.size !== file.bytes.byteLength) throw new Error(`bad size for ${file.path}`);
      if (file.path.startsWith('/') || file.path.split('/').includes('..') || file.path.includes('\\')) throw new Error(`unsafe path ${file.path}`);
      if (createHash('sha256').update(file.bytes).digest('hex') !== file.sha256) throw new Error(`bad hash for ${file.path}`);
    }
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_input' && error.message.length > 10) {
      outcomes.rejected++;
      return;
    }
    throw error;
  }
}

const text = (s: string) => new TextEncoder().encode(s);
let bases: { zipDeflated: Uint8Array; zipStored: Uint8Array; tarGz: Uint8Array; tar: Uint8Array };

beforeAll(async () => {
  const skill = readCorpusSkills().find((s) => s.folder === 'pdf') ?? readCorpusSkills()[0]!;
  const files: ArchiveFile[] = [
    { path: 'SKILL.md', bytes: text(skill.text.slice(0, 3000)) },
    { path: 'scripts/run.sh', bytes: text('#!/bin/sh\necho run\n'), executable: true },
    { path: 'references/notes.md', bytes: text('# Notes\n'.repeat(20)) },
  ];
  bases = {
    zipDeflated: writeZip(files, { folder: skill.folder }),
    zipStored: rawZip(files.map((f) => ({ name: `${skill.folder}/${f.path}`, data: f.bytes }))),
    tarGz: await writeTarGz(files, { folder: skill.folder }),
    tar: await tarOf(files.map((f) => ({ name: `${skill.folder}/${f.path}`, content: f.bytes }))),
  };
  // The bases themselves are valid.
  for (const bytes of [bases.zipDeflated, bases.zipStored]) expect((await readSkillBundle({ kind: 'zip', bytes })).folderName).toBe(skill.folder);
  expect((await readSkillBundle({ kind: 'tar.gz', bytes: bases.tarGz })).files).toHaveLength(3);
});

afterAll(() => {
  // Printed so a run's report can say how many archives were checked.
  console.info(`bundle property tests checked ${archivesChecked} archives (${outcomes.accepted} accepted, ${outcomes.rejected} rejected)`);
});

describe('readSkillBundle properties', () => {
  it('returns a bundle or an AppError for 6 000 mutated zips', async () => {
    const before = archivesChecked;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (deflated, mutations) => {
        const bytes = mutations.reduce(mutate, deflated ? bases.zipDeflated : bases.zipStored);
        await checkArchive({ kind: 'zip', bytes });
      }),
      { numRuns: 6_000 },
    );
    expect(archivesChecked - before).toBe(6_000);
  });

  it('returns a bundle or an AppError for 6 000 mutated tar.gz (gzip bytes, or tar bytes then gzipped)', async () => {
    const before = archivesChecked;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutateTar, mutations) => {
        const bytes = mutateTar ? new Uint8Array(gzipSync(mutations.reduce(mutate, bases.tar))) : mutations.reduce(mutate, bases.tarGz);
        await checkArchive({ kind: 'tar.gz', bytes });
      }),
      { numRuns: 6_000 },
    );
    expect(archivesChecked - before).toBe(6_000);
  });

  it('returns a bundle or an AppError for 1 000 generated uploads of loose files', async () => {
    const before = archivesChecked;
    const path = fc.oneof(
      fc.constantFrom('SKILL.md', 'a/SKILL.md', 'skill.md', '../x', '/abs', 'C:/x', 'a\\b', 'a//b', './SKILL.md', '__MACOSX/x', 'a/.DS_Store', ''),
      fc.string({ maxLength: 40 }),
      fc.array(fc.stringMatching(/^[a-zA-Z0-9._-]{1,8}$/), { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ path, bytes: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 8 }), async (files) => {
        await checkArchive({ kind: 'files', files });
      }),
      { numRuns: 1_000 },
    );
    expect(archivesChecked - before).toBe(1_000);
  });
});
