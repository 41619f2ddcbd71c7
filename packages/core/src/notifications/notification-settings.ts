import { setDigestFrequencyInput } from '@everyskill/contracts';
import { notificationPreferences, eq, withTenant, type DigestFrequency } from '@everyskill/db';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { readDigestEnv } from '../digests/digest-env';
import { parseInput } from '../parse-input';
import { requirePerson } from '../skills/skill-access';

export interface NotificationSettings {
  digest: DigestFrequency;
  /** True while the person has never chosen (the server's DIGEST_DEFAULT_FREQUENCY applies). */
  isDefault: boolean;
}

/** The signed-in person's digest frequency. */
export async function getNotificationSettings(ctx: Ctx): Promise<NotificationSettings> {
  const userId = requirePerson(ctx, 'have notification settings');
  const [row] = await withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .select({ digest: notificationPreferences.digest })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId)),
  );
  return row ? { digest: row.digest, isDefault: false } : { digest: readDigestEnv().defaultFrequency, isDefault: true };
}

/** Sets how often the signed-in person gets the digest (off, daily, weekly), with an audit entry. */
export async function setDigestFrequency(ctx: Ctx, input: z.input<typeof setDigestFrequencyInput>): Promise<NotificationSettings> {
  const userId = requirePerson(ctx, 'change notification settings');
  const { digest } = parseInput(setDigestFrequencyInput, input);
  await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await saveDigestFrequency(tx, ctx.tenantId, userId, digest);
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'notifications.digest_changed',
      targetType: 'user',
      targetId: userId,
      details: { digest },
      requestId: ctx.requestId,
    });
  });
  return { digest, isDefault: false };
}

/** Upserts a person's digest frequency inside the caller's transaction. */
export async function saveDigestFrequency(
  tx: Parameters<Parameters<typeof withTenant>[2]>[0],
  tenantId: string,
  userId: string,
  digest: DigestFrequency,
): Promise<void> {
  await tx
    .insert(notificationPreferences)
    .values({ tenantId, userId, digest })
    .onConflictDoUpdate({ target: [notificationPreferences.tenantId, notificationPreferences.userId], set: { digest, updatedAt: new Date() } });
}
