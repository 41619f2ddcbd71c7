import { errorCodes } from '@everyskill/base/errors';
import { z } from 'zod';

/** Host names under the root domain that are the product's own, never a tenant's. */
export const reservedTenantSlugs: readonly string[] = [
  'www', 'staging', 'api', 'app', 'admin', 'auth', 'login', 'mail', 'static', 'assets', 'cdn', 'status', 'docs', 'help', 'support',
];

/** Tenant slugs are DNS labels: they become `<slug>.<root domain>`. */
export const tenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'slug must be lowercase letters, digits and inner hyphens (a DNS label, at most 63 characters)',
  })
  .refine((slug) => !reservedTenantSlugs.includes(slug), {
    message: `slug is reserved for the product's own host names (${reservedTenantSlugs.join(', ')}); choose another`,
  });

/** A bare host name such as `acme.com` (no scheme, port or path), lowercased. */
export const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  // The last label is a letters-only TLD or an IDN TLD in punycode (xn--…).
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/, {
    message: 'must be a domain name such as example.com (no scheme, port or path)',
  });

export const email = z.string().trim().toLowerCase().email({ message: 'must be an email address' });

export const uuid = z.string().uuid({ message: 'must be a uuid' });

export const roleSchema = z.enum(['admin', 'reviewer', 'member']);
export type Role = z.infer<typeof roleSchema>;

/** The device token endpoint's answers while a sign-in waits (RFC 8628, section 3.5). */
export const deviceWaitingCodes = ['authorization_pending', 'slow_down', 'expired_token', 'access_denied'] as const;
export type DeviceWaitingCode = (typeof deviceWaitingCodes)[number];

/** The one error body every API route returns: an `AppError`'s code (its list lives in base), or a device poll's. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum([...errorCodes, ...deviceWaitingCodes]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
