'use server';

import { revalidatePath } from 'next/cache';
import { unstable_rethrow } from 'next/navigation';
import { randomUUID } from 'node:crypto';
import type { CreateApiKeyInput, CreatedApiKey } from '@everyskill/contracts';
import { isAppError } from '@everyskill/core';
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { revokeApiKey } from '@everyskill/core/api-keys/revoke-api-key';
import { rotateApiKey } from '@everyskill/core/api-keys/rotate-api-key';
import { logger } from '@/server/logger';
import { memberCtx, requireMember } from '@/server/session';
import type { KeyActionState } from './_components/api-key-manager';

const PAGE = '/profile/api-keys';

async function keyAction(rotated: boolean, mint: () => Promise<CreatedApiKey>): Promise<KeyActionState> {
  try {
    const { key, secret } = await mint();
    revalidatePath(PAGE);
    return { status: 'created', key, secret, rotated };
  } catch (error) {
    unstable_rethrow(error);
    if (isAppError(error)) return { status: 'error', message: error.message };
    const requestId = randomUUID();
    logger.error('api key action failed', { requestId, error: (error as Error).message });
    return { status: 'error', message: `Something went wrong on our side; please try again (request ${requestId}).` };
  }
}

/** Mints a key for the signed-in person; the secret goes back to the page once. */
export async function createKeyAction(_state: KeyActionState, form: FormData): Promise<KeyActionState> {
  const ctx = await memberCtx(await requireMember(PAGE));
  // createApiKey parses the scopes with their contract and names any unknown one.
  const scopes = form.getAll('scopes').map(String) as CreateApiKeyInput['scopes'];
  return keyAction(false, () => createApiKey(ctx, { name: String(form.get('name') ?? ''), scopes }));
}

/** Replaces one of the person's keys; the old one works 24 more hours. */
export async function rotateKeyAction(_state: KeyActionState, form: FormData): Promise<KeyActionState> {
  const ctx = await memberCtx(await requireMember(PAGE));
  return keyAction(true, () => rotateApiKey(ctx, { keyId: String(form.get('keyId') ?? '') }));
}

/** Revokes a key of the person's (or, for an admin, any key of the workspace) at once. */
export async function revokeKeyAction(keyId: string): Promise<{ ok: boolean; message?: string }> {
  const ctx = await memberCtx(await requireMember(PAGE));
  try {
    await revokeApiKey(ctx, { keyId });
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    unstable_rethrow(error);
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}
