import { unsubscribeTokenInput } from '@everyskill/contracts';
import { and, eq, memberships, notificationPreferences, tenants, users, withTenant, type Database, type DigestFrequency } from '@everyskill/db';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { AppError } from '../errors';
import { saveDigestFrequency } from '../notifications/notification-settings';
import { parseInput } from '../parse-input';
import { readDigestEnv } from './digest-env';
import { verifyUnsubscribeToken } from './unsubscribe-token';

export interface UnsubscribeTarget {
  tenantName: string;
  email: string;
  digest: DigestFrequency;
}

const INVALID = 'this unsubscribe link is not valid: it may be cut short or from another server; change your digest in Settings › Notifications instead';

async function withTokenTarget<T>(db: Database, input: z.input<typeof unsubscribeTokenInput>, fn: (target: UnsubscribeTarget & { tenantId: string; userId: string }, tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>): Promise<T> {
  const { token } = parseInput(unsubscribeTokenInput, input);
  const env = readDigestEnv();
  const named = verifyUnsubscribeToken(env.tokenSecret, token);
  if (!named) throw new AppError('invalid_input', INVALID);
  return withTenant(db, named.tenantId, async (tx) => {
    const [row] = await tx
      .select({ tenantName: tenants.name, email: users.email, digest: notificationPreferences.digest })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, named.tenantId))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId)))
      .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.tenantId, users.tenantId)))
      .where(eq(users.id, named.userId));
    if (!row) throw new AppError('not_found', 'the person this unsubscribe link was sent to is no longer a member of the workspace');
    return fn({ ...named, tenantName: row.tenantName, email: row.email, digest: row.digest ?? env.defaultFrequency }, tx);
  });
}

/** Who a one-click unsubscribe link is for, without changing anything (the page asks to confirm). */
export async function describeUnsubscribeToken(db: Database, input: z.input<typeof unsubscribeTokenInput>): Promise<UnsubscribeTarget> {
  return withTokenTarget(db, input, async ({ tenantName, email, digest }) => ({ tenantName, email, digest }));
}

/** Turns the digest off for the person a signed link names; no sign-in needed. Audited. */
export async function unsubscribeByToken(db: Database, input: z.input<typeof unsubscribeTokenInput>): Promise<UnsubscribeTarget> {
  return withTokenTarget(db, input, async (target, tx) => {
    await saveDigestFrequency(tx, target.tenantId, target.userId, 'off');
    await recordAudit(tx, {
      tenantId: target.tenantId,
      actor: { kind: 'system', label: 'unsubscribe-link' },
      action: 'notifications.digest_changed',
      targetType: 'user',
      targetId: target.userId,
      details: { digest: 'off', via: 'unsubscribe link', previous: target.digest },
    });
    return { tenantName: target.tenantName, email: target.email, digest: 'off' };
  });
}
