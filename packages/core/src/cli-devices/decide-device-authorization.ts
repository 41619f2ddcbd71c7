import { deviceDecisionInput, deviceUserCode, type DeviceDecisionInput } from '@everyskill/contracts';
import { and, cliDeviceAuthorizations, desc, eq, gt, withTenant, type CliDeviceAuthorization, type Transaction } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { conflict, forbidden, notFound } from '../errors';
import { parseInput } from '../parse-input';

export interface DeviceAuthorizationView {
  userCode: string;
  clientName: string;
  status: CliDeviceAuthorization['status'];
  expiresAt: Date;
  createdAt: Date;
}

const view = (row: CliDeviceAuthorization): DeviceAuthorizationView => ({
  userCode: row.userCode,
  clientName: row.clientName,
  status: row.status,
  expiresAt: row.expiresAt,
  createdAt: row.createdAt,
});

/** The live sign-in request with this user code, for the approval page to show which machine asks. */
export async function getDeviceAuthorization(ctx: Ctx, userCode: string): Promise<DeviceAuthorizationView> {
  const code = parseInput(deviceUserCode, userCode);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => view(await liveRequest(tx, ctx, code)));
}

/**
 * The signed-in person approves (or denies) a sign-in of the command: approved, the command's next
 * poll receives a key of theirs. Only a person in the portal decides; an API key cannot.
 */
export async function decideDeviceAuthorization(ctx: Ctx, input: DeviceDecisionInput): Promise<DeviceAuthorizationView> {
  if (ctx.actor.kind !== 'user') throw forbidden('a sign-in of the everyskill command is approved by a signed-in person in the portal');
  const userId = ctx.actor.userId;
  const { userCode, approve } = parseInput(deviceDecisionInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const row = await liveRequest(tx, ctx, userCode, { forUpdate: true });
    if (row.status !== 'pending') throw conflict(`the code ${userCode} was already ${row.status === 'denied' ? 'denied' : 'approved'}`);
    const status = approve ? 'approved' : 'denied';
    const [decided] = await tx
      .update(cliDeviceAuthorizations)
      .set({ status, userId, decidedAt: new Date() })
      .where(eq(cliDeviceAuthorizations.id, row.id))
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: approve ? 'cli_device.approved' : 'cli_device.denied',
      targetType: 'cli_device_authorization',
      targetId: row.id,
      details: { clientName: row.clientName, userCode },
      requestId: ctx.requestId,
    });
    return view(decided!);
  });
}

async function liveRequest(tx: Transaction, ctx: Ctx, userCode: string, options: { forUpdate?: boolean } = {}) {
  const query = tx
    .select()
    .from(cliDeviceAuthorizations)
    .where(
      and(
        eq(cliDeviceAuthorizations.userCode, userCode),
        gt(cliDeviceAuthorizations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(cliDeviceAuthorizations.createdAt))
    .limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row || row.status === 'redeemed') throw notFound(`a waiting sign-in with the code ${userCode} (it may have expired: run everyskill login again)`);
  return row;
}
