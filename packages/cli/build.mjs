// Bundles the command into one file that runs on Node 20+ with nothing installed
// (dist/everyskill.cjs), and packs it as an npm-installable tarball with a bin
// (dist/everyskill.tgz), which the web app serves at /cli/everyskill.tgz.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
mkdirSync(dist, { recursive: true });

const bundle = path.join(dist, 'everyskill.cjs');
await build({
  entryPoints: [path.join(root, 'src/everyskill.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'eof',
  banner: { js: '#!/usr/bin/env node' },
  define: { __EVERYSKILL_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync(bundle, 0o755);

const manifest = {
  name: 'everyskill',
  version,
  description: 'The everyskill command: install your company’s EverySkill skills into any agent',
  bin: { everyskill: 'everyskill.cjs' },
  engines: { node: '>=20' },
  license: 'UNLICENSED',
};
const files = [
  { name: 'package/package.json', bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), mode: 0o644 },
  { name: 'package/everyskill.cjs', bytes: readFileSync(bundle), mode: 0o755 },
];
writeFileSync(path.join(dist, 'everyskill.tgz'), gzipSync(tar(files), { level: 9 }));
console.log(`everyskill ${version}: ${bundle} (${Math.round(readFileSync(bundle).length / 1024)} KiB) and dist/everyskill.tgz`);

/** A ustar archive of regular files, with fixed owner and time so the same input packs to the same bytes. */
function tar(entries) {
  const blocks = [];
  for (const { name, bytes, mode } of entries) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 8, 'ascii');
    header.write('0000000\0', 108, 8, 'ascii');
    header.write('0000000\0', 116, 8, 'ascii');
    header.write(`${bytes.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
    header.write(`${(1_700_000_000).toString(8).padStart(11, '0')}\0`, 136, 12, 'ascii');
    header.write('        ', 148, 8, 'ascii');
    header.write('0', 156, 1, 'ascii');
    header.write('ustar\0', 257, 6, 'ascii');
    header.write('00', 263, 2, 'ascii');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    blocks.push(header, bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
