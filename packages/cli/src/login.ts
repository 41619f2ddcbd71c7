import { spawn } from 'node:child_process';
import os from 'node:os';
import * as clack from '@clack/prompts';
import pc from 'picocolors';
import { ApiClient } from './api-client';
import { CliError, EXIT } from './cli-error';
import { normalizeOrigin, readCredentials, removeCredential, writeCredentials } from './config-store';
import { writeKeyPin } from './key-pins';
import type { Output } from './output';
import { keyPinForLogin } from './provenance-check';
import { clientFor, type GlobalOptions } from './session';

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number;
}

interface DeviceToken {
  apiKey: string;
  keyId: string;
  name: string;
  scopes: string[];
  expiresAt: string;
}

/**
 * `everyskill login <url>`: the device authorization flow. Reads the workspace's signing keys first
 * (a key change not signed by the pinned key stops here), shows a short code, opens the approval
 * page when it can, polls until the person approves, then stores the key (mode 0600) and pins the
 * workspace's signing key.
 */
export async function login(url: string, options: GlobalOptions & { browser?: boolean; trustNewKey?: boolean }, out: Output): Promise<void> {
  const origin = normalizeOrigin(url);
  const api = new ApiClient({ origin, key: null });
  const { pin, previous } = await keyPinForLogin(api, options);
  const clientName = `${os.hostname() || 'a computer'}`.slice(0, 60);
  const started = await api.post<DeviceCode>('/device/code', { clientName });
  out.note(`To sign in, open ${pc.bold(started.verificationUriComplete)}`);
  out.note(`and check that it shows the code ${pc.bold(started.userCode)} (valid ${Math.round(started.expiresIn / 60)} minutes).`);
  if (options.browser !== false && !out.json && process.stdout.isTTY && !process.env.CI) openBrowser(started.verificationUriComplete);

  const spin = !out.json && process.stderr.isTTY ? clack.spinner({ output: process.stderr }) : null;
  spin?.start('Waiting for the approval');
  let interval = started.interval;
  const deadline = Date.now() + started.expiresIn * 1000;
  try {
    for (;;) {
      await sleep(interval * 1000);
      if (Date.now() > deadline) throw new CliError('expired_token', 'the code expired before it was approved: run everyskill login again', EXIT.auth);
      const { status, body } = await api.postRaw('/device/token', { deviceCode: started.deviceCode });
      if (status === 200) {
        const token = body as DeviceToken;
        const credentials = readCredentials();
        credentials.registries[origin] = { key: token.apiKey, keyId: token.keyId, name: token.name, expiresAt: token.expiresAt };
        credentials.current = origin;
        writeCredentials(credentials);
        writeKeyPin(origin, pin);
        spin?.stop('Approved');
        const repinned = previous !== null && previous.keyid !== pin.keyid;
        out.result(
          { registry: origin, keyName: token.name, scopes: token.scopes, expiresAt: token.expiresAt, signingKey: { tenant: pin.tenant.slug, keyid: pin.keyid, repinned } },
          () => [
            `${pc.green('Signed in')} to ${origin} with the key "${token.name}" (expires ${token.expiresAt.slice(0, 10)}).`,
            `Pinned ${pin.tenant.name}'s signing key ${pin.keyid.slice(0, 12)}${repinned ? ` (replacing ${previous.keyid.slice(0, 12)})` : ''}: every install is verified against it.`,
          ],
        );
        return;
      }
      const code = (body as { error?: { code?: string; message?: string } })?.error?.code;
      if (code === 'authorization_pending') continue;
      if (code === 'slow_down') {
        interval += 5;
        continue;
      }
      if (code === 'access_denied') throw new CliError('access_denied', 'the sign-in was denied on the approval page', EXIT.auth);
      if (code === 'expired_token') throw new CliError('expired_token', 'the code expired before it was approved: run everyskill login again', EXIT.auth);
      const message = (body as { error?: { message?: string } })?.error?.message ?? `the server answered ${status}`;
      throw new CliError(code ?? 'login_failed', message, status === 404 ? EXIT.notFound : EXIT.failure);
    }
  } catch (error) {
    spin?.stop('Not signed in');
    throw error;
  }
}

/** `everyskill logout`: revokes the stored key on the server, then forgets it. */
export async function logout(options: GlobalOptions, out: Output): Promise<void> {
  const api = clientFor(options);
  const stored = readCredentials().registries[api.origin];
  let revoked = false;
  try {
    await api.post('/logout');
    revoked = true;
  } catch (error) {
    // A key the server already refuses is as good as revoked; forget it all the same.
    if (!(error instanceof CliError) || error.exitCode !== EXIT.auth) throw error;
  }
  if (stored) removeCredential(api.origin);
  out.result({ registry: api.origin, revoked, forgotten: Boolean(stored) }, () => [
    revoked ? `Signed out of ${api.origin}: the key was revoked.` : `Signed out of ${api.origin} (the key no longer worked).`,
  ]);
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here: the address printed above is enough.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
