import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Packs a skill folder `<name>/…` as .tar.gz with the system `tar`, as a person would before
 * uploading it. Returns the archive's path.
 */
export function packSkillTarGz(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-e2e-archive-'));
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(dir, name, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  const archive = path.join(dir, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', dir, name]);
  return archive;
}
