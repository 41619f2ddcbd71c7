import { z } from 'zod';
import { domainName, uuid } from './common';

/** `email` domains decide who may sign in; `vanity` domains serve a tenant's portal on its own host. */
export const tenantDomainKind = z.enum(['email', 'vanity']);
export type TenantDomainKind = z.infer<typeof tenantDomainKind>;

const logoUrl = z
  .string()
  .trim()
  .max(2000, 'logo URL must be at most 2000 characters')
  .refine((v) => v === '' || /^https:\/\/[^\s/?#]+[^\s]*$/i.test(v), {
    message: 'logo URL must be an https:// address of an image, or empty for none',
  })
  .transform((v) => (v === '' ? null : v));

/** The settings a tenant admin may change (slug and status are operator-only, see the admin CLI). */
export const tenantSettingsInput = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
  logoUrl: logoUrl.nullish().transform((v) => v ?? null),
  apiKeyExpiryDays: z.coerce
    .number({ error: 'API-key expiry must be a whole number of days' })
    .int('API-key expiry must be a whole number of days')
    .min(1, 'API-key expiry must be at least 1 day')
    .max(3650, 'API-key expiry must be at most 3650 days (10 years)'),
});
export type TenantSettingsInput = z.input<typeof tenantSettingsInput>;

export const addTenantDomainInput = z.object({
  domain: domainName,
  kind: tenantDomainKind,
});
export type AddTenantDomainInput = z.input<typeof addTenantDomainInput>;

export const tenantDomainIdInput = z.object({ domainId: uuid });
export type TenantDomainIdInput = z.input<typeof tenantDomainIdInput>;

/** Where the DNS TXT record proving control of a domain lives, and what it must say. */
export const DOMAIN_VERIFICATION_PREFIX = '_everyskill';
export const DOMAIN_VERIFICATION_VALUE_PREFIX = 'everyskill-verification=';
