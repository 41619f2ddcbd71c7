import type { Metadata } from 'next';
import { getTenantSettings } from '@everyskill/core/tenants/get-tenant-settings';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getAdminCtx } from '@/server/session';
import { addDomainAction, removeDomainAction, updateSettingsAction, verifyDomainAction } from './actions';
import { DomainList } from './_components/domain-list';
import { SettingsForm } from './_components/settings-form';

export const metadata: Metadata = { title: 'Workspace settings' };

/** The workspace's name, logo, API-key lifetime and domains; admins only. */
export default async function SettingsPage() {
  const ctx = await getAdminCtx('/admin/settings');
  if (!ctx) return null; // the admin layout explains
  const settings = await getTenantSettings(ctx);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Workspace settings</h1>
      <Card>
        <CardHeader>
          <CardTitle as="h2">General</CardTitle>
          <CardDescription>
            The workspace&apos;s address is <code className="font-mono">{settings.slug}</code>; ask the EverySkill operator to change it.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SettingsForm settings={settings} action={updateSettingsAction} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Domains</CardTitle>
          <CardDescription>
            People whose email is at a verified email domain may sign in. A verified vanity domain serves this portal at its own
            address. New domains need a DNS TXT record to prove your company controls them.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DomainList
            domains={settings.domains.map((d) => ({ id: d.id, domain: d.domain, kind: d.kind, verified: d.verifiedAt !== null, record: d.verificationRecord }))}
            add={addDomainAction}
            verify={verifyDomainAction}
            remove={removeDomainAction}
          />
        </CardContent>
      </Card>
    </div>
  );
}
