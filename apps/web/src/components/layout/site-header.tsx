import Link from 'next/link';
import { Button, buttonVariants } from '@/components/ui/button';
import { signOutAction } from '@/server/auth-actions';
import { cn } from '@/lib/utils';
import { MobileNav } from './mobile-nav';
import { NavLinks } from './nav-links';
import { NotificationBell } from './notification-bell';
import { EnvironmentBadge } from './public-config';
import { SearchForm } from './search-form';
import { TenantMark } from './tenant-mark';

/** Who is signed in, as the header shows them; null for an anonymous visitor. */
export interface HeaderPerson {
  email: string;
  name: string | null;
  isAdmin: boolean;
}

/** The bar on every page: whose registry this is, where to go, search, and sign-in or who is signed in. */
export function SiteHeader({ brand, person }: { brand: { name: string; logoUrl: string | null }; person: HeaderPerson | null }) {
  return (
    <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4">
        <Link href="/" className="flex min-w-0 items-center gap-2 rounded-md font-semibold" data-testid="tenant-brand">
          <TenantMark name={brand.name} logoUrl={brand.logoUrl} />
          <span className="truncate">{brand.name}</span>
        </Link>
        <EnvironmentBadge />
        <nav aria-label="Main" className="ml-2 hidden md:block">
          <NavLinks isAdmin={person?.isAdmin ?? false} />
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <SearchForm id="header-search" className="hidden w-56 md:flex lg:w-72" />
          {person ? <NotificationBell /> : null}
          {person ? (
            <div className="hidden items-center gap-2 md:flex">
              <Link href="/profile/api-keys" className="rounded-md px-2 py-1 text-sm text-muted-foreground hover:bg-accent hover:text-accent-foreground">
                API keys
              </Link>
              <span className="max-w-48 truncate text-sm text-muted-foreground" data-testid="signed-in-as" title={person.email}>
                {person.name ?? person.email}
              </span>
              <form action={signOutAction}>
                <Button type="submit" size="sm" variant="outline">
                  Sign out
                </Button>
              </form>
            </div>
          ) : (
            <Link href="/sign-in" className={cn(buttonVariants({ size: 'sm' }), 'hidden md:inline-flex')}>
              Sign in
            </Link>
          )}
          <MobileNav person={person} />
        </div>
      </div>
    </header>
  );
}
