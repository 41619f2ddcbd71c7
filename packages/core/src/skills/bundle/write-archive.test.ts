import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { readSkillBundle } from './read-skill-bundle';
import { writeTarGz, writeZip, type ArchiveFile } from './write-archive';

const text = (s: string) => new TextEncoder().encode(s);
const files: ArchiveFile[] = [
  { path: 'SKILL.md', bytes: text('---\nname: pdf-tools\ndescription: Fill PDF forms.\n---\n') },
  { path: 'scripts/fill.py', bytes: text('print(1)\n'), executable: true },
  { path: 'assets/blank.pdf', bytes: new Uint8Array(3000).map((_, i) => (i * 7919) % 256) },
  { path: '10.md', bytes: text('ten') },
  { path: '9.md', bytes: text('nine') },
];
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function tarHeaders(gz: Uint8Array) {
  const extract = tar.extract();
  extract.end(gunzipSync(gz));
  const headers: { name: string; mode: number; mtime: number; uid: number; uname: string }[] = [];
  for await (const entry of extract) {
    const h = entry.header;
    headers.push({ name: h.name, mode: h.mode, mtime: h.mtime.getTime(), uid: h.uid, uname: h.uname });
    entry.resume();
  }
  return headers;
}

describe('writeZip', () => {
  it('is deterministic whatever the input order', () => {
    const a = writeZip(files, { folder: 'pdf-tools' });
    const b = writeZip([...files].reverse(), { folder: 'pdf-tools' });
    expect(sha(a)).toBe(sha(b));
  });

  it('sorts entries by path, wraps them in the folder and fixes the time', () => {
    const zip = writeZip(files, { folder: 'pdf-tools' });
    // A second, independent reader.
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(
      ['pdf-tools/10.md', 'pdf-tools/9.md', 'pdf-tools/SKILL.md', 'pdf-tools/assets/blank.pdf', 'pdf-tools/scripts/fill.py'].sort(),
    );
    // Local headers in sorted order, each dated 1980-01-01 00:00 (DOS date 0x0021, time 0).
    const view = Buffer.from(zip);
    const names: string[] = [];
    for (let at = view.indexOf('PK\x03\x04', 0, 'latin1'); at !== -1; at = view.indexOf('PK\x03\x04', at + 4, 'latin1')) {
      expect(view.readUInt16LE(at + 10)).toBe(0);
      expect(view.readUInt16LE(at + 12)).toBe(0x21);
      names.push(view.subarray(at + 30, at + 30 + view.readUInt16LE(at + 26)).toString());
    }
    expect(names).toEqual(['pdf-tools/10.md', 'pdf-tools/9.md', 'pdf-tools/SKILL.md', 'pdf-tools/assets/blank.pdf', 'pdf-tools/scripts/fill.py']);
  });

  it('round-trips through readSkillBundle with modes kept', async () => {
    const bundle = await readSkillBundle({ kind: 'zip', bytes: writeZip(files, { folder: 'pdf-tools' }) });
    expect(bundle.folderName).toBe('pdf-tools');
    for (const file of files) {
      const read = bundle.files.find((f) => f.path === file.path);
      expect(read?.sha256).toBe(sha(file.bytes));
      expect(read?.executable).toBe(file.executable ?? false);
    }
  });

  it('writes an empty archive', () => {
    expect(Object.keys(unzipSync(writeZip([])))).toEqual([]);
  });
});

describe('writeTarGz', () => {
  it('is deterministic whatever the input order', async () => {
    expect(sha(await writeTarGz(files))).toBe(sha(await writeTarGz([...files].reverse())));
  });

  it('sorts entries, zeroes times and owners, and keeps the execute bit', async () => {
    const headers = await tarHeaders(await writeTarGz(files, { folder: 'pdf-tools' }));
    expect(headers.map((h) => h.name)).toEqual(['pdf-tools/10.md', 'pdf-tools/9.md', 'pdf-tools/SKILL.md', 'pdf-tools/assets/blank.pdf', 'pdf-tools/scripts/fill.py']);
    expect(new Set(headers.map((h) => `${h.mtime}/${h.uid}/${h.uname}`))).toEqual(new Set(['0/0/']));
    expect(headers.map((h) => h.mode)).toEqual([0o644, 0o644, 0o644, 0o644, 0o755]);
  });

  it('writes paths longer than 100 characters', async () => {
    const long = `references/${'deep/'.repeat(30)}notes.md`;
    const bundle = await readSkillBundle({ kind: 'tar.gz', bytes: await writeTarGz([...files, { path: long, bytes: text('x') }]) });
    expect(bundle.files.map((f) => f.path)).toContain(long);
  });

  it('round-trips through readSkillBundle', async () => {
    const bundle = await readSkillBundle({ kind: 'tar.gz', bytes: await writeTarGz(files) });
    expect(bundle.folderName).toBeNull();
    expect(bundle.files.map((f) => [f.path, f.sha256])).toEqual([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => [f.path, sha(f.bytes)]));
  });
});
