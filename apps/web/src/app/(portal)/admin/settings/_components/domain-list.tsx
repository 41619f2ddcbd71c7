'use client';

import type { TenantDomainKind } from '@everyskill/contracts';
import { useActionState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useLatestActionState } from '@/components/use-latest-action-state';
import { Input } from '@/components/ui/input';
import type { ActionState } from '@/server/action-state';
import { ActionMessage } from './action-message';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
const idle: ActionState = { status: 'idle' };

export interface DomainItem {
  id: string;
  domain: string;
  kind: TenantDomainKind;
  verified: boolean;
  record: { name: string; value: string } | null;
}

/** The workspace's domains: email domains decide who may sign in, vanity domains serve the portal. */
export function DomainList({ domains, add, verify, remove }: { domains: DomainItem[]; add: Action; verify: Action; remove: Action }) {
  const [addState, addAction, adding] = useActionState(add, idle);
  return (
    <div className="flex flex-col gap-4">
      <ul className="divide-y">
        {domains.map((d) => (
          <DomainRow key={d.id} domain={d} verify={verify} remove={remove} />
        ))}
      </ul>
      <form action={addAction} className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Domain
          <Input name="domain" required placeholder="example.com" className="w-64" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Kind
          <select name="kind" defaultValue="email" className="h-9 rounded-md border bg-background px-2 text-sm">
            <option value="email">email (who may sign in)</option>
            <option value="vanity">vanity (serves the portal)</option>
          </select>
        </label>
        <Button type="submit" variant="outline" disabled={adding}>
          Add domain
        </Button>
      </form>
      <ActionMessage state={addState} />
    </div>
  );
}

function DomainRow({ domain, verify, remove }: { domain: DomainItem; verify: Action; remove: Action }) {
  const [state, act, pending] = useLatestActionState({ verify, remove }, idle);
  return (
    <li className="flex flex-col gap-2 py-3" data-testid={`domain-${domain.domain}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm">{domain.domain}</span>
        <Badge variant="outline">{domain.kind}</Badge>
        <Badge variant={domain.verified ? 'secondary' : 'destructive'}>{domain.verified ? 'verified' : 'not verified'}</Badge>
        <div className="ml-auto flex gap-2">
          {domain.verified ? null : (
            <form action={act}>
              <input type="hidden" name="op" value="verify" />
              <input type="hidden" name="domainId" value={domain.id} />
              <Button type="submit" size="sm" variant="outline" disabled={pending} aria-label={`Verify ${domain.domain}`}>
                Verify
              </Button>
            </form>
          )}
          <form action={act}>
            <input type="hidden" name="op" value="remove" />
            <input type="hidden" name="domainId" value={domain.id} />
            <Button type="submit" size="sm" variant="ghost" disabled={pending} aria-label={`Remove ${domain.domain}`}>
              Remove
            </Button>
          </form>
        </div>
      </div>
      {domain.record ? (
        <p className="text-sm text-muted-foreground">
          Prove you control it: add a DNS TXT record at <code className="font-mono text-foreground">{domain.record.name}</code> with
          the value <code className="font-mono break-all text-foreground">{domain.record.value}</code>, then press Verify. Until then
          it {domain.kind === 'email' ? 'lets nobody sign in' : 'serves nothing'}.
        </p>
      ) : null}
      <ActionMessage state={state} />
    </li>
  );
}
