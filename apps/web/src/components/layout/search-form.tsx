import { SearchIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';

/**
 * A plain GET form to /search?q=… (hybrid search results): works before (and without) JavaScript.
 * `landmark` names its search landmark when a page has more than one (the header's is "Site search").
 */
export function SearchForm({ id, defaultValue, className, landmark }: { id: string; defaultValue?: string; className?: string; landmark?: string }) {
  return (
    <form action="/search" method="get" role="search" aria-label={landmark} className={cn('relative flex items-center', className)}>
      <label htmlFor={id} className="sr-only">
        Search skills
      </label>
      <SearchIcon className="pointer-events-none absolute left-2.5 size-4 text-muted-foreground" aria-hidden />
      <Input id={id} name="q" type="search" placeholder="Search skills…" defaultValue={defaultValue} className="pl-8" />
    </form>
  );
}
