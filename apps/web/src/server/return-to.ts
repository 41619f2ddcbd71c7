import { isAllowedRedirect } from '@everyskill/core/auth/is-allowed-redirect';
import { authSettingsOf, type ServerEnv } from './env';

/** Where to send a person after sign-in: `wanted` when it is a same-site path or a URL of ROOT_DOMAIN's hosts, else '/'. */
export function safeReturnTo(wanted: unknown, env: ServerEnv): string {
  if (typeof wanted !== 'string' || wanted === '') return '/';
  return isAllowedRedirect(wanted, env.ROOT_DOMAIN, authSettingsOf(env).redirectOptions) ? wanted : '/';
}
