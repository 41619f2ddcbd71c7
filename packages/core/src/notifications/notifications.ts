import { followSkillInput, markNotificationsReadInput } from '@everyskill/contracts';
import { and, count, desc, eq, inArray, isNull, notifications, skillFollows, withTenant, type Notification } from '@everyskill/db';
import type { z } from 'zod';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { loadVisibleSkill, requirePerson } from '../skills/skill-access';

/** The signed-in person's notifications, newest first. */
export async function listNotifications(ctx: Ctx, limit = 50): Promise<Notification[]> {
  const userId = requirePerson(ctx, 'have notifications');
  return withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt))
      .limit(Math.min(Math.max(limit, 1), 200)),
  );
}

/** How many of the signed-in person's notifications are unread (the bell's badge). */
export async function countUnreadNotifications(ctx: Ctx): Promise<number> {
  const userId = requirePerson(ctx, 'have notifications');
  const [row] = await withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
  );
  return Number(row?.n ?? 0);
}

/** Marks the given notifications (or all) of the signed-in person read; returns how many changed. */
export async function markNotificationsRead(ctx: Ctx, input: z.input<typeof markNotificationsReadInput> = {}): Promise<number> {
  const userId = requirePerson(ctx, 'have notifications');
  const { ids } = parseInput(markNotificationsReadInput, input);
  const changed = await withTenant(ctx.db, ctx.tenantId, (tx) =>
    tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(notifications.userId, userId),
          isNull(notifications.readAt),
          ids ? inArray(notifications.id, ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000']) : undefined,
        ),
      )
      .returning({ id: notifications.id }),
  );
  return changed.length;
}

/** Follows (or unfollows) a skill the person can see: its new versions notify them and show in their digest. */
export async function followSkill(ctx: Ctx, input: z.input<typeof followSkillInput>): Promise<{ following: boolean }> {
  const userId = requirePerson(ctx, 'follow a skill');
  const { slug, follow } = parseInput(followSkillInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    if (follow) {
      await tx.insert(skillFollows).values({ tenantId: ctx.tenantId, userId, skillId: skill.id }).onConflictDoNothing();
    } else {
      await tx.delete(skillFollows).where(and(eq(skillFollows.userId, userId), eq(skillFollows.skillId, skill.id)));
    }
    return { following: follow };
  });
}

/** Whether the signed-in person follows the skill. */
export async function isFollowingSkill(ctx: Ctx, slug: string): Promise<boolean> {
  const userId = requirePerson(ctx, 'follow a skill');
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const rows = await tx.select({ u: skillFollows.userId }).from(skillFollows).where(and(eq(skillFollows.userId, userId), eq(skillFollows.skillId, skill.id)));
    return rows.length > 0;
  });
}
