import path from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from './cli-error';
import { configDir, readConfigFile, writeConfigFile } from './config-store';

// The workspace keys the command trusts, one per registry: pinned at sign-in (or at first use with a
// key given by --key / EVERYSKILL_TOKEN), moved on only through a rotation signed by the pinned key.
// Kept apart from the credentials: a pin outlives a logout, so signing in again cannot swap the key.

const keyid = z.string().regex(/^[0-9a-f]{64}$/);

const pin = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  /** The workspace's current key when it was pinned (or reached by a signed rotation since). */
  keyid,
  pinnedAt: z.string(),
});
export type KeyPin = z.infer<typeof pin>;

const pinsFile = z.object({ registries: z.record(z.string(), pin) });
type PinsFile = z.infer<typeof pinsFile>;

const pinsPath = () => path.join(configDir(), 'pinned-keys.json');

export function readKeyPins(): PinsFile {
  return readConfigFile(pinsPath(), pinsFile, { registries: {} }, () =>
    new CliError('pins_invalid', `${pinsPath()} is not a valid file of pinned keys; delete it and run everyskill login again`, EXIT.lockfile),
  );
}

/** Records the key pinned for a registry, replacing the file in one rename. */
export function writeKeyPin(origin: string, value: KeyPin): void {
  const file = readKeyPins();
  file.registries[origin] = value;
  writeConfigFile(pinsPath(), file);
}
