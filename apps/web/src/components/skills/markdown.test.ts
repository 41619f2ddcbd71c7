import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, parseBlocks, safeHref } from './markdown';

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe('Markdown', () => {
  it('renders headings, lists, code and inline marks', () => {
    const out = html('# Title\n\nSome **bold** and *soft* and `code`.\n\n- one\n- two\n\n```bash\necho hi\n```');
    expect(out).toContain('<h2 class="text-xl mt-2 font-semibold">Title</h2>');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<em>soft</em>');
    expect(out).toContain('>code</code>');
    expect(out).toMatch(/<ul[^>]*><li>one<\/li><li>two<\/li><\/ul>/);
    expect(out).toContain('<code>echo hi</code>');
  });

  it('shows raw HTML as text instead of injecting it', () => {
    const out = html('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n```\n<b>x</b>\n```');
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('links only to safe targets', () => {
    expect(html('[docs](https://example.com/a)')).toContain('href="https://example.com/a"');
    const evil = html('[click](javascript:alert(1)) [data](data:text/html,hi)');
    expect(evil).not.toContain('href');
    expect(evil).toContain('click');
    expect(safeHref('references/guide.md')).toBe('references/guide.md');
    expect(safeHref('//evil.example')).toBeNull();
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
  });

  it('parses tables, quotes and rules', () => {
    expect(parseBlocks('| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n---')).toEqual([
      { kind: 'table', header: ['a', 'b'], rows: [['1', '2']] },
      { kind: 'quote', blocks: [{ kind: 'paragraph', text: 'quoted' }] },
      { kind: 'rule' },
    ]);
  });
});
