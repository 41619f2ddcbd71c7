import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { homeDir } from './config-store';
import { CliError, EXIT } from './cli-error';
import { lockfilePath, readLockfile } from './lockfile';
import type { Output } from './output';
import { clientFor, type GlobalOptions } from './session';

/** The command Claude Code runs after each use of its Skill tool. */
export const CLAUDE_CODE_HOOK_COMMAND = 'everyskill hook report claude-code';

interface HookEntry {
  matcher?: string;
  hooks?: { type?: string; command?: string }[];
}

/**
 * `everyskill hook claude-code`: adds a PostToolUse hook on the Skill tool to Claude Code's
 * settings (`.claude/settings.json`, or `~/.claude/settings.json` with --global). Running it
 * again changes nothing; other settings and hooks are kept.
 */
export async function installClaudeCodeHook(options: GlobalOptions, out: Output): Promise<void> {
  const file = options.global ? path.join(homeDir(), '.claude/settings.json') : path.join(path.resolve(options.dir ?? process.cwd()), '.claude/settings.json');
  let settings: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new CliError('settings_invalid', `${file} is not valid JSON (${(error as Error).message}); fix it first`, EXIT.lockfile);
    }
  }
  const hooks = (settings.hooks ?? {}) as Record<string, HookEntry[]>;
  const postToolUse = hooks.PostToolUse ?? [];
  const present = postToolUse.some((h) => h.hooks?.some((c) => c.command === CLAUDE_CODE_HOOK_COMMAND));
  if (!present) {
    postToolUse.push({ matcher: 'Skill', hooks: [{ type: 'command', command: CLAUDE_CODE_HOOK_COMMAND }] });
    settings.hooks = { ...hooks, PostToolUse: postToolUse };
    mkdirSync(path.dirname(file), { recursive: true });
    const staged = `${file}.${process.pid}.tmp`;
    writeFileSync(staged, `${JSON.stringify(settings, null, 2)}\n`);
    renameSync(staged, file);
  }
  out.result({ settings: file, installed: !present }, () => [
    present ? `The hook is already in ${file}.` : `Added the usage hook to ${file}: each skill invocation is reported once.`,
  ]);
}

interface ClaudeCodeHookPayload {
  session_id?: string;
  tool_use_id?: string;
  tool_name?: string;
  cwd?: string;
  tool_input?: { skill?: string; command?: string; name?: string };
}

/** The skill a Claude Code Skill-tool call invoked (`pdf-tools`, or `plugin:pdf-tools` → `pdf-tools`). */
export function skillOfHookPayload(payload: ClaudeCodeHookPayload): string | null {
  if (payload.tool_name !== 'Skill') return null;
  const raw = payload.tool_input?.skill ?? payload.tool_input?.command ?? payload.tool_input?.name;
  if (typeof raw !== 'string') return null;
  const name = raw.trim().replace(/^\//, '').split(':').pop() ?? '';
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) ? name : null;
}

/**
 * `everyskill hook report claude-code` (run by the hook, payload on stdin): reports one use of a
 * skill this project (or the user) installed from EverySkill; the idempotency key is the tool
 * call's id, so a retried hook counts once. Never fails the agent: problems exit 0 silently.
 */
export async function reportHookUse(agent: string, options: GlobalOptions, out: Output, stdin: NodeJS.ReadableStream = process.stdin): Promise<void> {
  if (agent !== 'claude-code') throw new CliError('usage', `no usage hook for '${agent}' yet; see docs/cli.md`, EXIT.usage);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ClaudeCodeHookPayload;
    const skill = skillOfHookPayload(payload);
    if (!skill) return;
    const projectDir = payload.cwd ?? process.cwd();
    const entry =
      readLockfile(lockfilePath({ global: false, projectDir })).skills[skill] ?? readLockfile(lockfilePath({ global: true, projectDir })).skills[skill];
    if (!entry) return;
    const idempotencyKey = `claude-code:${payload.session_id ?? 'session'}:${payload.tool_use_id ?? Date.now()}`.slice(0, 150);
    const api = clientFor({ ...options, registry: options.registry ?? entry.registry });
    await api.post('/usage-events', { skill, version: entry.version, kind: 'use', idempotencyKey, source: 'cli' });
    if (out.json) out.result({ reported: skill, idempotencyKey }, () => []);
  } catch {
    // A usage report must never get in the agent's way.
  }
}
