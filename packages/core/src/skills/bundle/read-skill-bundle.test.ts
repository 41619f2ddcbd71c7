import { createHash } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { DEFAULT_BUNDLE_LIMITS } from './bundle-limits';
import { readSkillBundle, type SkillBundleInput } from './read-skill-bundle';
import { deflatedZeros, gzipMember, rawZip, readCorpusSkills, tarGzOf, tarHeader, type RawZipEntry } from './test-archives';
import { writeTarGz, writeZip } from './write-archive';

const text = (s: string) => new TextEncoder().encode(s);
const SKILL = '---\nname: pdf-tools\ndescription: Fill PDF forms.\n---\n# PDF tools\n';
const MiB = 1024 * 1024;

/** The AppError a read fails with; fails the test if it resolves or throws anything else. */
async function rejection(input: SkillBundleInput, limits = {}): Promise<AppError> {
  try {
    await readSkillBundle(input, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_input');
    return error as AppError;
  }
  throw new Error('expected the bundle to be rejected');
}
const reasonOf = (error: AppError) => (error.details as { reason?: string } | undefined)?.reason;
const zipOf = (entries: RawZipEntry[]): SkillBundleInput => ({ kind: 'zip', bytes: rawZip(entries) });
const stored = (name: string, content: string, extra: Partial<RawZipEntry> = {}): RawZipEntry => ({ name, data: text(content), ...extra });

describe('readSkillBundle: good bundles', () => {
  const corpus = readCorpusSkills().find((s) => s.folder === 'xlsx') ?? readCorpusSkills()[0]!;
  const files = [
    { path: 'SKILL.md', bytes: text(corpus.text) },
    { path: 'scripts/recalc.py', bytes: text('print("hi")\n'), executable: true },
    { path: 'references/guide.md', bytes: text('# Guide\n') },
    { path: 'assets/logo.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) },
  ];

  it.each(['zip', 'tar.gz'] as const)('reads a %s with a single top folder and strips it', async (kind) => {
    const bytes = kind === 'zip' ? writeZip(files, { folder: corpus.folder }) : await writeTarGz(files, { folder: corpus.folder });
    const bundle = await readSkillBundle({ kind, bytes });
    expect(bundle.folderName).toBe(corpus.folder);
    expect(bundle.skillMarkdown).toBe(corpus.text);
    expect(bundle.files.map((f) => [f.path, f.isText, f.executable])).toEqual([
      ['SKILL.md', true, false],
      ['assets/logo.png', false, false],
      ['references/guide.md', true, false],
      ['scripts/recalc.py', true, true],
    ]);
    const recalc = bundle.files.find((f) => f.path === 'scripts/recalc.py')!;
    expect(recalc.size).toBe(12);
    expect(recalc.sha256).toBe(createHash('sha256').update('print("hi")\n').digest('hex'));
    expect(Buffer.from(recalc.bytes).toString()).toBe('print("hi")\n');
    expect(bundle.totalSize).toBe(files.reduce((n, f) => n + f.bytes.byteLength, 0));
    expect(bundle.ignored).toEqual([]);
  });

  it('reads a zip with SKILL.md at the root', async () => {
    const bundle = await readSkillBundle({ kind: 'zip', bytes: writeZip(files) });
    expect(bundle.folderName).toBeNull();
    expect(bundle.files).toHaveLength(4);
  });

  it('hashes content with SHA-256', async () => {
    const bundle = await readSkillBundle({ kind: 'files', files: [{ path: 'SKILL.md', bytes: text('abc') }] });
    expect(bundle.files[0]?.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads loose files from a folder upload', async () => {
    const bundle = await readSkillBundle({ kind: 'files', files: files.map((f) => ({ ...f, path: `pdf-tools/${f.path}` })) });
    expect(bundle.folderName).toBe('pdf-tools');
    expect(bundle.files.map((f) => f.path)).toContain('scripts/recalc.py');
  });

  it('accepts ./ prefixes (tar czf x.tgz .) and directory entries', async () => {
    const bytes = await tarGzOf([
      { name: './', type: 'directory' },
      { name: './SKILL.md', content: SKILL },
      { name: './scripts/', type: 'directory' },
      { name: './scripts/run.sh', content: 'echo\n', mode: 0o755 },
    ]);
    const bundle = await readSkillBundle({ kind: 'tar.gz', bytes });
    expect(bundle.folderName).toBeNull();
    expect(bundle.files.map((f) => [f.path, f.executable])).toEqual([
      ['SKILL.md', false],
      ['scripts/run.sh', true],
    ]);
  });

  it('drops macOS and Windows clutter, and still finds the single top folder', async () => {
    const bundle = await readSkillBundle(
      zipOf([
        stored('pdf-tools/SKILL.md', SKILL),
        stored('pdf-tools/.DS_Store', 'junk'),
        stored('__MACOSX/pdf-tools/._SKILL.md', 'junk'),
        stored('pdf-tools/Thumbs.db', 'junk'),
      ]),
    );
    expect(bundle.folderName).toBe('pdf-tools');
    expect(bundle.files.map((f) => f.path)).toEqual(['SKILL.md']);
    expect(bundle.ignored).toEqual(['__MACOSX/pdf-tools/._SKILL.md', 'pdf-tools/.DS_Store', 'pdf-tools/Thumbs.db']);
  });

  it('normalises names to NFC', async () => {
    const bundle = await readSkillBundle({ kind: 'files', files: [{ path: 'SKILL.md', bytes: text(SKILL) }, { path: 'caf\u0065\u0301.md', bytes: text('x') }] });
    expect(bundle.files.map((f) => f.path)).toContain('caf\u00e9.md');
  });
});

describe('readSkillBundle: refused bundles', () => {
  it('refuses an archive over the compressed limit before reading it', async () => {
    const error = await rejection({ kind: 'zip', bytes: new Uint8Array(2048) }, { maxCompressedBytes: 1024 });
    expect(error.message).toBe('the archive is 2 KiB; the limit is 1 KiB');
    expect(reasonOf(error)).toBe('archive-too-large');
    expect(DEFAULT_BUNDLE_LIMITS.maxCompressedBytes).toBe(10 * MiB);
  });

  it('refuses more files than the limit', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ path: i === 0 ? 'SKILL.md' : `f${i}.md`, bytes: text('x') }));
    const error = await rejection({ kind: 'files', files }, { maxFiles: 3 });
    expect(error.message).toBe('the upload has more than 3 files; a skill may have at most 3');
    expect(DEFAULT_BUNDLE_LIMITS.maxFiles).toBe(1000);
    const zipError = await rejection({ kind: 'zip', bytes: writeZip(files) }, { maxFiles: 1 });
    expect(zipError.message).toContain('the zip archive has 4 entries');
  });

  it('refuses a bundle over the unpacked total', async () => {
    const files = [
      { path: 'SKILL.md', bytes: text(SKILL) },
      { path: 'a.bin', bytes: new Uint8Array(600) },
      { path: 'b.bin', bytes: new Uint8Array(600) },
    ];
    const error = await rejection({ kind: 'tar.gz', bytes: await writeTarGz(files) }, { maxUnpackedBytes: 1000 });
    expect(error.message).toBe('the tar.gz archive unpacks to more than 1000 bytes, the limit for a skill');
    expect(reasonOf(error)).toBe('bundle-too-large');
    expect(DEFAULT_BUNDLE_LIMITS.maxUnpackedBytes).toBe(50 * MiB);
  });

  it('refuses a file over the per-file limit', async () => {
    const error = await rejection({ kind: 'zip', bytes: writeZip([{ path: 'SKILL.md', bytes: new Uint8Array(5000).fill(65) }]) }, { maxFileBytes: 4096 });
    expect(error.message).toBe('file "SKILL.md" unpacks to more than 4 KiB, the limit for one file');
  });

  it.each([
    ['an absolute path', '/etc/passwd', 'is absolute'],
    ['a parent segment', 'skill/../../etc/passwd', "contains '..'"],
    ['a backslash', 'scripts\\run.sh', 'contains a backslash'],
    ['a drive letter', 'C:/Windows/evil.dll', 'starts with a drive letter'],
    ['a control character', 'bad\u0007name.md', 'contains a control character'],
    ['an empty segment', 'scripts//run.sh', 'has an empty segment'],
  ])('refuses %s in a zip, a tar.gz and an upload', async (_what, name, message) => {
    const zip = await rejection(zipOf([stored('SKILL.md', SKILL), stored(name, 'x')]));
    expect(zip.message).toContain(message);
    expect(reasonOf(zip)).toBe('bad-path');
    const tarGz = await rejection({ kind: 'tar.gz', bytes: await tarGzOf([{ name: 'SKILL.md', content: SKILL }, { name, content: 'x' }]) });
    expect(tarGz.message).toContain(message);
    const files = await rejection({ kind: 'files', files: [{ path: 'SKILL.md', bytes: text(SKILL) }, { path: name, bytes: text('x') }] });
    expect(files.message).toContain(message);
  });

  it('refuses a path over the length limit', async () => {
    const error = await rejection({ kind: 'files', files: [{ path: `${'a'.repeat(600)}.md`, bytes: text('x') }] });
    expect(error.message).toContain('the limit is 512');
  });

  it('refuses symlinks in a zip', async () => {
    const error = await rejection(zipOf([stored('SKILL.md', SKILL), stored('secrets', '/etc/shadow', { unixMode: 0o120777 })]));
    expect(error.message).toBe('"secrets" is a symbolic link; a skill may contain only regular files and folders');
    expect(reasonOf(error)).toBe('link');
    const fifo = await rejection(zipOf([stored('SKILL.md', SKILL), stored('pipe', '', { unixMode: 0o010644 })]));
    expect(reasonOf(fifo)).toBe('special-file');
  });

  it.each([
    ['symlink', 'link', 'symbolic link'],
    ['link', 'link', 'hard link'],
    ['character-device', 'special-file', 'character-device entry'],
    ['block-device', 'special-file', 'block-device entry'],
    ['fifo', 'special-file', 'fifo entry'],
  ] as const)('refuses a tar %s', async (type, reason, message) => {
    const bytes = await tarGzOf([{ name: 'SKILL.md', content: SKILL }, { name: 'x', type, linkname: type.includes('link') ? 'SKILL.md' : '' }]);
    const error = await rejection({ kind: 'tar.gz', bytes });
    expect(reasonOf(error)).toBe(reason);
    expect(error.message).toContain(message);
  });

  it('refuses duplicate paths, including ones that differ only in case', async () => {
    const twice = await rejection(zipOf([stored('SKILL.md', SKILL), stored('a.md', '1'), stored('a.md', '2')]));
    expect(twice.message).toBe('path "a.md" appears twice in the zip archive');
    const dotted = await rejection({ kind: 'tar.gz', bytes: await tarGzOf([{ name: 'SKILL.md', content: SKILL }, { name: 'a.md' }, { name: './a.md' }]) });
    expect(reasonOf(dotted)).toBe('duplicate-path');
    const cased = await rejection({ kind: 'files', files: [{ path: 'SKILL.md', bytes: text(SKILL) }, { path: 'skill.md', bytes: text(SKILL) }] });
    expect(cased.message).toBe('paths "SKILL.md" and "skill.md" differ only in letter case; they would overwrite each other on macOS and Windows');
  });

  it('needs SKILL.md at the root or in a single top folder', async () => {
    const none = await rejection({ kind: 'files', files: [{ path: 'README.md', bytes: text('x') }] });
    expect(none.message).toBe('the upload has no SKILL.md; a skill folder must contain one');
    const lower = await rejection({ kind: 'files', files: [{ path: 'tool/skill.md', bytes: text(SKILL) }] });
    expect(lower.message).toBe('found "tool/skill.md", but the file must be named SKILL.md (in capitals)');
    const deep = await rejection({ kind: 'files', files: [{ path: 'a/b/SKILL.md', bytes: text(SKILL) }] });
    expect(deep.message).toBe('SKILL.md must be at the root of the upload or inside a single top folder; found "a/b/SKILL.md"');
    const two = await rejection({ kind: 'files', files: [{ path: 'a/SKILL.md', bytes: text(SKILL) }, { path: 'b/x.md', bytes: text('x') }] });
    expect(two.message).toBe('SKILL.md is in "a", but the upload also has b/; put everything inside that one folder or at the root');
    const empty = await rejection({ kind: 'zip', bytes: writeZip([]) });
    expect(empty.message).toBe('the zip archive contains no files; a skill needs at least a SKILL.md');
  });

  it('needs SKILL.md to be UTF-8 text', async () => {
    const error = await rejection({ kind: 'files', files: [{ path: 'SKILL.md', bytes: new Uint8Array([0xff, 0xfe, 0x00]) }] });
    expect(error.message).toBe('SKILL.md must be UTF-8 text');
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    expect(reasonOf(await rejection(zipOf([stored('SKILL.md', SKILL, { flags: 1 })])))).toBe('encrypted');
    const bzip = rawZip([stored('SKILL.md', SKILL)]);
    // Method field of the local header (offset 8) and of the central record.
    bzip[8] = 12;
    const central = Buffer.from(bzip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bzip[central + 10] = 12;
    expect((await rejection({ kind: 'zip', bytes: bzip })).message).toBe('"SKILL.md" uses compression method 12; only stored and deflate are supported');
  });

  it('refuses damaged data: checksum, declared size, truncation, wrong format', async () => {
    const good = rawZip([stored('SKILL.md', SKILL)]);
    const flipped = good.slice();
    const at = 30 + 'SKILL.md'.length + 5;
    flipped[at] = (flipped[at] ?? 0) ^ 0x20;
    expect((await rejection({ kind: 'zip', bytes: flipped })).message).toBe('the zip archive is damaged: the checksum of "SKILL.md" does not match');
    const deflated = deflateRawSync(Buffer.from(SKILL));
    const short = await rejection(zipOf([{ name: 'SKILL.md', data: deflated, method: 8, uncompressedSize: 10, crc: 0 }]));
    expect(short.message).toBe(`the zip archive is damaged: "SKILL.md" declares 10 bytes but holds ${SKILL.length}`);
    expect((await rejection({ kind: 'zip', bytes: good.slice(0, good.length - 30) })).message).toMatch(/^the zip archive is damaged or not a zip archive: /);
    expect((await rejection({ kind: 'zip', bytes: text('not a zip at all') })).message).toContain('End of central directory record signature not found');
    expect((await rejection({ kind: 'tar.gz', bytes: text('plain text') })).message).toBe('the file is not a gzip-compressed tar archive (.tar.gz or .tgz)');
    const tgz = await tarGzOf([{ name: 'SKILL.md', content: SKILL }]);
    expect((await rejection({ kind: 'tar.gz', bytes: tgz.slice(0, tgz.length - 12) })).message).toMatch(/^the tar.gz archive is damaged or not a tar.gz archive: /);
    const notTar = new Uint8Array(gzipMember({ data: deflateRawSync(Buffer.from('x'.repeat(2000))), crc: 0, size: 2000 }));
    expect(reasonOf(await rejection({ kind: 'tar.gz', bytes: notTar }))).toBe('damaged');
  });
});

