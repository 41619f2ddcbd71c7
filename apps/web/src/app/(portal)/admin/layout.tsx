import Link from '@/components/ui/link';
import { forbidden } from 'next/navigation';
import type { ReactNode } from 'react';
import { requireMember } from '@/server/session';

const tabs = [
  { href: '/admin/members', label: 'Members' },
  { href: '/admin/settings', label: 'Settings' },
  { href: '/admin/search', label: 'Search' },
  { href: '/admin/usage', label: 'Usage' },
  { href: '/admin/reviews', label: 'Review workflow' },
  { href: '/admin/jobs', label: 'Jobs' },
  { href: '/admin/integrity', label: 'Integrity' },
];

/** Admin pages: only a workspace's active admins get past this layout. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const member = await requireMember('/admin');
  // 403, not a 200 page saying so: the status is what monitors, crawlers and tests read.
  if (member.role !== 'admin') forbidden();
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <p className="text-sm font-medium text-muted-foreground">{member.tenant.name}</p>
        <nav aria-label="Administration">
          <ul className="flex flex-wrap gap-x-4 border-b text-sm font-medium">
            {tabs.map((tab) => (
              <li key={tab.href}>
                <Link href={tab.href} className="-mb-px block border-b-2 border-transparent py-2 hover:border-border">
                  {tab.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {children}
    </div>
  );
}
