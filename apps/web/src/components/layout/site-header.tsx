import Link from 'next/link';
import { buttonVariants } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import { MobileNav } from './mobile-nav';
import { NavLinks } from './nav-links';
import { EnvironmentBadge } from './public-config';
import { SearchForm } from './search-form';
import { TenantMark } from './tenant-mark';

/** The bar on every page: whose registry this is, where to go, search, and sign-in. */
export function SiteHeader({ brand }: { brand: { name: string; logoUrl: string | null } }) {
  return (
    <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4">
        <Link href="/" className="flex min-w-0 items-center gap-2 rounded-md font-semibold" data-testid="tenant-brand">
          <TenantMark name={brand.name} logoUrl={brand.logoUrl} />
          <span className="truncate">{brand.name}</span>
        </Link>
        <EnvironmentBadge />
        <nav aria-label="Main" className="ml-2 hidden md:block">
          <NavLinks />
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <SearchForm id="header-search" className="hidden w-56 md:flex lg:w-72" />
          <Link href="/sign-in" className={cn(buttonVariants({ size: 'sm' }), 'hidden md:inline-flex')}>
            Sign in
          </Link>
          <MobileNav />
        </div>
      </div>
    </header>
  );
}
