import type { VersionSafety } from '@everyskill/contracts';
import { AppError } from '../../errors';

/**
 * Refuses a version whose safety scan blocks it and that no admin has released: agents (REST, MCP,
 * downloads) never receive it. A version scanned as blocked exists only after a rescan under newer
 * rules, since a publish with a blocking finding is refused.
 */
export function assertReleasedForAgents(slug: string, version: string, safety: Pick<VersionSafety, 'verdict' | 'override' | 'rulesVersion'> | null): void {
  if (safety?.verdict !== 'blocked' || safety.override) return;
  throw new AppError(
    'forbidden',
    `version ${version} of '${slug}' is withheld: the safety scan (rules ${safety.rulesVersion}) blocks it; its page lists the findings, and a workspace admin must review it before agents can use it`,
    { reason: 'safety-blocked', slug, version, rulesVersion: safety.rulesVersion },
  );
}
