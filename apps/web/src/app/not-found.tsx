import { CompassIcon } from '@/components/ui/icons';
import Link from '@/components/ui/link';
import { EmptyState } from '@/components/empty-state';
import { buttonVariants } from '@/components/ui/button';

export default function NotFound() {
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Page not found</h1>
      <EmptyState
        icon={CompassIcon}
        title="Nothing at this address"
        action={
          <Link href="/" className={buttonVariants({ variant: 'outline' })}>
            Go to the home page
          </Link>
        }
      >
        The page or company you asked for does not exist here. Check the address, or start again from the home page.
      </EmptyState>
    </div>
  );
}
