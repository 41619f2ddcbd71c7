import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { skillsFoldersOf } from '../src/agents';
import { CliError, EXIT } from '../src/cli-error';
import { CLAUDE_CODE_HOOK_COMMAND, installClaudeCodeHook, skillOfHookPayload } from '../src/hook';
import { Output } from '../src/output';
import { formatLockfile, readLockfile } from '../src/lockfile';
import { contentDigest, isSafeRelativePath, verifySkillFiles, writeSkillFolder, type SkillFiles } from '../src/skill-files';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function skillOf(files: Record<string, { text: string; executable?: boolean }>): SkillFiles {
  const list = Object.entries(files).map(([p, f]) => ({
    path: p,
    sha256: sha(f.text),
    size: Buffer.byteLength(f.text),
    executable: Boolean(f.executable),
    contentBase64: Buffer.from(f.text).toString('base64'),
  }));
  return { name: 'pdf-tools', version: '1.0.0', contentSha256: contentDigest(list), files: list };
}

function integrityError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.integrity);
    return error as CliError;
  }
  throw new Error('expected an integrity error');
}

describe('verifying a skill before writing it', () => {
  const good = skillOf({ 'SKILL.md': { text: '---\nname: pdf-tools\n---\n' }, 'bin/run.sh': { text: 'echo hi\n', executable: true } });

  it('accepts files that match the manifest and the lockfile digest', () => {
    expect(verifySkillFiles(good, { name: 'pdf-tools', version: '1.0.0', digest: good.contentSha256 })).toHaveLength(2);
  });

  it('refuses a changed byte, a changed mode, a wrong lockfile digest and an escaping path, naming the skill', () => {
    const tampered = { ...good, files: good.files.map((f) => (f.path === 'bin/run.sh' ? { ...f, contentBase64: Buffer.from('rm -rf /\n').toString('base64') } : f)) };
    expect(integrityError(() => verifySkillFiles(tampered, { name: 'pdf-tools' })).message).toMatch(/^pdf-tools@1\.0\.0: bin\/run\.sh does not match/);
    const chmod = { ...good, files: good.files.map((f) => ({ ...f, executable: false })) };
    expect(integrityError(() => verifySkillFiles(chmod, { name: 'pdf-tools' })).message).toMatch(/content digest/);
    expect(integrityError(() => verifySkillFiles(good, { name: 'pdf-tools', digest: 'a'.repeat(64) })).message).toMatch(/differs from the lockfile/);
    const escaping = skillOf({ 'SKILL.md': { text: 'x' }, '../evil.sh': { text: 'x' } });
    expect(integrityError(() => verifySkillFiles({ ...escaping, name: 'pdf-tools' }, { name: 'pdf-tools' })).message).toMatch(/escape/);
  });

  it('knows which relative paths stay inside the folder', () => {
    for (const p of ['SKILL.md', 'a/b/c.txt', '.hidden']) expect(isSafeRelativePath(p), p).toBe(true);
    for (const p of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', 'a\\b', 'C:/x', 'a/./b', 'nul\u0000x']) expect(isSafeRelativePath(p), p).toBe(false);
  });
});

describe('writing a skill folder', () => {
  it('writes the files with their modes and replaces an older folder whole', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-write-'));
    const skill = skillOf({ 'SKILL.md': { text: 'v1' }, 'old.txt': { text: 'old' } });
    writeSkillFolder(dir, 'pdf-tools', verifySkillFiles(skill, { name: 'pdf-tools' }));
    const next = skillOf({ 'SKILL.md': { text: 'v2' }, 'bin/run.sh': { text: 'echo\n', executable: true } });
    writeSkillFolder(dir, 'pdf-tools', verifySkillFiles(next, { name: 'pdf-tools' }));
    expect(readdirSync(dir)).toEqual(['pdf-tools']);
    expect(readdirSync(path.join(dir, 'pdf-tools')).sort()).toEqual(['SKILL.md', 'bin']);
    expect(readFileSync(path.join(dir, 'pdf-tools/SKILL.md'), 'utf8')).toBe('v2');
    expect(statSync(path.join(dir, 'pdf-tools/bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(dir, 'pdf-tools/SKILL.md')).mode & 0o777).toBe(0o644);
  });
});

describe('the lockfile', () => {
  it('is written sorted and stable whatever order it was built in', () => {
    const entry = (agents: ('codex' | 'claude-code')[]) => ({ version: '1.0.0', digest: 'a'.repeat(64), registry: 'https://acme.test', agents, attestation: null });
    const one = formatLockfile({ lockfileVersion: 1, skills: { zeta: entry(['codex', 'claude-code']), alpha: entry(['claude-code']) } });
    const two = formatLockfile({ lockfileVersion: 1, skills: { alpha: entry(['claude-code']), zeta: entry(['claude-code', 'codex']) } });
    expect(one).toBe(two);
    expect(Object.keys(JSON.parse(one).skills)).toEqual(['alpha', 'zeta']);
    expect(one.endsWith('}\n')).toBe(true);
  });

  it('refuses a hand-edited file that is not JSON, or not a lockfile, in one line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-lock-'));
    const file = path.join(dir, 'everyskill-lock.json');
    writeFileSync(file, '{ "lockfileVersion": 1, "skills": { ');
    const error = (() => {
      try {
        readLockfile(file);
      } catch (e) {
        return e as CliError;
      }
      throw new Error('expected a refusal');
    })();
    expect([error.exitCode, error.message.includes('\n')]).toEqual([EXIT.lockfile, false]);
    writeFileSync(file, JSON.stringify({ lockfileVersion: 1, skills: { 'Bad Name': {} } }));
    expect(() => readLockfile(file)).toThrow(/not a valid lockfile/);
  });
});

describe('agents and hooks', () => {
  it('codex and universal share one folder; each agent has its own otherwise', () => {
    const scope = { global: false, projectDir: '/p' };
    expect(skillsFoldersOf(['codex', 'universal', 'claude-code'], scope)).toEqual(['/p/.agents/skills', '/p/.claude/skills']);
  });

  it('reads the skill from a Claude Code Skill-tool payload', () => {
    expect(skillOfHookPayload({ tool_name: 'Skill', tool_input: { skill: 'pdf-tools' } })).toBe('pdf-tools');
    expect(skillOfHookPayload({ tool_name: 'Skill', tool_input: { skill: 'acme:pdf-tools' } })).toBe('pdf-tools');
    expect(skillOfHookPayload({ tool_name: 'Bash', tool_input: { command: 'ls' } })).toBeNull();
  });

  it('adds the Claude Code hook once, keeping the settings already there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-hook-'));
    const settings = path.join(dir, '.claude/settings.json');
    await installClaudeCodeHook({ dir }, new Output(true));
    writeFileSync(settings, JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), model: 'opus' }));
    await installClaudeCodeHook({ dir }, new Output(true));
    const written = JSON.parse(readFileSync(settings, 'utf8'));
    expect(written.model).toBe('opus');
    expect(written.hooks.PostToolUse).toEqual([{ matcher: 'Skill', hooks: [{ type: 'command', command: CLAUDE_CODE_HOOK_COMMAND }] }]);
  });
});
