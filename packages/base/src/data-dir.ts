import { existsSync } from 'node:fs';
import path from 'node:path';

/** `.data/` at the workspace root (found by walking up to pnpm-workspace.yaml), else in the cwd. */
export function defaultDataDir(start = process.cwd()): string {
  let dir = path.resolve(/*turbopackIgnore: true*/ start);
  for (;;) {
    if (existsSync(/*turbopackIgnore: true*/ path.join(dir, 'pnpm-workspace.yaml'))) return path.join(dir, '.data');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(path.resolve(/*turbopackIgnore: true*/ start), '.data');
    dir = parent;
  }
}
