import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from './cli-error';

/** One version's files as the server sends them (`GET /api/v1/skills/{name}@{version}/files`). */
export interface SkillFiles {
  name: string;
  version: string;
  contentSha256: string;
  files: { path: string; sha256: string; size: number; executable: boolean; contentBase64: string }[];
}

export interface VerifiedFile {
  path: string;
  bytes: Buffer;
  executable: boolean;
}

/** SHA-256 over the sorted `path\0mode\0sha256\n` lines: the server's content digest of a version. */
export function contentDigest(files: readonly { path: string; sha256: string; executable: boolean }[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path}\0${f.executable ? '755' : '644'}\0${f.sha256}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** A relative path that stays inside the skill folder: no absolute path, drive, `..`, backslash or control character. */
export function isSafeRelativePath(p: string): boolean {
  if (!p || p.length > 1024 || p.startsWith('/') || p.includes('\\') || /^[a-zA-Z]:/.test(p)) return false;
  if (/[\u0000-\u001f]/.test(p)) return false;
  return p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Checks every file against the server's manifest before anything is written: its path, its
 * SHA-256 and size, the version's content digest over all of them (which covers modes), and the
 * digest the lockfile expects. Any difference is an integrity error naming the skill.
 */
export function verifySkillFiles(skill: SkillFiles, expected: { name: string; version?: string; digest?: string }): VerifiedFile[] {
  const fail = (why: string) =>
    new CliError('integrity', `${expected.name}@${skill.version}: ${why}; nothing was written (tampering, or the registry changed)`, EXIT.integrity);
  if (skill.name !== expected.name) throw fail(`the server sent '${skill.name}'`);
  if (expected.version && skill.version !== expected.version) throw fail(`the server sent version ${skill.version}, not ${expected.version}`);
  const seen = new Set<string>();
  const verified = skill.files.map((f) => {
    if (!isSafeRelativePath(f.path)) throw fail(`the file path '${f.path}' would escape the skill folder`);
    if (seen.has(f.path.toLowerCase())) throw fail(`the file '${f.path}' is listed twice`);
    seen.add(f.path.toLowerCase());
    const bytes = Buffer.from(f.contentBase64, 'base64');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== f.sha256 || bytes.length !== f.size) throw fail(`${f.path} does not match its SHA-256 in the manifest`);
    return { path: f.path, bytes, executable: f.executable };
  });
  if (!seen.has('skill.md')) throw fail('it has no SKILL.md');
  if (contentDigest(skill.files) !== skill.contentSha256) throw fail('its files do not add up to its content digest');
  if (expected.digest && skill.contentSha256 !== expected.digest) {
    throw fail(`its digest ${skill.contentSha256.slice(0, 12)}… differs from the lockfile's ${expected.digest.slice(0, 12)}…`);
  }
  return verified;
}

/**
 * Writes a verified skill into `<skillsFolder>/<name>/` atomically: the files go to a staging
 * folder beside it, which then replaces the old folder by rename; on any failure the staging
 * folder is removed and the old folder stays. Modes: 0755 for executables, 0644 otherwise.
 */
export function writeSkillFolder(skillsFolder: string, name: string, files: readonly VerifiedFile[]): string {
  const target = path.join(skillsFolder, name);
  const root = path.resolve(skillsFolder);
  if (path.dirname(path.resolve(target)) !== root) throw new CliError('usage', `'${name}' is not a valid skill folder name`, EXIT.usage);
  mkdirSync(skillsFolder, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  const staging = path.join(skillsFolder, `.everyskill-staging-${name}-${tag}`);
  const old = path.join(skillsFolder, `.everyskill-old-${name}-${tag}`);
  try {
    mkdirSync(staging);
    for (const file of files) {
      const destination = path.resolve(staging, file.path);
      if (!destination.startsWith(`${path.resolve(staging)}${path.sep}`)) throw new CliError('integrity', `${name}: '${file.path}' escapes the folder`, EXIT.integrity);
      mkdirSync(path.dirname(destination), { recursive: true });
      const mode = file.executable ? 0o755 : 0o644;
      writeFileSync(destination, file.bytes, { mode, flag: 'wx' });
      chmodSync(destination, mode);
    }
    const hadOld = existsSync(target) || isSymlink(target);
    if (hadOld) renameSync(target, old);
    try {
      renameSync(staging, target);
    } catch (error) {
      if (hadOld) renameSync(old, target);
      throw error;
    }
    if (hadOld) rmSync(old, { recursive: true, force: true });
    return target;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Removes `<skillsFolder>/<name>/` if it is there; true when something was removed. */
export function removeSkillFolder(skillsFolder: string, name: string): boolean {
  const target = path.join(skillsFolder, name);
  if (!existsSync(target) && !isSymlink(target)) return false;
  rmSync(target, { recursive: true, force: true });
  return true;
}
