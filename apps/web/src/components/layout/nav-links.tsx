'use client';

import Link from '@/components/ui/link';
import { usePathname } from 'next/navigation';

export const navItems = [
  { href: '/', label: 'Home' },
  { href: '/skills', label: 'Skills' },
  { href: '/my-skills', label: 'My skills' },
  { href: '/reviews', label: 'Reviews' },
] as const;

const adminItem = { href: '/admin', label: 'Admin' } as const;

/**
 * The main navigation links, marking the current page for screen readers and sighted users. The
 * only client part of the header (it follows client-side navigation), so it imports nothing heavy.
 */
export function NavLinks({ className = '', isAdmin = false }: { className?: string; isAdmin?: boolean }) {
  const pathname = usePathname();
  return (
    <ul className={`flex gap-1 ${className}`}>
      {[...navItems, ...(isAdmin ? [adminItem] : [])].map((item) => {
        const current = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={current ? 'page' : undefined}
              className="block rounded-md px-2.5 py-2 text-sm font-medium whitespace-nowrap text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground aria-[current=page]:text-foreground"
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
