import { cn } from '@/lib/utils';

/** The tenant's logo when it has one, else its initial on a tile; decorative next to its name. */
export function TenantMark({ name, logoUrl, className }: { name: string; logoUrl: string | null; className?: string }) {
  if (logoUrl) {
    // eslint-disable-next-line @next/next/no-img-element -- tenant logos live on arbitrary hosts
    return <img src={logoUrl} alt="" className={cn('size-8 rounded-md object-contain', className)} />;
  }
  return (
    <span
      aria-hidden
      className={cn(
        'flex size-8 items-center justify-center rounded-md bg-primary text-sm font-bold text-primary-foreground',
        className,
      )}
    >
      {name.trim().charAt(0).toUpperCase() || 'E'}
    </span>
  );
}
