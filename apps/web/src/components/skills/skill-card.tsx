import { skillCategoryLabels, type SkillSummary } from '@everyskill/contracts';
import { DownloadIcon, GitForkIcon, LockIcon, PlayIcon, StarIcon } from '@/components/ui/icons';
import Link from '@/components/ui/link';
import { Badge } from '@/components/ui/badge';

export const personName = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : 'a former member');

/** A skill in a list: name, description, author, category, tags and its counters. */
export function SkillCard({ skill }: { skill: SkillSummary }) {
  return (
    <li className="flex flex-col gap-2 rounded-lg border p-4" data-testid={`skill-card-${skill.slug}`}>
      <div className="flex flex-wrap items-baseline gap-2">
        <Link href={`/skills/${skill.slug}`} className="font-semibold underline-offset-4 hover:underline">
          {skill.name}
        </Link>
        {skill.latestVersion ? <span className="text-xs text-muted-foreground">v{skill.latestVersion}</span> : null}
        {skill.visibility === 'private' ? (
          <Badge variant="outline">
            <LockIcon aria-hidden className="size-3" /> private
          </Badge>
        ) : null}
        {skill.visibility === 'public' ? <Badge variant="outline">public</Badge> : null}
      </div>
      <p className="line-clamp-3 text-sm text-muted-foreground">{skill.description}</p>
      {skill.forkedFrom ? (
        <p className="flex items-center gap-1 text-xs text-muted-foreground">
          <GitForkIcon aria-hidden className="size-3" /> variation of{' '}
          <Link href={`/skills/${skill.forkedFrom.slug}`} className="underline underline-offset-2">
            {skill.forkedFrom.name}
          </Link>
        </p>
      ) : null}
      <div className="mt-auto flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
        <Link href={`/skills?category=${skill.category}`} className="hover:underline">
          {skillCategoryLabels[skill.category]}
        </Link>
        {skill.tags.slice(0, 5).map((tag) => (
          <Link key={tag} href={`/skills?tag=${encodeURIComponent(tag)}`}>
            <Badge variant="secondary">{tag}</Badge>
          </Link>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3 text-xs text-muted-foreground">
        <span>by {personName(skill.author)}</span>
        <span className="flex items-center gap-1" title="uses">
          <PlayIcon aria-hidden className="size-3" /> {skill.usesCount} <span className="sr-only">uses</span>
        </span>
        <span className="flex items-center gap-1" title="installs">
          <DownloadIcon aria-hidden className="size-3" /> {skill.installsCount} <span className="sr-only">installs</span>
        </span>
        <span className="flex items-center gap-1" title="rating">
          <StarIcon aria-hidden className="size-3" />
          {skill.ratingCount > 0 ? `${skill.ratingAvg.toFixed(1)} (${skill.ratingCount})` : 'no ratings'}
        </span>
      </div>
    </li>
  );
}
