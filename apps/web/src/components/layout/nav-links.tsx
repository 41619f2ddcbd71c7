'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export const navItems = [
  { href: '/', label: 'Home' },
  { href: '/skills', label: 'Skills' },
  { href: '/my-skills', label: 'My skills' },
  { href: '/reviews', label: 'Reviews' },
] as const;

const adminItem = { href: '/admin', label: 'Admin' } as const;

/** The main navigation links, marking the current page for screen readers and sighted users. */
export function NavLinks({ className, onNavigate, isAdmin = false }: { className?: string; onNavigate?: () => void; isAdmin?: boolean }) {
  const pathname = usePathname();
  return (
    <ul className={cn('flex gap-1', className)}>
      {[...navItems, ...(isAdmin ? [adminItem] : [])].map((item) => {
        const current = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={current ? 'page' : undefined}
              className={cn(
                'block rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground',
                current && 'text-foreground',
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
