import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
import { apiV1Operations } from '@everyskill/contracts';
import { HTTP_METHODS, compileRoutes } from './direct-dispatch';
import { v1Routes } from './v1-routes';

const appDir = fileURLToPath(new URL('../../app', import.meta.url));
const v1Dir = path.join(appDir, 'api/v1');

/** Every route.ts under /api/v1 as `[pattern, file]`, the pattern being its folder as Next reads it. */
function routeFilesOnDisk(): Array<[string, string]> {
  return readdirSync(v1Dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === 'route.ts')
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [`/${path.relative(appDir, entry.parentPath).split(path.sep).join('/')}`, file] as [string, string];
    })
    .sort(([a], [b]) => a.localeCompare(b));
}

describe('the direct /api/v1 route table', () => {
  it('lists every route file under src/app/api/v1 but the catch-all, each once', () => {
    const onDisk = routeFilesOnDisk().map(([pattern]) => pattern);
    expect(onDisk).toContain('/api/v1/[...path]'); // the walk does see the catch-all
    expect(onDisk.length).toBeGreaterThan(5);
    const listed = v1Routes.map((route) => route.pattern);
    expect([...listed].sort()).toEqual(onDisk.filter((pattern) => pattern !== '/api/v1/[...path]'));
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('serves exactly the HTTP methods each file exports, with the file’s own functions', async () => {
    for (const [pattern, file] of routeFilesOnDisk()) {
      if (pattern === '/api/v1/[...path]') continue;
      const route = v1Routes.find((r) => r.pattern === pattern);
      const exports = (await import(file)) as Record<string, unknown>;
      const exported = HTTP_METHODS.filter((method) => typeof exports[method] === 'function');
      expect(exported.length, pattern).toBeGreaterThan(0);
      expect(HTTP_METHODS.filter((method) => route?.handlers[method]), pattern).toEqual(exported);
      for (const method of exported) expect(route?.handlers[method], `${method} ${pattern}`).toBe(exports[method]);
    }
  });

  it('compiles (only [name] segments, all under /api/v1/)', () => {
    expect(() => compileRoutes(v1Routes)).not.toThrow();
    expect(() => compileRoutes([{ pattern: '/api/v1/[...path]', handlers: {} }])).toThrow(/only \[name\] segments/);
    expect(() => compileRoutes([{ pattern: '/api/other', handlers: {} }])).toThrow(/not under \/api\/v1\//);
  });

  it('serves every operation of the OpenAPI table, and documents every route but the document itself', () => {
    // `{slug}` in the table and `[ref]` on disk name the same segment: compare shapes.
    const shape = (p: string) => p.replace(/\{[^}]+\}|\[[^\]]+\]/g, '{}');
    const documented = apiV1Operations.map((op) => `${op.method.toUpperCase()} /api/v1${shape(op.path)}`).sort();
    const served = v1Routes
      .filter((route) => route.pattern !== '/api/v1/openapi.json')
      .flatMap((route) => Object.keys(route.handlers).map((method) => `${method} ${shape(route.pattern)}`))
      .sort();
    expect(served).toEqual(documented);
  });
});
