import type { ComponentProps } from 'react';

const BASE =
  'flex h-9 min-w-0 rounded-md border border-input bg-transparent px-3 py-1 text-base shadow-xs transition-colors placeholder:text-muted-foreground focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50 md:text-sm';
const WIDTH = /(^|\s)w-/;

/**
 * A text field, full width unless given a width (`w-64`). Classes are appended, not merged
 * (tailwind-merge would ship about 9 kB to every page with a client form): padding like `pl-8`
 * still wins over the base `px-3`, as Tailwind orders longhands after shorthands.
 */
export function Input({ className, type = 'text', ...props }: ComponentProps<'input'>) {
  return (
    <input
      type={type}
      className={`${BASE} ${className && WIDTH.test(className) ? '' : 'w-full'} ${className ?? ''}`}
      {...props}
    />
  );
}
