import { DEVICE_CODE_LIFETIME_SECONDS, DEVICE_POLL_INTERVAL_SECONDS, deviceCodeRequest, type DeviceCodeResponse } from '@everyskill/contracts';
import { cliDeviceAuthorizations, withTenant, type Database } from '@everyskill/db';
import type { z } from 'zod';
import { parseInput } from '../parse-input';
import { generateDeviceCode, generateUserCode, hashDeviceCode } from './device-codes';

/**
 * Starts a sign-in of the `everyskill` command on a tenant's host (RFC 8628, section 3.1): a secret
 * device code for the command to poll with and a short user code for the person to approve at
 * `verificationUri` (`<appUrl>/device`). Nothing is granted until a member approves it.
 */
export async function startDeviceAuthorization(
  db: Database,
  tenantId: string,
  input: z.input<typeof deviceCodeRequest>,
  options: { verificationUri: string; now?: Date },
): Promise<DeviceCodeResponse> {
  const { clientName } = parseInput(deviceCodeRequest, input);
  const now = options.now ?? new Date();
  const deviceCode = generateDeviceCode();
  const userCode = generateUserCode();
  await withTenant(db, tenantId, (tx) =>
    tx.insert(cliDeviceAuthorizations).values({
      tenantId,
      deviceCodeHash: hashDeviceCode(deviceCode),
      userCode,
      clientName,
      intervalSeconds: DEVICE_POLL_INTERVAL_SECONDS,
      expiresAt: new Date(now.getTime() + DEVICE_CODE_LIFETIME_SECONDS * 1000),
      createdAt: now,
    }),
  );
  return {
    deviceCode,
    userCode,
    verificationUri: options.verificationUri,
    verificationUriComplete: `${options.verificationUri}?code=${encodeURIComponent(userCode)}`,
    expiresIn: DEVICE_CODE_LIFETIME_SECONDS,
    interval: DEVICE_POLL_INTERVAL_SECONDS,
  };
}
