import { DOMAIN_VERIFICATION_PREFIX, DOMAIN_VERIFICATION_VALUE_PREFIX, type TenantDomainKind } from '@everyskill/contracts';
import type { TenantDomain } from '@everyskill/db';

export interface TenantDomainView {
  id: string;
  domain: string;
  kind: TenantDomainKind;
  verifiedAt: Date | null;
  /** The DNS TXT record that proves control of the domain; null once verified. */
  verificationRecord: { name: string; value: string } | null;
}

/** The TXT record a tenant publishes to prove it controls `domain`. */
export function verificationRecordOf(domain: string, token: string): { name: string; value: string } {
  return { name: `${DOMAIN_VERIFICATION_PREFIX}.${domain}`, value: `${DOMAIN_VERIFICATION_VALUE_PREFIX}${token}` };
}

export function toDomainView(row: TenantDomain): TenantDomainView {
  return {
    id: row.id,
    domain: row.domain,
    kind: row.kind,
    verifiedAt: row.verifiedAt,
    verificationRecord: !row.verifiedAt && row.verificationToken ? verificationRecordOf(row.domain, row.verificationToken) : null,
  };
}
