import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { scopesAllowedForRole } from '@everyskill/contracts';
import { apiKeyLifetimeDays, listApiKeys } from '@everyskill/core/api-keys/list-api-keys';
import { readServerEnv } from '@/server/env';
import { memberCtx, requireMember } from '@/server/session';
import { createKeyAction, revokeKeyAction, rotateKeyAction } from './actions';
import { ApiKeyManager } from './_components/api-key-manager';
import { CliInstall } from './_components/cli-install';

export const metadata: Metadata = { title: 'API keys' };

/** The person's API keys and the MCP setup; admins also see every key of the workspace. */
export default async function ApiKeysPage() {
  const member = await requireMember('/profile/api-keys');
  const ctx = await memberCtx(member);
  const [keys, tenantKeys, expiryDays] = await Promise.all([
    listApiKeys(ctx),
    member.role === 'admin' ? listApiKeys(ctx, { all: true }) : Promise.resolve(null),
    apiKeyLifetimeDays(ctx),
  ]);
  // The command signs in to the workspace's own address: the host this page was reached on.
  const appUrl = new URL(readServerEnv().APP_URL);
  const origin = `${appUrl.protocol}//${(await headers()).get('host') ?? appUrl.host}`;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold tracking-tight">API keys</h1>
        <p className="max-w-3xl text-muted-foreground">
          Keys let agents — Claude Code, other MCP clients, scripts — use {member.tenant.name}’s skills as you. A key
          can do no more than your role allows, and stops working when it expires or is revoked.
        </p>
      </div>
      <CliInstall origin={origin} />
      <ApiKeyManager
        keys={keys}
        tenantKeys={tenantKeys}
        allowedScopes={scopesAllowedForRole[member.role]}
        expiryDays={expiryDays}
        mcpUrl={`${readServerEnv().APP_URL}/api/mcp`}
        create={createKeyAction}
        rotate={rotateKeyAction}
        revoke={revokeKeyAction}
      />
    </div>
  );
}
