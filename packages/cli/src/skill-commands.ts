import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as clack from '@clack/prompts';
import pc from 'picocolors';
import { parseAgents, skillsFoldersOf, type AgentName, type Scope } from './agents';
import type { ApiClient } from './api-client';
import { CliError, EXIT, usageError } from './cli-error';
import { lockfilePath, readLockfile, writeLockfile, type LockEntry, type Lockfile } from './lockfile';
import type { Output } from './output';
import { ProvenanceVerifier, type VerifiedProvenance } from './provenance-check';
import { clientFor, type GlobalOptions } from './session';
import { removeSkillFolder, verifySkillFiles, writeSkillFolder, type SkillFiles, type VerifiedFile } from './skill-files';

export interface SkillOptions extends GlobalOptions {
  agent?: string[];
}

interface Resolved {
  name: string;
  status: 'ok' | 'outdated' | 'deprecated' | 'withdrawn' | 'blocked' | 'not_found';
  version: string | null;
  digest: string | null;
  latestVersion: string | null;
  latestDigest: string | null;
  digestMatches: boolean | null;
  message: string | null;
  deprecation: { message: string; replacement: string | null } | null;
  withdrawn: { version: string; reason: string; at: string } | null;
}

const scopeOf = (options: GlobalOptions): Scope => ({ global: Boolean(options.global), projectDir: path.resolve(options.dir ?? process.cwd()) });

function agentsOf(options: SkillOptions): AgentName[] {
  try {
    return parseAgents(options.agent);
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** `name` or `name@version`, checked before anything is asked of the server. */
export function parseSkillArg(arg: string): { name: string; version?: string } {
  const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:@([0-9A-Za-z.+-]+))?$/.exec(arg.trim());
  if (!match) throw usageError(`'${arg}' is not a skill name; names are lowercase letters, digits and hyphens, optionally @version`);
  return { name: match[1]!, ...(match[2] ? { version: match[2] } : {}) };
}

/**
 * Fetches one version's files and verifies them against their manifest, the lockfile's digest, and
 * the version's attestation signed by the workspace's pinned key (nothing is written here).
 */
async function fetchVerified(
  api: ApiClient,
  verifier: ProvenanceVerifier,
  expected: { name: string; version?: string; digest?: string; attestation?: string | null },
): Promise<{ skill: SkillFiles; files: VerifiedFile[]; provenance: VerifiedProvenance }> {
  const ref = expected.version ? `${expected.name}@${expected.version}` : expected.name;
  const skill = await api.get<SkillFiles>(`/skills/${encodeURIComponent(ref)}/files`, { 'idempotency-key': randomUUID() }).catch((error: unknown) => {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) {
      throw new CliError(error.code, `${ref}: ${error.message}`, EXIT.notFound);
    }
    if (error instanceof CliError && error.exitCode === EXIT.refused) throw new CliError(error.code, error.message, EXIT.refused);
    throw error;
  });
  const files = verifySkillFiles(skill, expected);
  return { skill, files, provenance: await verifier.verify(api, skill, files, expected.attestation ?? null) };
}

/** Writes verified skills to every agent's folder, then the lockfile: the files first, so a lockfile never names what is not there. */
interface WriteItem {
  skill: SkillFiles;
  files: VerifiedFile[];
  agents: AgentName[];
  registry: string;
  attestation: string | null;
}

interface LockAnswer {
  name: string;
  entry: LockEntry;
  resolved: Resolved;
  api: ApiClient;
}

function writeAll(scope: Scope, lock: Lockfile, lockPath: string, items: WriteItem[]) {
  for (const item of items) {
    for (const folder of skillsFoldersOf(item.agents, scope)) writeSkillFolder(folder, item.skill.name, item.files);
    lock.skills[item.skill.name] = {
      version: item.skill.version,
      digest: item.skill.contentSha256,
      registry: item.registry,
      agents: item.agents,
      attestation: item.attestation,
    };
  }
  writeLockfile(lockPath, lock);
}

/** "signed by Acme, published by ada@acme.com, scanned clean, reviewed by grace@acme.com": what the attestation states. */
function signedByLine({ statement }: VerifiedProvenance): string {
  const p = statement.predicate;
  return [
    `signed by ${p.tenant.name}`,
    `published by ${p.publisher?.email ?? 'a former member'}`,
    p.safety ? `scanned ${p.safety.verdict}${p.safety.override ? ' (released by an admin)' : ''}` : 'not scanned',
    ...(p.review ? [`reviewed by ${p.review.reviewer?.email ?? 'the workspace'}`] : []),
  ].join(', ');
}

