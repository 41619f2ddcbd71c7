'use server';

import { revalidatePath } from 'next/cache';
import { checkTenantIntegrity } from '@everyskill/core/integrity/check-tenant-integrity';
import { rotateSigningKey } from '@everyskill/core/provenance/rotate-signing-key';
import { toActionState, type ActionState } from '@/server/action-state';
import { getBlobStore } from '@/server/api/skills-ctx';
import { requireAdminCtx } from '@/server/session';

const PAGE = '/admin/integrity';

export async function repairIntegrityAction(_state: ActionState, _form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const { repairs } = await checkTenantIntegrity(await requireAdminCtx(PAGE), { repair: true }, getBlobStore());
    revalidatePath(PAGE);
    return `Repaired: ${repairs.countersFixed} counters, ${repairs.referencesDetached} references detached, ${repairs.embeddingsQueued} embeddings queued, ${repairs.orphanBlobsRemoved} bundles removed, ${repairs.attestationsBackfilled} versions signed.`;
  });
}

export async function rotateSigningKeyAction(_state: ActionState, _form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const { current } = await rotateSigningKey(await requireAdminCtx(PAGE));
    revalidatePath(PAGE);
    return `The workspace now signs with key ${current.keyid.slice(0, 16)}; the previous key signed the rotation and stays listed.`;
  });
}
