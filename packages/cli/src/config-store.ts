import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from './cli-error';

/**
 * Where the command keeps its sign-in: `$EVERYSKILL_CONFIG_DIR`, else the platform's user config
 * folder (`$XDG_CONFIG_HOME` or `~/.config` on Linux and macOS, `%APPDATA%` on Windows) + `everyskill`.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVERYSKILL_CONFIG_DIR) return path.resolve(env.EVERYSKILL_CONFIG_DIR);
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'everyskill');
  return path.join(env.XDG_CONFIG_HOME || path.join(homeDir(env), '.config'), 'everyskill');
}

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

const credential = z.object({
  key: z.string().startsWith('rlk_'),
  keyId: z.string(),
  name: z.string(),
  expiresAt: z.string(),
});
export type Credential = z.infer<typeof credential>;

const credentialsFile = z.object({
  /** The registry used when nothing names one (the last signed in to). */
  current: z.string().nullable(),
  registries: z.record(z.string(), credential),
});
type CredentialsFile = z.infer<typeof credentialsFile>;

const credentialsPath = () => path.join(configDir(), 'credentials.json');

export function readCredentials(): CredentialsFile {
  return readConfigFile(credentialsPath(), credentialsFile, { current: null, registries: {} }, () =>
    new CliError('credentials_invalid', `${credentialsPath()} is not a valid sign-in file; delete it and run everyskill login again`, EXIT.lockfile),
  );
}

/** Writes the sign-in file readable by its owner only (0600), replacing it in one rename. */
export function writeCredentials(file: CredentialsFile): void {
  writeConfigFile(credentialsPath(), file);
}

/** A JSON file of the config folder: `empty` when it does not exist, `invalid()` thrown when it does not parse. */
export function readConfigFile<T>(file: string, schema: z.ZodType<T>, empty: T, invalid: () => CliError): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return empty;
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw invalid();
  }
}

/** Writes a JSON file of the config folder readable by its owner only (0600), replacing it in one rename. */
export function writeConfigFile(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(staged, 0o600);
  renameSync(staged, file);
}

export function removeCredential(origin: string): void {
  const file = readCredentials();
  if (!file.registries[origin]) return;
  delete file.registries[origin];
  if (file.current === origin) file.current = Object.keys(file.registries)[0] ?? null;
  if (Object.keys(file.registries).length === 0) rmSync(credentialsPath(), { force: true });
  else writeCredentials(file);
}

/** `https://Acme.example.com/anything` → `https://acme.example.com`; refuses what is not an http(s) URL. */
export function normalizeOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new CliError('usage', `'${raw}' is not a server address; give one like https://acme.skills.example.com`, EXIT.usage);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CliError('usage', `'${raw}' must be an http(s) address`, EXIT.usage);
  }
  return url.origin;
}