function spinner(out: Output, message: string) {
  if (out.json || !process.stderr.isTTY) return { stop: (_m?: string) => undefined };
  const s = clack.spinner({ output: process.stderr });
  s.start(message);
  return { stop: (m?: string) => s.stop(m ?? message) };
}

/** `everyskill add <name>[@version]…`: installs skills for the chosen agents and records them in the lockfile. */
export async function add(names: string[], options: SkillOptions, out: Output): Promise<void> {
  const refs = names.map(parseSkillArg);
  const scope = scopeOf(options);
  const lockPath = lockfilePath(scope);
  const lock = readLockfile(lockPath);
  const api = clientFor(options);
  const spin = spinner(out, `Fetching ${refs.map((r) => r.name).join(', ')}`);
  const verifier = new ProvenanceVerifier(out);
  const items: (WriteItem & { signedBy: string })[] = [];
  for (const ref of refs) {
    const { skill, files, provenance } = await fetchVerified(api, verifier, ref);
    const previous = lock.skills[ref.name]?.agents ?? [];
    const chosen = agentsOf(options);
    const agents = [...new Set([...previous, ...(chosen.length ? chosen : previous.length ? [] : (['universal'] as AgentName[]))])].sort();
    items.push({ skill, files, agents, registry: api.origin, attestation: provenance.digest, signedBy: signedByLine(provenance) });
  }
  writeAll(scope, lock, lockPath, items);
  spin.stop('Installed');
  out.result(
    {
      lockfile: lockPath,
      added: items.map((i) => ({
        name: i.skill.name,
        version: i.skill.version,
        digest: i.skill.contentSha256,
        attestation: i.attestation,
        agents: i.agents,
        folders: skillsFoldersOf(i.agents, scope),
      })),
    },
    () =>
      items.flatMap((i) => [
        `${pc.green('+')} ${i.skill.name}@${i.skill.version} for ${i.agents.join(', ')} → ${skillsFoldersOf(i.agents, scope).map((f) => path.relative(process.cwd(), f) || '.').join(', ')}`,
        pc.dim(`  ${i.signedBy}`),
      ]),
  );
}

/** `everyskill remove <name>`: deletes its folders for the agents the lockfile names, and its entry. */
export async function remove(name: string, options: SkillOptions & { yes?: boolean }, out: Output): Promise<void> {
  const { name: skill } = parseSkillArg(name);
  const scope = scopeOf(options);
  const lockPath = lockfilePath(scope);
  const lock = readLockfile(lockPath);
  const entry = lock.skills[skill];
  if (!entry) throw new CliError('not_installed', `${skill} is not in ${lockPath}`, EXIT.notFound);
  if (!options.yes && !out.json && process.stdin.isTTY && process.stderr.isTTY) {
    const sure = await clack.confirm({ message: `Remove ${skill} from ${entry.agents.join(', ')}?`, output: process.stderr });
    if (clack.isCancel(sure) || !sure) throw new CliError('cancelled', 'nothing removed', EXIT.failure);
  }
  const removed = skillsFoldersOf(entry.agents, scope).filter((folder) => removeSkillFolder(folder, skill));
  delete lock.skills[skill];
  writeLockfile(lockPath, lock);
  out.result({ removed: skill, folders: removed }, () => [`${pc.red('-')} ${skill} (${entry.agents.join(', ')})`]);
}

/** `everyskill list`: what the lockfile holds, and whether each folder is on disk. */
export async function list(options: SkillOptions, out: Output): Promise<void> {
  const scope = scopeOf(options);
  const lockPath = lockfilePath(scope);
  const lock = readLockfile(lockPath);
  const rows = Object.entries(lock.skills).map(([name, e]) => ({
    name,
    ...e,
    missing: skillsFoldersOf(e.agents, scope).filter((folder) => !existsSync(path.join(folder, name, 'SKILL.md'))),
  }));
  out.result({ lockfile: lockPath, skills: rows }, () =>
    rows.length === 0
      ? ['No skills yet: everyskill add <name>']
      : rows.map((r) => `${r.name}@${r.version}  ${pc.dim(r.agents.join(', '))}${r.missing.length ? pc.yellow('  (missing on disk: run everyskill install)') : ''}`),
  );
}

