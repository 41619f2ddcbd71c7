import { generateSigningKey, signKeyRotation } from '@everyskill/provenance';
import { eq, tenants, tenantSigningKeys, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { requireAdmin } from '../members/require-admin';
import { appendProvenanceEntry } from './provenance-log';
import { insertSigningKey, lockCurrentSigningKey, publicKeyEntryOf } from './signing-keys';

/**
 * Replaces the workspace's signing key (an admin's act): the previous key signs a rotation
 * statement naming the new one, stops being valid at that moment and stays listed, so everything
 * it signed before still verifies. The rotation is appended to the log and audited.
 */
export async function rotateSigningKey(ctx: Ctx) {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, "rotate the workspace's signing key");
    const previous = await lockCurrentSigningKey(tx, ctx.tenantId);
    const [tenant] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, ctx.tenantId));
    const rotatedAt = new Date(Math.max(Date.now(), previous.row.validFrom.getTime()));
    const next = generateSigningKey();
    const rotation = signKeyRotation(
      { tenant: { id: ctx.tenantId, slug: tenant!.slug }, previousKeyid: previous.keyid, newKeyid: next.keyid, newPublicKeyPem: next.publicKeyPem, rotatedAt: rotatedAt.toISOString() },
      previous.privateKey,
    );
    await tx.update(tenantSigningKeys).set({ validUntil: rotatedAt }).where(eq(tenantSigningKeys.id, previous.row.id));
    const row = await insertSigningKey(tx, ctx.tenantId, rotatedAt, rotation, next);
    if (!row) throw new Error('the new signing key could not be stored');
    await appendProvenanceEntry(tx, ctx.tenantId, { kind: 'key-rotation', envelope: rotation, keyid: previous.keyid });
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'provenance.key_rotated',
      targetType: 'tenant',
      targetId: ctx.tenantId,
      details: { previousKeyid: previous.keyid, newKeyid: next.keyid },
      requestId: ctx.requestId,
    });
    return { previous: publicKeyEntryOf({ ...previous.row, validUntil: rotatedAt }), current: publicKeyEntryOf(row) };
  });
}
