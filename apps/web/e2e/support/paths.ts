import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = path.resolve(webDir, '../..');
export const standaloneServer = path.join(webDir, '.next/standalone/apps/web/server.js');
export const buildIdFile = path.join(webDir, '.next/BUILD_ID');
