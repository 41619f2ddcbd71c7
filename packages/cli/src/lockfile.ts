import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AGENT_NAMES, type AgentName, type Scope } from './agents';
import { CliError, EXIT } from './cli-error';
import { configDir } from './config-store';

export const LOCKFILE_NAME = 'everyskill-lock.json';

const sha256Hex = /^[0-9a-f]{64}$/;
const skillName = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const lockEntry = z.object({
  version: z.string().min(1),
  /** SHA-256 over the skill's sorted `path\0mode\0sha256\n` lines, as the server computes it. */
  digest: z.string().regex(sha256Hex, { message: 'digest must be 64 hex characters' }),
  /** The server the skill comes from (its origin). */
  registry: z.string().url(),
  agents: z.array(z.enum(AGENT_NAMES as [AgentName, ...AgentName[]])).min(1),
  /**
   * SHA-256 of the canonical JSON of the version's attestation (DSSE envelope) verified at install,
   * as the workspace's provenance log records it; a restore fetches and verifies that very one.
   * Null in a lockfile written before versions were signed: the next install fills it in.
   */
  attestation: z.string().regex(sha256Hex, { message: 'attestation must be 64 hex characters' }).nullable().default(null),
});
export type LockEntry = z.infer<typeof lockEntry>;

const lockfileSchema = z.object({
  lockfileVersion: z.literal(1),
  skills: z.record(z.string().regex(skillName, { message: 'skill names are lowercase letters, digits and hyphens' }), lockEntry),
});
export type Lockfile = z.infer<typeof lockfileSchema>;

/** The project's everyskill-lock.json, or for `--global` the one in the config folder. */
export function lockfilePath(scope: Scope): string {
  return scope.global ? path.join(configDir(), 'global-lock.json') : path.join(scope.projectDir, LOCKFILE_NAME);
}

/** The lockfile, or an empty one when there is none; a file that does not parse is refused (exit 7), naming the problem. */
export function readLockfile(file: string, options: { required?: boolean } = {}): Lockfile {
  if (!existsSync(file)) {
    if (options.required) throw new CliError('no_lockfile', `${file} does not exist; add a skill first (everyskill add <name>)`, EXIT.lockfile);
    return { lockfileVersion: 1, skills: {} };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('lockfile_invalid', `${file} is not valid JSON (${(error as Error).message}); fix it or restore it from version control`, EXIT.lockfile);
  }
  const parsed = lockfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError('lockfile_invalid', `${file} is not a valid lockfile: ${issue.path.join('.') || 'file'}: ${issue.message}`, EXIT.lockfile);
  }
  return parsed.data;
}

/** The lockfile as written: skills sorted by name, keys in a fixed order, agents sorted, two-space JSON and a final newline. */
export function formatLockfile(lock: Lockfile): string {
  const skills: Record<string, LockEntry> = {};
  for (const name of Object.keys(lock.skills).sort()) {
    const e = lock.skills[name]!;
    skills[name] = { version: e.version, digest: e.digest, registry: e.registry, agents: [...new Set(e.agents)].sort(), attestation: e.attestation ?? null };
  }
  return `${JSON.stringify({ lockfileVersion: 1, skills }, null, 2)}\n`;
}

/** Writes the lockfile in one rename, so a reader never sees half of it. */
export function writeLockfile(file: string, lock: Lockfile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, formatLockfile(lock));
  renameSync(staged, file);
}
