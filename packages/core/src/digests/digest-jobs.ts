import { defineJobType } from '@everyskill/jobs';
import { z } from 'zod';
import { readDigestEnv } from './digest-env';

export const planDigestPayload = z.object({ runId: z.uuid() });
export const sendDigestPayload = z.object({ tenantId: z.uuid(), deliveryId: z.uuid() });

/** Fans a digest run out: one delivery row and one send job per subscribed person of every tenant. */
export function planDigestJobType() {
  return defineJobType({ name: 'digest.plan', payload: planDigestPayload, retry: { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 900 } });
}

/** Sends one person's digest; an SMTP failure is retried (DIGEST_RETRY_LIMIT / DIGEST_RETRY_DELAY_SECONDS). */
export function sendDigestJobType() {
  const env = readDigestEnv();
  return defineJobType({
    name: 'digest.send',
    payload: sendDigestPayload,
    retry: { retryLimit: env.retryLimit, retryDelaySeconds: env.retryDelaySeconds, retryBackoff: true, expireInSeconds: 300 },
  });
}
