import {
  and,
  digestDeliveries,
  digestRuns,
  eq,
  memberships,
  notificationPreferences,
  sql,
  tenants,
  users,
  withTenant,
} from '@everyskill/db';
import { isQuietDigest, renderDigestEmail, type Mailer } from '@everyskill/email';
import type { JobContext } from '@everyskill/jobs';
import type { z } from 'zod';
import { buildDigestContent } from './build-digest-content';
import { readDigestEnv } from './digest-env';
import type { sendDigestPayload } from './digest-jobs';
import { periodLabel } from './digest-period';
import { signUnsubscribeToken } from './unsubscribe-token';

export type SendDigestOutcome = 'sent' | 'already-sent' | 'skipped';

/**
 * Sends one delivery. The row is locked for the whole send and marked sent in the same
 * transaction, so a duplicate job (or a second worker) waits, then finds it sent and stops. An
 * SMTP failure rolls back, records the attempt, and rethrows for the queue to retry.
 */
export async function sendDigest(
  payload: z.output<typeof sendDigestPayload>,
  job: Pick<JobContext, 'db' | 'isFinalAttempt'>,
  deps: { mailer: Mailer },
): Promise<SendDigestOutcome> {
  const env = readDigestEnv();
  const { tenantId, deliveryId } = payload;
  try {
    return await withTenant(job.db, tenantId, async (tx) => {
      const [delivery] = await tx.select().from(digestDeliveries).where(eq(digestDeliveries.id, deliveryId)).for('update');
      if (!delivery) return 'skipped';
      if (delivery.status === 'sent') return 'already-sent';
      // digest_runs and tenants are readable by the app role whatever the tenant (no tenant data in them).
      const [runOfDelivery] = await tx.select().from(digestRuns).where(eq(digestRuns.id, delivery.runId));
      const [tenant] = await tx
        .select({ name: tenants.name, slug: tenants.slug, status: tenants.status })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      const [person] = await tx
        .select({ name: users.name, email: users.email, role: memberships.role, status: memberships.status, digest: notificationPreferences.digest })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId)))
        .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.tenantId, users.tenantId)))
        .where(eq(users.id, delivery.userId));
      const skip = async (reason: string) => {
        await tx.update(digestDeliveries).set({ status: 'skipped', lastError: reason }).where(eq(digestDeliveries.id, deliveryId));
        return 'skipped' as const;
      };
      // Preferences and memberships can change between planning and sending: the latest word counts.
      if (!runOfDelivery || !tenant) return skip('the run or the workspace is gone');
      if (tenant.status !== 'active') return skip('the workspace was switched off');
      if (!person || person.status !== 'active') return skip('no longer an active member');
      if ((person.digest ?? env.defaultFrequency) !== runOfDelivery.kind) return skip(`digest is now ${person.digest ?? env.defaultFrequency}`);

      const origin = env.tenantOrigin(tenant.slug);
      const sections = await buildDigestContent(tx, {
        userId: delivery.userId,
        role: person.role,
        windowStart: runOfDelivery.windowStart,
        windowEnd: runOfDelivery.windowEnd,
        limit: env.itemsPerSection,
        origin,
      });
      const unsubscribeUrl = `${env.appUrl}/unsubscribe?token=${signUnsubscribeToken(env.tokenSecret, tenantId, delivery.userId)}`;
      const props = {
        kind: runOfDelivery.kind,
        tenantName: tenant.name,
        recipientName: person.name ?? person.email,
        periodLabel: periodLabel(runOfDelivery),
        appUrl: origin,
        ...sections,
        preferencesUrl: `${origin}/settings/notifications`,
        unsubscribeUrl,
      };
      if (env.skipEmpty && isQuietDigest(props)) return skip('nothing new in the period (DIGEST_SKIP_EMPTY)');
      const mail = await renderDigestEmail(props);
      const { messageId } = await deps.mailer.send({
        to: person.email,
        ...mail,
        headers: {
          // RFC 8058 one-click unsubscribe: mail clients POST to this URL.
          'List-Unsubscribe': `<${env.appUrl}/unsubscribe/one-click?token=${unsubscribeUrl.split('token=')[1]}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-EverySkill-Digest': `${runOfDelivery.kind} ${runOfDelivery.period}`,
        },
      });
      await tx
        .update(digestDeliveries)
        .set({ status: 'sent', messageId, sentAt: new Date(), attempts: sql`${digestDeliveries.attempts} + 1`, lastError: null })
        .where(eq(digestDeliveries.id, deliveryId));
      return 'sent';
    });
  } catch (error) {
    const message = (error as Error).message.slice(0, 1000);
    await withTenant(job.db, tenantId, (tx) =>
      tx
        .update(digestDeliveries)
        .set({ attempts: sql`${digestDeliveries.attempts} + 1`, lastError: message, status: job.isFinalAttempt ? 'failed' : 'queued' })
        .where(and(eq(digestDeliveries.id, deliveryId), sql`${digestDeliveries.status} <> 'sent'`)),
    );
    throw error;
  }
}
