import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths';

const run = promisify(execFile);

/** The real `skills` CLI (npm package `skills`) and the Node 22 it requires, pinned. */
export const SKILLS_CLI_VERSION = '1.7.4';
export const NODE22_VERSION = '22.23.3';

/**
 * Installs (once, into .data/tools) the `skills` CLI and the npm package `node` at 22.x, which
 * the CLI needs (the app itself runs on Node 20). Returns how to run the CLI.
 */
export async function ensureSkillsCli(): Promise<{ node: string; cli: string }> {
  const dir = path.join(repoRoot, '.data/tools', `skills-${SKILLS_CLI_VERSION}-node-${NODE22_VERSION}`);
  const node = path.join(dir, 'node_modules/node/bin/node');
  const cli = path.join(dir, 'node_modules/skills/bin/cli.mjs');
  if (!existsSync(node) || !existsSync(cli)) {
    mkdirSync(dir, { recursive: true });
    await run(
      'npm',
      ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', `node@${NODE22_VERSION}`, `skills@${SKILLS_CLI_VERSION}`],
      { timeout: 240_000 },
    );
  }
  return { node, cli };
}
