'use server';

import { revalidatePath } from 'next/cache';
import { addTenantDomainInput, tenantDomainIdInput, tenantSettingsInput } from '@everyskill/contracts';
import { parseInput } from '@everyskill/core/parse-input';
import { addTenantDomain } from '@everyskill/core/tenants/add-tenant-domain';
import { systemDnsTxtResolver } from '@everyskill/core/tenants/dns-txt-resolver';
import { removeTenantDomain } from '@everyskill/core/tenants/remove-tenant-domain';
import { updateTenantSettings } from '@everyskill/core/tenants/update-tenant-settings';
import { verifyTenantDomain } from '@everyskill/core/tenants/verify-tenant-domain';
import { toActionState, type ActionState } from '@/server/action-state';
import { readServerEnv } from '@/server/env';
import { requireAdminCtx } from '@/server/session';

const PAGE = '/admin/settings';

export async function updateSettingsAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(tenantSettingsInput, {
      name: form.get('name'),
      logoUrl: form.get('logoUrl'),
      apiKeyExpiryDays: form.get('apiKeyExpiryDays'),
    });
    const { changed } = await updateTenantSettings(await requireAdminCtx(PAGE), input);
    revalidatePath('/', 'layout'); // the name and logo are in every page's header
    return changed.length ? 'Settings saved.' : 'Nothing changed.';
  });
}

export async function addDomainAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(addTenantDomainInput, { domain: form.get('domain'), kind: form.get('kind') });
    const added = await addTenantDomain(await requireAdminCtx(PAGE), input, { rootDomain: readServerEnv().ROOT_DOMAIN });
    revalidatePath(PAGE);
    return `Added ${added.domain}. Publish its DNS TXT record, then press Verify.`;
  });
}

export async function verifyDomainAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(tenantDomainIdInput, { domainId: form.get('domainId') });
    const result = await verifyTenantDomain(await requireAdminCtx(PAGE), input, systemDnsTxtResolver());
    revalidatePath(PAGE);
    if (result.verified) return `${result.domain.domain} is verified.`;
    const found = result.found.length ? `found ${result.found.map((v) => `"${v}"`).join(', ')}` : 'found no TXT record';
    return `Not verified yet: ${result.expected.name} should have the TXT value "${result.expected.value}"; DNS ${found}. DNS changes can take a few minutes.`;
  });
}

export async function removeDomainAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(tenantDomainIdInput, { domainId: form.get('domainId') });
    await removeTenantDomain(await requireAdminCtx(PAGE), input);
    revalidatePath(PAGE);
    return 'Domain removed.';
  });
}
