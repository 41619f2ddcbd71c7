import { skillCategoryLabels, type SearchHit } from '@everyskill/contracts';
import Link from '@/components/ui/link';
import { Badge } from '@/components/ui/badge';

const matchLabels: Record<SearchHit['matchedBy'][number], string> = {
  name: 'name',
  keyword: 'words',
  semantic: 'meaning',
  typo: 'spelling',
};

/**
 * One result: name, highlighted snippet (text pieces rendered as text, the query's words in
 * <mark>), category and tags. The link goes through /search/open so the click is counted.
 */
export function SearchResultItem({ hit, queryId }: { hit: SearchHit; queryId: string | null }) {
  const { skill } = hit;
  const href = queryId
    ? `/search/open?${new URLSearchParams({ query: queryId, skill: skill.id, position: String(hit.position), slug: skill.slug })}`
    : `/skills/${skill.slug}`;
  return (
    <li className="rounded-lg border p-4" data-testid="search-result">
      <div className="flex flex-wrap items-baseline gap-2">
        <Link href={href} className="text-lg font-semibold underline-offset-4 hover:underline" prefetch={false}>
          {skill.name}
        </Link>
        {skill.status === 'deprecated' ? <Badge variant="outline">deprecated</Badge> : null}
        <span className="text-xs text-muted-foreground">
          matched by {hit.matchedBy.map((m) => matchLabels[m]).join(' + ')}
        </span>
      </div>
      <p className="mt-1 text-sm text-muted-foreground" data-testid="search-snippet">
        {hit.snippet.map((part, i) =>
          part.match ? (
            <mark key={i} className="rounded-sm bg-yellow-200/70 px-0.5 text-foreground dark:bg-yellow-500/30">
              {part.text}
            </mark>
          ) : (
            <span key={i}>{part.text}</span>
          ),
        )}
      </p>
      <div className="mt-2 flex flex-wrap gap-1">
        <Badge variant="secondary">{skillCategoryLabels[skill.category]}</Badge>
        {skill.tags.map((tag) => (
          <Badge key={tag} variant="outline">
            {tag}
          </Badge>
        ))}
      </div>
    </li>
  );
}
