import type { IconComponent } from '@/components/ui/icon';
import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';

/** What a person sees where content will be: what is missing, why, and what to do next. */
export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
  headingLevel: Heading = 'h2',
  className,
}: {
  icon: IconComponent;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  headingLevel?: 'h2' | 'h3';
  className?: string;
}) {
  return (
    <section
      className={cn('flex flex-col items-center gap-3 rounded-xl border border-dashed px-6 py-10 text-center', className)}
    >
      <span className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Icon className="size-6 text-muted-foreground" aria-hidden />
      </span>
      <Heading className="text-lg font-semibold">{title}</Heading>
      {children ? <div className="max-w-prose text-sm text-muted-foreground">{children}</div> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </section>
  );
}
