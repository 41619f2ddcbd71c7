import { withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { requireAdmin } from '../members/require-admin';
import { runIntegrityCheck, type IntegrityBlobStore } from './check-integrity';
import type { IntegrityReport } from './integrity-report';

/** The integrity check of the admin's own workspace (the page); repair is audited under the admin's name. */
export async function checkTenantIntegrity(ctx: Ctx, input: { repair: boolean }, blobs: IntegrityBlobStore): Promise<IntegrityReport> {
  await withTenant(ctx.db, ctx.tenantId, (tx) => requireAdmin(tx, ctx, input.repair ? 'repair the workspace' : 'check the workspace'));
  return runIntegrityCheck(ctx.db, { blobs, repair: input.repair, actor: ctx.actor, tenantId: ctx.tenantId, requestId: ctx.requestId });
}
