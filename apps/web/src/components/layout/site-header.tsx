import { MenuIcon } from '@/components/ui/icons';
import Link from '@/components/ui/link';
import { Badge } from '@/components/ui/badge';
import { Button, buttonVariants } from '@/components/ui/button';
import type { AppEnv } from '@/server/env';
import { signOutAction } from '@/server/auth-actions';
import { cn } from '@/lib/utils';
import { MenuDismiss } from './menu-dismiss';
import { NavLinks } from './nav-links';
import { NotificationBell } from './notification-bell';
import { SearchForm } from './search-form';
import { TenantMark } from './tenant-mark';

/** Who is signed in, as the header shows them; null for an anonymous visitor. */
export interface HeaderPerson {
  email: string;
  name: string | null;
  isAdmin: boolean;
}

/**
 * The bar on every page: whose registry this is, where to go, search, and sign-in or who is signed
 * in. Rendered on the server; it stays one row from 360 px up: below 1280 px the navigation and
 * the account live in a menu (a native `<details>`, so it works before any JavaScript), and the
 * search field joins the row from 768 px.
 */
export function SiteHeader({ brand, person, appEnv }: { brand: { name: string; logoUrl: string | null }; person: HeaderPerson | null; appEnv: AppEnv }) {
  const isAdmin = person?.isAdmin ?? false;
  return (
    <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80" data-testid="site-header">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4 sm:gap-3">
        <Link href="/" className="flex min-w-0 items-center gap-2 rounded-md font-semibold" data-testid="tenant-brand">
          <TenantMark name={brand.name} logoUrl={brand.logoUrl} />
          <span className="truncate" data-testid="tenant-name">
            {brand.name}
          </span>
        </Link>
        {appEnv === 'production' ? null : (
          <Badge variant="outline" data-testid="environment-badge" className="uppercase">
            {appEnv}
          </Badge>
        )}
        <nav aria-label="Main" className="hidden xl:block">
          <NavLinks isAdmin={isAdmin} />
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-2">
          <SearchForm id="header-search" landmark="Site search" className="hidden w-48 md:flex xl:w-56" />
          {person ? <NotificationBell /> : null}
          {person ? (
            <div className="hidden items-center gap-2 xl:flex">
              <Link
                href="/profile/api-keys"
                className="max-w-32 truncate rounded-md px-2 py-1 text-sm text-muted-foreground hover:bg-accent hover:text-accent-foreground"
                data-testid="signed-in-as"
                title={`${person.email}: your API keys`}
              >
                {person.name ?? person.email}
              </Link>
              <form action={signOutAction}>
                <Button type="submit" size="sm" variant="outline">
                  Sign out
                </Button>
              </form>
            </div>
          ) : (
            <Link href="/sign-in" className={cn(buttonVariants({ size: 'sm' }), 'hidden xl:inline-flex')}>
              Sign in
            </Link>
          )}
          <details data-menu className="relative xl:hidden">
            <summary
              aria-label="Menu"
              className={cn(buttonVariants({ variant: 'ghost', size: 'icon' }), 'cursor-pointer list-none [&::-webkit-details-marker]:hidden')}
            >
              <MenuIcon aria-hidden />
            </summary>
            <div className="absolute top-full right-0 mt-2 flex w-72 max-w-[calc(100vw-2rem)] flex-col gap-4 rounded-lg border bg-background p-4 shadow-lg">
              <nav aria-label="Main">
                <NavLinks className="flex-col" isAdmin={isAdmin} />
              </nav>
              <SearchForm id="menu-search" landmark="Site search" className="md:hidden" />
              <div className="flex flex-col gap-2 border-t pt-4">
                {person ? (
                  <>
                    <p className="truncate text-sm text-muted-foreground" title={person.email}>
                      Signed in as {person.name ?? person.email}
                    </p>
                    <Link href="/profile/api-keys" className="rounded-md px-2.5 py-2 text-sm hover:bg-accent hover:text-accent-foreground">
                      API keys
                    </Link>
                    <form action={signOutAction}>
                      <Button type="submit" variant="outline" className="w-full">
                        Sign out
                      </Button>
                    </form>
                  </>
                ) : (
                  <Link href="/sign-in" className={cn(buttonVariants(), 'w-full')}>
                    Sign in
                  </Link>
                )}
              </div>
            </div>
          </details>
        </div>
      </div>
      <MenuDismiss />
    </header>
  );
}
