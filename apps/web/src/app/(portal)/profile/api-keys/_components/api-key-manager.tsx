'use client';

import type { ApiKeyScope, ApiKeyView } from '@everyskill/contracts';
import { useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { useLatestActionState } from '@/components/use-latest-action-state';
import { CopyButton } from './copy-button';
import { McpSetup } from './mcp-setup';

export type KeyActionState =
  | { status: 'idle' }
  | { status: 'created'; secret: string; key: ApiKeyView; rotated: boolean }
  | { status: 'error'; message: string };

export interface ApiKeyManagerProps {
  keys: ApiKeyView[];
  /** Every key of the tenant, for admins; null for everyone else. */
  tenantKeys: ApiKeyView[] | null;
  allowedScopes: readonly ApiKeyScope[];
  expiryDays: number;
  mcpUrl: string;
  create: (state: KeyActionState, form: FormData) => Promise<KeyActionState>;
  rotate: (state: KeyActionState, form: FormData) => Promise<KeyActionState>;
  revoke: (keyId: string) => Promise<{ ok: boolean; message?: string }>;
}

const scopeHelp: Record<ApiKeyScope, string> = {
  'skills:read': 'find, read and download skills',
  'skills:publish': 'publish skills and new versions',
  'usage:write': 'report uses and feedback',
  admin: 'act as a workspace admin',
};

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('en', { dateStyle: 'medium' }) : '—');

/** The profile's API keys: mint (secret shown once), rotate, revoke; admins also see the whole workspace. */
export function ApiKeyManager(props: ApiKeyManagerProps) {
  // One state for both forms, so what is shown is always the outcome of the last one submitted: a
  // key created after a rotation shows its own secret, never the replacement's again.
  const [shown, keyAction, pending] = useLatestActionState({ create: props.create, rotate: props.rotate }, { status: 'idle' } as KeyActionState);
  const error = shown.status === 'error' ? shown.message : null;

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>New API key</CardTitle>
          <CardDescription>
            Agents use a key to act as you. It works for {props.expiryDays} days; you can revoke it at any time.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form action={keyAction} className="flex flex-col gap-4">
            <input type="hidden" name="op" value="create" />
            <label className="flex flex-col gap-1 text-sm font-medium">
              Name
              <Input name="name" required maxLength={100} placeholder="laptop · claude code" />
            </label>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium">Scopes</legend>
              {props.allowedScopes.map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={scope} defaultChecked={scope !== 'admin' && scope !== 'skills:publish'} />
                  <code>{scope}</code> <span className="text-muted-foreground">— {scopeHelp[scope]}</span>
                </label>
              ))}
            </fieldset>
            <Button type="submit" disabled={pending} className="self-start">
              {pending ? 'Working…' : 'Create key'}
            </Button>
          </form>
          {error ? (
            <p role="alert" className="mt-4 text-sm text-destructive">
              {error}
            </p>
          ) : null}
        </CardContent>
      </Card>

      {shown.status === 'created' ? (
        <Card className="border-primary" data-testid="new-key">
          <CardHeader>
            <CardTitle>{shown.rotated ? 'Your replacement key' : 'Your new key'}</CardTitle>
            <CardDescription>
              Copy it now: it is shown only this once.
              {shown.rotated ? ' The old key keeps working for 24 hours, then stops.' : ''}
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <div className="flex flex-wrap items-center gap-2">
              <code className="rounded-md bg-muted px-2 py-1 text-sm break-all" data-testid="new-key-secret">
                {shown.secret}
              </code>
              <CopyButton text={shown.secret} />
            </div>
            <McpSetup mcpUrl={props.mcpUrl} secret={shown.secret} />
          </CardContent>
        </Card>
      ) : (
        <McpSetup mcpUrl={props.mcpUrl} secret={null} />
      )}

      <KeyTable title="Your keys" keys={props.keys} rotateAction={keyAction} rotating={pending} revoke={props.revoke} own />
      {props.tenantKeys ? <KeyTable title="All keys of this workspace" keys={props.tenantKeys} revoke={props.revoke} /> : null}
    </div>
  );
}

function KeyTable(props: {
  title: string;
  keys: ApiKeyView[];
  own?: boolean;
  rotateAction?: (form: FormData) => void;
  rotating?: boolean;
  revoke: ApiKeyManagerProps['revoke'];
}) {
  const [revoking, startRevoke] = useTransition();
  return (
    <Card>
      <CardHeader>
        <CardTitle>{props.title}</CardTitle>
      </CardHeader>
      <CardContent>
        {props.keys.length === 0 ? (
          <p className="text-sm text-muted-foreground">No keys yet.</p>
        ) : (
          // relative: the sr-only "Actions" is absolutely positioned; without a containing block here it
          // escapes this scroller at the wide table's right edge and widens the whole page.
          <div tabIndex={0} className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="text-muted-foreground">
                  <th className="py-2 pr-4 font-medium">Name</th>
                  {props.own ? null : <th className="py-2 pr-4 font-medium">Owner</th>}
                  <th className="py-2 pr-4 font-medium">Key</th>
                  <th className="py-2 pr-4 font-medium">Scopes</th>
                  <th className="py-2 pr-4 font-medium">Last used</th>
                  <th className="py-2 pr-4 font-medium">Expires</th>
                  <th className="py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.keys.map((key) => (
                  <tr key={key.id} className="border-t align-middle" data-testid={`key-${key.id}`}>
                    <td className="py-2 pr-4">{key.name}</td>
                    {props.own ? null : <td className="py-2 pr-4">{key.ownerEmail}</td>}
                    <td className="py-2 pr-4 font-mono">{key.displayPrefix}</td>
                    <td className="py-2 pr-4">
                      <div className="flex flex-wrap gap-1">
                        {key.scopes.map((s) => (
                          <Badge key={s} variant="secondary">
                            {s}
                          </Badge>
                        ))}
                      </div>
                    </td>
                    <td className="py-2 pr-4">{date(key.lastUsedAt)}</td>
                    <td className="py-2 pr-4">
                      {key.status === 'active' ? date(key.expiresAt) : <Badge variant="outline">{key.status}</Badge>}
                    </td>
                    <td className="py-2">
                      {key.status === 'active' ? (
                        <div className="flex justify-end gap-2">
                          {props.own && props.rotateAction ? (
                            <form action={props.rotateAction}>
                              <input type="hidden" name="op" value="rotate" />
                              <input type="hidden" name="keyId" value={key.id} />
                              <Button type="submit" variant="outline" size="sm" disabled={props.rotating}>
                                Rotate
                              </Button>
                            </form>
                          ) : null}
                          <Button
                            variant="destructive"
                            size="sm"
                            disabled={revoking}
                            onClick={() => {
                              if (!window.confirm(`Revoke “${key.name}”? Agents using it stop working at once.`)) return;
                              startRevoke(async () => {
                                const result = await props.revoke(key.id);
                                if (!result.ok && result.message) window.alert(result.message);
                              });
                            }}
                          >
                            Revoke
                          </Button>
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
