import type { SkillListResult } from '@everyskill/contracts';
import Link from '@/components/ui/link';
import { buttonVariants } from '@/components/ui/button';
import { SkillCard } from './skill-card';

/** A page of skills with "Previous / Next" links that keep the current filters. */
export function SkillList({ result, pageHref }: { result: SkillListResult; pageHref: (page: number) => string }) {
  return (
    <section aria-label="Skills" className="flex flex-col gap-4">
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="skill-list">
        {result.items.map((skill) => (
          <SkillCard key={skill.id} skill={skill} />
        ))}
      </ul>
      {result.pageCount > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          {result.page > 1 ? (
            <Link href={pageHref(result.page - 1)} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
              Previous
            </Link>
          ) : (
            <span />
          )}
          <span className="text-muted-foreground">
            Page {result.page} of {result.pageCount} · {result.total} skills
          </span>
          {result.page < result.pageCount ? (
            <Link href={pageHref(result.page + 1)} className={buttonVariants({ variant: 'outline', size: 'sm' })}>
              Next
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : (
        <p className="text-sm text-muted-foreground">
          {result.total} skill{result.total === 1 ? '' : 's'}
        </p>
      )}
    </section>
  );
}
