import { deviceTokenRequest, type DevicePollError, type DeviceTokenResponse } from '@everyskill/contracts';
import { and, cliDeviceAuthorizations, eq, memberships, users, withTenant } from '@everyskill/db';
import type { z } from 'zod';
import { insertApiKey } from '../api-keys/create-api-key';
import type { Ctx } from '../context';
import { invalidInput } from '../errors';
import { parseInput } from '../parse-input';
import { hashDeviceCode } from './device-codes';

/** How much longer the command must wait after polling too fast (RFC 8628, section 3.5). */
const SLOW_DOWN_STEP_SECONDS = 5;

export type DeviceTokenOutcome = { status: 'approved'; token: DeviceTokenResponse } | { status: DevicePollError };

/**
 * The command's poll (RFC 8628, section 3.4): pending until a member decides, `slow_down` when it
 * polls faster than its interval (which then grows), and once approved, exactly one answer with a
 * new key of the approver's (`skills:read usage:write`, named after the machine, the tenant's
 * lifetime). The code is spent by that answer: a second poll is refused.
 */
export async function redeemDeviceCode(
  db: Ctx['db'],
  tenantId: string,
  input: z.input<typeof deviceTokenRequest>,
  options: { requestId?: string; now?: Date } = {},
): Promise<DeviceTokenOutcome> {
  const { deviceCode } = parseInput(deviceTokenRequest, input);
  const now = options.now ?? new Date();
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(cliDeviceAuthorizations)
      .where(eq(cliDeviceAuthorizations.deviceCodeHash, hashDeviceCode(deviceCode)))
      .for('update');
    if (!row || row.status === 'redeemed') throw invalidInput('this device code is not valid (already used, or never issued): run everyskill login again');
    if (row.expiresAt <= now) return { status: 'expired_token' };
    if (row.status === 'denied') return { status: 'access_denied' };
    if (row.status === 'pending') {
      const tooSoon = row.lastPolledAt !== null && now.getTime() - row.lastPolledAt.getTime() < row.intervalSeconds * 1000;
      await tx
        .update(cliDeviceAuthorizations)
        .set({ lastPolledAt: now, intervalSeconds: tooSoon ? Math.min(row.intervalSeconds + SLOW_DOWN_STEP_SECONDS, 120) : row.intervalSeconds })
        .where(eq(cliDeviceAuthorizations.id, row.id));
      return { status: tooSoon ? 'slow_down' : 'authorization_pending' };
    }
    // Approved: mint the approver's key in this transaction, which also spends the code.
    const userId = row.userId!;
    const [person] = await tx
      .select({ email: users.email, role: memberships.role })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, users.tenantId)))
      .where(eq(users.id, userId));
    if (!person) return { status: 'access_denied' };
    const ctx: Ctx = { tenantId, db, requestId: options.requestId, actor: { kind: 'user', userId, email: person.email, role: person.role } };
    const created = await insertApiKey(tx, ctx, {
      userId,
      name: `everyskill on ${row.clientName}`.slice(0, 80),
      scopes: ['skills:read', 'usage:write'],
      action: 'api_key.created',
    });
    await tx
      .update(cliDeviceAuthorizations)
      .set({ status: 'redeemed', apiKeyId: created.key.id, lastPolledAt: now })
      .where(eq(cliDeviceAuthorizations.id, row.id));
    return {
      status: 'approved',
      token: {
        apiKey: created.secret,
        keyId: created.key.id,
        name: created.key.name,
        scopes: created.key.scopes,
        expiresAt: new Date(created.key.expiresAt).toISOString(),
      },
    };
  });
}
