import { ApiClient } from './api-client';
import { CliError, EXIT } from './cli-error';
import { normalizeOrigin, readCredentials } from './config-store';

export interface GlobalOptions {
  json?: boolean;
  key?: string;
  registry?: string;
  global?: boolean;
  dir?: string;
}

/**
 * A client for a registry: the one named (`--registry`, `EVERYSKILL_REGISTRY`, or a lockfile
 * entry's), else the last signed in to; the key from `--key`, `EVERYSKILL_TOKEN`, or the stored sign-in.
 */
export function clientFor(options: GlobalOptions, origin?: string): ApiClient {
  const credentials = readCredentials();
  const named = options.registry ?? process.env.EVERYSKILL_REGISTRY ?? origin ?? credentials.current;
  if (!named) throw new CliError('not_signed_in', 'not signed in: run everyskill login <server address>, or pass --registry and --key', EXIT.auth);
  const registry = normalizeOrigin(named);
  const key = options.key ?? process.env.EVERYSKILL_TOKEN ?? credentials.registries[registry]?.key ?? null;
  if (!key) throw new CliError('not_signed_in', `not signed in to ${registry}: run everyskill login ${registry}, or pass --key`, EXIT.auth);
  if (!key.startsWith('rlk_')) throw new CliError('usage', 'the key must be an EverySkill API key (rlk_…)', EXIT.usage);
  return new ApiClient({ origin: registry, key });
}