/** Resolves the lockfile's entries, registry by registry. */
async function resolveLock(lock: Lockfile, options: GlobalOptions): Promise<LockAnswer[]> {
  const byRegistry = new Map<string, [string, LockEntry][]>();
  for (const [name, entry] of Object.entries(lock.skills)) byRegistry.set(entry.registry, [...(byRegistry.get(entry.registry) ?? []), [name, entry]]);
  const answers: LockAnswer[] = [];
  for (const [registry, entries] of byRegistry) {
    const api = clientFor({ ...options, registry: options.registry ?? registry });
    const { skills } = await api.post<{ skills: Resolved[] }>('/resolve', { skills: entries.map(([name, e]) => ({ name, version: e.version, digest: e.digest })) });
    entries.forEach(([name, entry], i) => answers.push({ name, entry, resolved: skills[i]!, api }));
  }
  return answers;
}

/**
 * `everyskill install`: restores exactly what the lockfile says. Every skill is fetched and
 * verified against the lockfile's digest first; only when all pass is anything written.
 */
export async function install(options: SkillOptions, out: Output): Promise<void> {
  const scope = scopeOf(options);
  const lockPath = lockfilePath(scope);
  const lock = readLockfile(lockPath, { required: true });
  const spin = spinner(out, `Installing ${Object.keys(lock.skills).length} skills`);
  const resolved = await resolveLock(lock, options);
  for (const r of resolved) {
    if (r.resolved.status === 'not_found') throw new CliError('not_found', `${r.name}@${r.entry.version}: ${r.resolved.message}`, EXIT.notFound);
    if (r.resolved.status === 'withdrawn' || r.resolved.status === 'blocked') {
      throw new CliError(r.resolved.status, `${r.resolved.message ?? `${r.name}@${r.entry.version} may not be installed`}; run everyskill update ${r.name}`, EXIT.refused);
    }
    if (r.resolved.digestMatches === false) {
      throw new CliError('integrity', `${r.name}@${r.entry.version}: the lockfile's digest differs from the registry's; nothing was written (tampering, or the registry changed)`, EXIT.integrity);
    }
  }
  const verifier = new ProvenanceVerifier(out);
  const items: WriteItem[] = [];
  for (const r of resolved) {
    const expected = { name: r.name, version: r.entry.version, digest: r.entry.digest, attestation: r.entry.attestation };
    const { skill, files, provenance } = await fetchVerified(r.api, verifier, expected);
    items.push({ skill, files, agents: r.entry.agents, registry: r.entry.registry, attestation: provenance.digest });
  }
  writeAll(scope, lock, lockPath, items);
  spin.stop('Installed');
  for (const r of resolved) if (r.resolved.status === 'deprecated' || r.resolved.status === 'outdated') out.warn(r.resolved.message ?? `${r.name} is ${r.resolved.status}`);
  out.result(
    { lockfile: lockPath, installed: items.map((i) => ({ name: i.skill.name, version: i.skill.version, agents: i.agents })), notices: resolved.filter((r) => r.resolved.status !== 'ok').map((r) => r.resolved) },
    () => [`Installed ${items.length} skill${items.length === 1 ? '' : 's'} from ${path.relative(process.cwd(), lockPath) || lockPath}.`],
  );
}

/** `everyskill outdated`: each locked skill's status — a newer version, deprecated, withdrawn. */
export async function outdated(options: SkillOptions, out: Output): Promise<void> {
  const lock = readLockfile(lockfilePath(scopeOf(options)), { required: true });
  const answers = await resolveLock(lock, options);
  const rows = answers.map((a) => ({ ...a.resolved, installed: a.entry.version }));
  out.result({ skills: rows }, () => {
    const changed = rows.filter((r) => r.status !== 'ok');
    if (changed.length === 0) return ['Everything is up to date.'];
    return changed.map((r) => {
      const colour = r.status === 'withdrawn' || r.status === 'blocked' || r.status === 'not_found' ? pc.red : pc.yellow;
      return `${r.name}  ${r.installed} → ${r.latestVersion ?? '—'}  ${colour(r.status)}${r.message ? `  ${pc.dim(r.message)}` : ''}`;
    });
  });
}

