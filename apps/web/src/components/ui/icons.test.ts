import * as lucide from 'lucide-react';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import * as icons from './icons';

const theirs = lucide as unknown as Record<string, ComponentType<Record<string, unknown>>>;

describe('icons', () => {
  // Generated from lucide-react's shapes: the page's markup must not change with where it renders.
  it.each([{}, { className: 'size-4 text-muted-foreground', 'aria-hidden': true }, { 'aria-label': 'Starred' }])(
    'render what lucide-react renders (props %j)',
    (props) => {
      for (const [name, icon] of Object.entries(icons)) {
        expect(renderToStaticMarkup(createElement(icon, props)), name).toBe(renderToStaticMarkup(createElement(theirs[name]!, props)));
      }
    },
  );
});
