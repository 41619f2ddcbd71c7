import path from 'node:path';
import { homeDir } from './config-store';

/**
 * The skills folder each agent reads, in a project and for the whole user (`--global`), from each
 * agent's own documentation. A skill goes into `<folder>/<name>/`.
 */
export const AGENT_FOLDERS = {
  'claude-code': { project: '.claude/skills', global: '.claude/skills' },
  codex: { project: '.agents/skills', global: '.agents/skills' },
  cursor: { project: '.cursor/skills', global: '.cursor/skills' },
  copilot: { project: '.github/skills', global: '.copilot/skills' },
  gemini: { project: '.gemini/skills', global: '.gemini/skills' },
  opencode: { project: '.opencode/skills', global: '.config/opencode/skills' },
  universal: { project: '.agents/skills', global: '.agents/skills' },
} as const;

export type AgentName = keyof typeof AGENT_FOLDERS;
export const AGENT_NAMES = Object.keys(AGENT_FOLDERS) as AgentName[];

export interface Scope {
  global: boolean;
  /** The project folder (where everyskill-lock.json is) for project scope. */
  projectDir: string;
}

export function parseAgents(values: readonly string[] | undefined): AgentName[] {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const name of names) {
    if (!(name in AGENT_FOLDERS)) throw new Error(`unknown agent '${name}'; choose from ${AGENT_NAMES.join(', ')}`);
  }
  return [...new Set(names as AgentName[])].sort();
}

/** The skills folder of an agent in a scope, as an absolute path. */
export function skillsFolderOf(agent: AgentName, scope: Scope): string {
  const folders = AGENT_FOLDERS[agent];
  return scope.global ? path.join(homeDir(), folders.global) : path.join(scope.projectDir, folders.project);
}

/** The distinct skills folders of several agents (codex and universal share `.agents/skills`). */
export function skillsFoldersOf(agents: readonly AgentName[], scope: Scope): string[] {
  return [...new Set(agents.map((a) => skillsFolderOf(a, scope)))].sort();
}
