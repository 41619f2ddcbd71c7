import 'server-only';
import type { Element, ElementContent, Root } from 'hast';
import { common, createLowlight } from 'lowlight';
import type { ReactNode } from 'react';

// highlight.js's common languages (about 35), loaded on the server only: the page ships spans with
// classes, never the highlighter.
const lowlight = createLowlight(common);

const EXTENSION_LANGUAGES: Record<string, string> = { md: 'markdown', mdx: 'markdown', sh: 'bash', zsh: 'bash', yml: 'yaml', mjs: 'javascript', cjs: 'javascript', tsx: 'typescript', jsx: 'javascript', txt: 'plaintext' };

/** The highlight.js language for a file path (by extension; SKILL.md is Markdown), or null when none fits. */
export function languageOfPath(path: string): string | null {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  if (!extension) return null;
  const language = EXTENSION_LANGUAGES[extension] ?? extension;
  return lowlight.registered(language) ? language : null;
}

/**
 * One line of code as React elements: highlight.js tokens become spans with its `hljs-*` classes
 * (coloured in globals.css). Built as elements, never as HTML, so the text stays text whatever it holds.
 */
export function highlightLine(line: string, language: string | null): ReactNode {
  if (!language || line.length === 0) return line;
  return toReact(lowlight.highlight(language, line));
}

function toReact(node: Root | ElementContent, key?: number): ReactNode {
  if (node.type === 'text') return node.value;
  if (node.type === 'root' || node.type === 'element') {
    const children = node.children.map((child, i) => toReact(child as ElementContent, i));
    if (node.type === 'root') return children;
    return (
      <span key={key} className={classNameOf(node)}>
        {children}
      </span>
    );
  }
  return null;
}

function classNameOf(element: Element): string | undefined {
  const className = element.properties.className;
  return Array.isArray(className) ? className.join(' ') : typeof className === 'string' ? className : undefined;
}
