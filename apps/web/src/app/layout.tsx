import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { getBuildInfo } from '@/server/build-info';
import { getCurrentTenant } from '@/server/current-tenant';
import { getPublicConfig, readServerEnv } from '@/server/env';
import { getSignedInMember } from '@/server/session';
import './globals.css';

// Every page depends on the request's host and the run-time configuration: never prerender.
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const env = readServerEnv();
  const tenant = (await getCurrentTenant().catch(() => null))?.tenant;
  const site = tenant ? `${tenant.name} · EverySkill` : 'EverySkill';
  return {
    metadataBase: new URL(env.APP_URL),
    title: { default: site, template: `%s · ${site}` },
    description: "Your company's registry of AI-agent skills: find, share and reuse them.",
    robots: { index: false, follow: false },
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // A database failure here must not take the shell down: the page below fails into error.tsx.
  const tenant = (await getCurrentTenant().catch(() => null))?.tenant;
  const brand = tenant ? { name: tenant.name, logoUrl: tenant.logoUrl } : { name: 'EverySkill', logoUrl: null };
  const member = await getSignedInMember().catch(() => null);
  const person = member ? { email: member.email, name: member.name, isAdmin: member.role === 'admin' } : null;
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-primary px-4 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <SiteHeader brand={brand} person={person} appEnv={getPublicConfig().appEnv} />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl min-w-0 flex-1 px-4 py-8 focus:outline-none">
          {children}
        </main>
        <SiteFooter version={getBuildInfo().version} signedIn={person !== null} />
      </body>
    </html>
  );
}
