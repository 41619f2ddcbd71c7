import { buttonVariants } from '@/components/ui/button';

/** Pick any two versions and open their diff (a plain GET form: works without JavaScript). */
export function VersionCompare({ slug, versions }: { slug: string; versions: string[] }) {
  const [newest, previous] = versions;
  const select = 'h-9 rounded-md border bg-background px-2 text-sm font-normal';
  return (
    <form action={`/skills/${slug}/diff`} method="get" className="flex flex-wrap items-end gap-2" aria-label="Compare versions">
      <label className="flex flex-col gap-1 text-sm font-medium">
        From
        <select name="from" defaultValue={previous} className={select}>
          {versions.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        To
        <select name="to" defaultValue={newest} className={select}>
          {versions.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonVariants({ variant: 'outline', size: 'sm' })}>
        Compare
      </button>
    </form>
  );
}
