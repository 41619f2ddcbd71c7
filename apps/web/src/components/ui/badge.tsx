import type { ComponentProps } from 'react';

const BASE = 'inline-flex w-fit shrink-0 items-center gap-1 rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap [&_svg]:size-3';

const VARIANTS = {
  default: 'border-transparent bg-primary text-primary-foreground',
  secondary: 'border-transparent bg-secondary text-secondary-foreground',
  destructive: 'border-transparent bg-destructive text-destructive-foreground',
  outline: 'text-foreground',
  /** Outlined in amber: something only for development or tests. */
  warning: 'border-amber-500/60 text-amber-700 dark:text-amber-400',
} as const;

/**
 * A small label. Extra classes are appended, not merged (Badge sits in client components, and
 * tailwind-merge would ship about 9 kB with them): pass only classes the variant does not set.
 */
export function Badge({ className, variant = 'default', ...props }: ComponentProps<'span'> & { variant?: keyof typeof VARIANTS }) {
  return <span className={className ? `${BASE} ${VARIANTS[variant]} ${className}` : `${BASE} ${VARIANTS[variant]}`} {...props} />;
}
