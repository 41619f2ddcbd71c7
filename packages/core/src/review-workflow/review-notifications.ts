import { and, desc, eq, isNull, reviewNotifications, withTenant, type ReviewNotification } from '@everyskill/db';
import type { Ctx } from '../context';
import { requirePerson } from '../skills/skill-access';

/** The actor's notifications about decisions on their submissions, newest first. */
export async function listReviewNotifications(ctx: Ctx, options: { unreadOnly?: boolean } = {}): Promise<ReviewNotification[]> {
  const me = requirePerson(ctx, 'have notifications');
  return withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .select()
      .from(reviewNotifications)
      .where(and(eq(reviewNotifications.userId, me), options.unreadOnly ? isNull(reviewNotifications.readAt) : undefined))
      .orderBy(desc(reviewNotifications.createdAt))
      .limit(50),
  );
}

/** Marks all of the actor's notifications read. */
export async function markReviewNotificationsRead(ctx: Ctx): Promise<void> {
  const me = requirePerson(ctx, 'have notifications');
  await withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .update(reviewNotifications)
      .set({ readAt: new Date() })
      .where(and(eq(reviewNotifications.userId, me), isNull(reviewNotifications.readAt))),
  );
}
