import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import Link from './link';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('Link', () => {
  it('renders the anchor next/link renders', () => {
    expect(renderToStaticMarkup(createElement(Link, { href: '/skills?tag=a', className: 'x' }, 'Skills'))).toBe(
      '<a class="x" href="/skills?tag=a">Skills</a>',
    );
  });

  // A page full of plain next/link links prefetches each of them after hydration (see the file's comment).
  it('is the only importer of next/link in the app', () => {
    const importers = sourceFiles(src)
      .filter((file) => /from ['"]next\/link['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(src, file));
    expect(importers).toEqual([path.join('components', 'ui', 'link.tsx')]);
  });
});
