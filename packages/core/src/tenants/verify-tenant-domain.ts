import { tenantDomainIdInput, type TenantDomainIdInput } from '@everyskill/contracts';
import { and, eq, tenantDomains, withTenant } from '@everyskill/db';
import { isUniqueViolation } from '../db-errors';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { AppError, conflict, notFound } from '../errors';
import { requireAdmin } from '../members/require-admin';
import { parseInput } from '../parse-input';
import { toDomainView, verificationRecordOf, type TenantDomainView } from './domain-view';
import type { DnsTxtResolver } from './dns-txt-resolver';

export type DomainVerification =
  | { verified: true; domain: TenantDomainView }
  | { verified: false; domain: TenantDomainView; expected: { name: string; value: string }; found: string[] };

/** Checks the domain's DNS TXT record for its token; marks it verified (and audits) when present. */
export async function verifyTenantDomain(
  ctx: Ctx,
  input: TenantDomainIdInput,
  resolver: DnsTxtResolver,
): Promise<DomainVerification> {
  const { domainId } = parseInput(tenantDomainIdInput, input);
  const read = () =>
    withTenant(ctx.db, ctx.tenantId, async (tx) => {
      await requireAdmin(tx, ctx, 'verify domains');
      const [row] = await tx
        .select()
        .from(tenantDomains)
        .where(and(eq(tenantDomains.id, domainId), eq(tenantDomains.tenantId, ctx.tenantId)));
      if (!row) throw notFound('that domain of this workspace');
      return row;
    });
  const row = await read();
  if (row.verifiedAt || !row.verificationToken) return { verified: true, domain: toDomainView(row) };
  const expected = verificationRecordOf(row.domain, row.verificationToken);
  // The DNS question runs outside any transaction: no connection is held while it waits.
  let found: string[];
  try {
    found = await resolver.resolveTxt(expected.name);
  } catch (error) {
    throw new AppError('unavailable', `could not look up ${expected.name} in DNS (${(error as Error).message}); try again in a minute`);
  }
  if (!found.some((value) => value.trim() === expected.value)) {
    return { verified: false, domain: toDomainView(row), expected, found };
  }
  try {
    return await markVerified(ctx, row, domainId, expected);
  } catch (error) {
    // Another workspace verified the same domain first: it is theirs.
    if (isUniqueViolation(error)) throw conflict(`${row.domain} was verified by another workspace; contact support if it is yours`);
    throw error;
  }
}

async function markVerified(
  ctx: Ctx,
  row: { domain: string; verificationToken: string | null },
  domainId: string,
  expected: { name: string; value: string },
): Promise<DomainVerification> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'verify domains');
    const [updated] = await tx
      .update(tenantDomains)
      .set({ verifiedAt: new Date() })
      .where(and(eq(tenantDomains.id, domainId), eq(tenantDomains.verificationToken, row.verificationToken!)))
      .returning();
    if (!updated) throw notFound('that domain of this workspace');
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'tenant.domain_verified',
      targetType: 'tenant_domain',
      targetId: updated.id,
      details: { domain: updated.domain, kind: updated.kind, record: expected.name },
      requestId: ctx.requestId,
    });
    return { verified: true, domain: toDomainView(updated) };
  });
}