describe('readSkillBundle: bombs', () => {
  /** Runs a read while sampling memory held in Buffers; returns the peak growth in MiB. */
  async function peakBufferGrowth(read: () => Promise<unknown>): Promise<{ error: unknown; peakMiB: number; ms: number }> {
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
    const started = performance.now();
    let error: unknown = null;
    try {
      await read();
    } catch (e) {
      error = e;
    }
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    return { error, peakMiB: (peak - base) / MiB, ms: performance.now() - started };
  }

  // 1 GiB of zeros in about 1 MiB of deflate data.
  const gib = deflatedZeros(1024);

  it('refuses an honest zip bomb on its declared size without inflating it', async () => {
    const bytes = rawZip([stored('SKILL.md', SKILL), { name: 'bomb.bin', data: gib.data, method: 8, crc: gib.crc, uncompressedSize: gib.size - 1 }]);
    expect(bytes.byteLength).toBeLessThan(2 * MiB);
    const { error, ms } = await peakBufferGrowth(() => readSkillBundle({ kind: 'zip', bytes }));
    expect(reasonOf(error as AppError)).toBe('file-too-large');
    expect(ms).toBeLessThan(1000);
  });

  it('stops a zip bomb that lies about its size while inflating, with bounded memory', async () => {
    const bytes = rawZip([stored('SKILL.md', SKILL), { name: 'bomb.bin', data: gib.data, method: 8, crc: gib.crc, uncompressedSize: 1000 }]);
    const { error, peakMiB, ms } = await peakBufferGrowth(() => readSkillBundle({ kind: 'zip', bytes }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe('file "bomb.bin" unpacks to more than 10 MiB, the limit for one file');
    // Inflating the whole GiB takes seconds and a GiB; stopping at 10 MiB takes neither.
    expect(ms).toBeLessThan(3000);
    expect(peakMiB).toBeLessThan(64);
  });

  it('stops on the running total while inflating, whatever the file declares', async () => {
    const bytes = rawZip([stored('SKILL.md', SKILL), { name: 'bomb.bin', data: gib.data, method: 8, crc: gib.crc, uncompressedSize: 1 }]);
    const { error, peakMiB, ms } = await peakBufferGrowth(() =>
      readSkillBundle({ kind: 'zip', bytes }, { maxFileBytes: 2 * 1024 * MiB, maxUnpackedBytes: 20 * MiB }),
    );
    expect((error as AppError).message).toBe('the zip archive unpacks to more than 20 MiB, the limit for a skill');
    expect(ms).toBeLessThan(3000);
    expect(peakMiB).toBeLessThan(64);
  });

  it('stops an overlapping-entry bomb (many records, one compressed body)', async () => {
    const four = deflatedZeros(4);
    const entries: RawZipEntry[] = [stored('SKILL.md', SKILL), { name: 'p00.bin', data: four.data, method: 8, crc: four.crc, uncompressedSize: four.size }];
    for (let i = 1; i < 40; i++) entries.push({ name: `p${String(i).padStart(2, '0')}.bin`, data: four.data, shareDataWith: 1 });
    const bytes = rawZip(entries);
    expect(bytes.byteLength).toBeLessThan(64 * 1024);
    const { error, peakMiB } = await peakBufferGrowth(() => readSkillBundle({ kind: 'zip', bytes }));
    expect(reasonOf(error as AppError)).toBe('bundle-too-large');
    expect(peakMiB).toBeLessThan(96);
  });

  it('stops a tar.gz bomb on its declared size', async () => {
    const bomb = gzipMember(deflatedZeros(1024, tarHeader('bomb.bin', gib.size)));
    expect(bomb.byteLength).toBeLessThan(2 * MiB);
    const { error, ms } = await peakBufferGrowth(() => readSkillBundle({ kind: 'tar.gz', bytes: bomb }));
    expect(reasonOf(error as AppError)).toBe('file-too-large');
    expect(ms).toBeLessThan(1000);
  });

  it('stops pax-header bombs, which tar-stream buffers whole, on the stream total', async () => {
    // Up to 4 MiB per header tar-stream buffers; a thousand of them would be 4 GiB of work.
    const record = (n: number) => {
      const body = ` comment=${'x'.repeat(n)}\n`;
      let length = body.length;
      while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
      return `${length}${body}`;
    };
    const pax = record(3 * MiB);
    const tarBytes = Buffer.concat([tarHeader('PaxHeader', pax.length, 'x'), Buffer.from(pax), Buffer.alloc(512 - (pax.length % 512))]);
    const bytes = new Uint8Array(gzipSync(tarBytes));
    const { error, peakMiB } = await peakBufferGrowth(() => readSkillBundle({ kind: 'tar.gz', bytes }, { maxUnpackedBytes: MiB, maxFiles: 2 }));
    expect((error as AppError).message).toBe('the tar.gz archive unpacks to more than 1 MiB, the limit for a skill');
    expect(peakMiB).toBeLessThan(64);

    // Past 4 MiB tar-stream refuses the header itself.
    const huge = gzipMember(deflatedZeros(1024, tarHeader('PaxHeader', gib.size, 'x')));
    const refused = await peakBufferGrowth(() => readSkillBundle({ kind: 'tar.gz', bytes: huge }));
    expect((refused.error as AppError).message).toBe('the tar.gz archive is damaged or not a tar.gz archive: Header exceeds max size');
    expect(refused.peakMiB).toBeLessThan(64);
  });
});