/** `everyskill update [name]`: moves locked skills to their latest usable version (a withdrawn one is always replaced). */
export async function update(name: string | undefined, options: SkillOptions, out: Output): Promise<void> {
  const scope = scopeOf(options);
  const lockPath = lockfilePath(scope);
  const lock = readLockfile(lockPath, { required: true });
  if (name && !lock.skills[parseSkillArg(name).name]) throw new CliError('not_installed', `${name} is not in ${lockPath}`, EXIT.notFound);
  const answers = (await resolveLock(lock, options)).filter((a) => !name || a.name === parseSkillArg(name).name);
  const verifier = new ProvenanceVerifier(out);
  const items: (WriteItem & { from: string })[] = [];
  for (const a of answers) {
    if (a.resolved.status === 'not_found') {
      out.warn(`${a.name}: ${a.resolved.message}`);
      continue;
    }
    const target = a.resolved.latestVersion;
    if (!target || target === a.entry.version) continue;
    const { skill, files, provenance } = await fetchVerified(a.api, verifier, { name: a.name, version: target, digest: a.resolved.latestDigest ?? undefined });
    items.push({ skill, files, agents: a.entry.agents, registry: a.entry.registry, attestation: provenance.digest, from: a.entry.version });
  }
  if (items.length) writeAll(scope, lock, lockPath, items);
  out.result({ updated: items.map((i) => ({ name: i.skill.name, from: i.from, to: i.skill.version })) }, () =>
    items.length ? items.map((i) => `${i.skill.name}  ${i.from} → ${pc.green(i.skill.version)}`) : ['Nothing to update.'],
  );
}

interface SkillDetail {
  slug: string;
  name: string;
  description: string;
  status: string;
  latestVersion: string | null;
  author: { name: string | null; email: string } | null;
  versions: { version: string; createdAt: string; withdrawnReason?: string | null }[];
}

/** `everyskill info <name>`: the skill's description, versions (withdrawn ones with their reason) and status. */
export async function info(arg: string, options: SkillOptions, out: Output): Promise<void> {
  const { name, version } = parseSkillArg(arg);
  const api = clientFor(options);
  const skill = await api.get<SkillDetail>(`/skills/${encodeURIComponent(version ? `${name}@${version}` : name)}`);
  const [notice] = (await api.post<{ skills: Resolved[] }>('/resolve', { skills: [{ name, ...(version ? { version } : {}) }] })).skills;
  out.result({ ...skill, resolved: notice }, () => [
    `${pc.bold(skill.name)}  ${skill.latestVersion ?? ''}${skill.status === 'deprecated' ? pc.yellow('  deprecated') : ''}`,
    skill.description,
    ...(notice?.deprecation ? [pc.yellow(`Deprecated: ${notice.deprecation.message}${notice.deprecation.replacement ? ` (use ${notice.deprecation.replacement})` : ''}`)] : []),
    `Versions: ${skill.versions.map((v) => (v.withdrawnReason ? pc.strikethrough(v.version) + pc.dim(` (withdrawn: ${v.withdrawnReason})`) : v.version)).join(', ')}`,
  ]);
}

interface SearchAnswer {
  query: string;
  items: { slug?: string; name: string; description: string; latestVersion?: string | null }[];
}

/** `everyskill search <words…>`: the server's search, best first. */
export async function search(words: string[], options: SkillOptions & { limit?: string }, out: Output): Promise<void> {
  const q = words.join(' ').trim();
  if (!q) throw usageError('say what to search for: everyskill search <words>');
  const api = clientFor(options);
  const limit = options.limit ? `&limit=${encodeURIComponent(options.limit)}` : '';
  const answer = await api.get<SearchAnswer>(`/search?q=${encodeURIComponent(q)}${limit}`);
  out.result(answer, () =>
    answer.items.length === 0 ? [`Nothing matches '${q}'.`] : answer.items.map((s) => `${pc.bold(s.slug ?? s.name)}  ${pc.dim(s.description)}`),
  );
}

interface WhoamiAnswer {
  tenant: { slug: string; name: string };
  user: { email: string; name: string | null; role: string };
  key: { name: string; scopes: string[]; expiresAt: string };
}

/** `everyskill whoami`: the person, workspace and key the command acts as. */
export async function whoami(options: GlobalOptions, out: Output): Promise<void> {
  const api = clientFor(options);
  const me = await api.get<WhoamiAnswer>('/whoami');
  out.result({ registry: api.origin, ...me }, () => [
    `${me.user.name ?? me.user.email} <${me.user.email}> in ${me.tenant.name} (${api.origin})`,
    pc.dim(`key "${me.key.name}": ${me.key.scopes.join(' ')}, expires ${me.key.expiresAt.slice(0, 10)}`),
  ]);
}
