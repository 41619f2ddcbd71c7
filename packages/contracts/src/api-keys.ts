import { z } from 'zod';
import { uuid } from './common';
import type { Role } from './common';

/** What a key may do. `admin` acts as a workspace admin: the tenant's settings, other people's keys and other people's skills. */
export const apiKeyScopes = ['skills:read', 'skills:publish', 'usage:write', 'admin'] as const;
export const apiKeyScope = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof apiKeyScope>;

/** The scopes each role may put on a key it mints; the role is checked again on every request. */
export const scopesAllowedForRole: Record<Role, readonly ApiKeyScope[]> = {
  admin: apiKeyScopes,
  reviewer: ['skills:read', 'skills:publish', 'usage:write'],
  member: ['skills:read', 'skills:publish', 'usage:write'],
};

/** `rlk_` + 43 base62 characters (32 random bytes, 256 bits). */
export const API_KEY_PREFIX = 'rlk_';
export const API_KEY_BODY_LENGTH = 43;
export const apiKeyPattern = /^rlk_[0-9A-Za-z]{43}$/;

/** How long a rotated key keeps working next to its replacement. */
export const API_KEY_ROTATION_GRACE_HOURS = 24;

export const createApiKeyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name must not be empty; say where the key is used, e.g. "laptop claude code"')
    .max(100, 'name must be at most 100 characters'),
  scopes: z
    .array(apiKeyScope)
    .min(1, 'choose at least one scope')
    .transform((scopes) => [...new Set(scopes)].sort()),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

export const apiKeyIdInput = z.object({ keyId: uuid });
export type ApiKeyIdInput = z.input<typeof apiKeyIdInput>;

/** A key as people and agents see it: never the secret, only its display prefix. */
export const apiKeyView = z.object({
  id: uuid,
  name: z.string(),
  displayPrefix: z.string(),
  scopes: z.array(apiKeyScope),
  userId: uuid,
  ownerEmail: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  rotatedFromId: uuid.nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

/** What minting or rotating returns: the key's view and, this once, its secret. */
export const createdApiKey = z.object({ key: apiKeyView, secret: z.string().regex(apiKeyPattern) });
export type CreatedApiKey = z.infer<typeof createdApiKey>;
