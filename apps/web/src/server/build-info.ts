import { readFileSync } from 'node:fs';
import path from 'node:path';
import packageJson from '../../package.json';

export interface BuildInfo {
  version: string;
  buildId: string;
}

let cachedBuildId: string | undefined;

/**
 * The app version (package.json) and the id of the build being served, read from `.next/BUILD_ID`
 * at run time: the standalone server runs with its own folder as cwd, `next dev` has no BUILD_ID.
 */
export function getBuildInfo(): BuildInfo {
  cachedBuildId ??= readBuildId();
  return { version: packageJson.version, buildId: cachedBuildId };
}

function readBuildId(): string {
  if (process.env.NODE_ENV !== 'production') return 'development'; // a stale BUILD_ID may lie in .next
  try {
    return readFileSync(path.join(process.cwd(), '.next', 'BUILD_ID'), 'utf8').trim();
  } catch {
    return 'development';
  }
}
