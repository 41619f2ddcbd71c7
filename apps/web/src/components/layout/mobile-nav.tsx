'use client';

import { MenuIcon } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { Button, buttonVariants } from '@/components/ui/button';
import { Separator } from '@/components/ui/separator';
import { Sheet } from '@/components/ui/sheet';
import { cn } from '@/lib/utils';
import { NavLinks } from './nav-links';
import type { HeaderPerson } from './site-header';
import { signOutAction } from '@/server/auth-actions';
import { SearchForm } from './search-form';

/** The navigation on small screens: a menu button opening a sheet with the same links and search. */
export function MobileNav({ person }: { person: HeaderPerson | null }) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <Button
        variant="ghost"
        size="icon"
        className="md:hidden"
        aria-label="Open menu"
        aria-expanded={open}
        aria-controls="mobile-nav"
        onClick={() => setOpen(true)}
      >
        <MenuIcon aria-hidden />
      </Button>
      <Sheet id="mobile-nav" title="Menu" open={open} onOpenChange={setOpen}>
        <nav aria-label="Main" className="flex flex-col gap-4">
          <NavLinks className="flex-col" onNavigate={close} isAdmin={person?.isAdmin ?? false} />
          <SearchForm id="mobile-search" />
          <Separator />
          {person ? (
            <form action={signOutAction} className="flex flex-col gap-2">
              <p className="truncate text-sm text-muted-foreground">Signed in as {person.email}</p>
              <Button type="submit" variant="outline" className="w-full">
                Sign out
              </Button>
            </form>
          ) : (
            <Link href="/sign-in" onClick={close} className={cn(buttonVariants(), 'w-full')}>
              Sign in
            </Link>
          )}
        </nav>
      </Sheet>
    </>
  );
}
