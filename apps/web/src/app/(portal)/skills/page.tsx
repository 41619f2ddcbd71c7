import { LogInIcon, SearchXIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { SearchForm } from '@/components/layout/search-form';
import { buttonVariants } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Skills', alternates: { canonical: '/skills' } };

export default async function SkillsPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  const query = (Array.isArray(q) ? q[0] : q)?.trim() ?? '';
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <h1 className="text-3xl font-bold tracking-tight">Skills</h1>
        <SearchForm id="skills-search" defaultValue={query} className="sm:w-80" />
      </div>
      {query ? (
        <EmptyState icon={SearchXIcon} title={`No skills match “${query}”`}>
          Nobody has published a skill yet, so there is nothing to search. Sign in and publish the first one.
        </EmptyState>
      ) : (
        <EmptyState
          icon={LogInIcon}
          title="Sign in to see your company's skills"
          action={
            <Link href="/sign-in" className={buttonVariants()}>
              Sign in
            </Link>
          }
        >
          Skills are private to your company. No skills yet — once you are signed in, publish the first one.
        </EmptyState>
      )}
    </div>
  );
}
