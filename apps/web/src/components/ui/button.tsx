import type { ComponentProps } from 'react';

const BASE =
  'inline-flex shrink-0 items-center justify-center gap-2 rounded-md text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:pointer-events-none disabled:opacity-50 [&_svg]:pointer-events-none [&_svg]:size-4 [&_svg]:shrink-0';

const VARIANTS = {
  default: 'bg-primary text-primary-foreground shadow-xs hover:bg-primary/90',
  destructive: 'bg-destructive text-destructive-foreground shadow-xs hover:bg-destructive/90',
  outline: 'border bg-background shadow-xs hover:bg-accent hover:text-accent-foreground',
  secondary: 'bg-secondary text-secondary-foreground shadow-xs hover:bg-secondary/80',
  ghost: 'hover:bg-accent hover:text-accent-foreground',
  link: 'text-primary underline-offset-4 hover:underline',
} as const;

const SIZES = {
  default: 'h-9 px-4 py-2',
  sm: 'h-8 rounded-md px-3 text-xs',
  lg: 'h-10 rounded-md px-6',
  icon: 'size-9',
} as const;

/** A button's look; null leaves that part out (as class-variance-authority did). */
export interface ButtonVariantProps {
  variant?: keyof typeof VARIANTS | null;
  size?: keyof typeof SIZES | null;
}

/**
 * Also styles links that look like buttons: `<Link className={buttonVariants()}>`. A plain lookup
 * rather than class-variance-authority: Button is in most client forms, and this is all they need.
 */
export function buttonVariants({ variant = 'default', size = 'default', className }: ButtonVariantProps & { className?: string } = {}): string {
  return [BASE, variant ? VARIANTS[variant] : null, size ? SIZES[size] : null, className].filter(Boolean).join(' ');
}

export type ButtonProps = ComponentProps<'button'> & ButtonVariantProps;

/**
 * Extra classes are appended, not merged: Button sits in most client forms, and class merging
 * (tailwind-merge) would ship about 9 kB to each of their pages. Pass only classes the variants do
 * not set (layout: `self-start`, `w-full`); to override a variant, use `cn(buttonVariants(), …)`.
 */
export function Button({ className, variant, size, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={buttonVariants({ variant, size, className })} {...props} />;
}
