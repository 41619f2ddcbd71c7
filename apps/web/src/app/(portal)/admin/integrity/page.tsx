import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { checkTenantIntegrity } from '@everyskill/core/integrity/check-tenant-integrity';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { getBlobStore } from '@/server/api/skills-ctx';
import { getAdminCtx } from '@/server/session';
import { getTenantKeys } from '@everyskill/core/provenance/get-tenant-keys';
import { repairIntegrityAction, rotateSigningKeyAction } from './actions';
import { RepairButton } from './_components/repair-button';
import { RotateKeyButton } from './_components/rotate-key-button';

export const metadata: Metadata = { title: 'Integrity' };

function Section({ title, count, testId, children }: { title: string; count: number; testId: string; children: ReactNode }) {
  return (
    <Card data-testid={testId} data-count={count}>
      <CardHeader>
        <CardTitle as="h2" className="flex items-center gap-2">
          {title} <Badge variant={count === 0 ? 'secondary' : 'destructive'}>{count === 0 ? 'ok' : count}</Badge>
        </CardTitle>
      </CardHeader>
      {count > 0 ? <CardContent tabIndex={0} className="relative overflow-x-auto text-sm">{children}</CardContent> : null}
    </Card>
  );
}

/** The workspace's data checked against itself: counters, cross-tenant references, bundles, embeddings. */
export default async function IntegrityPage() {
  const ctx = await getAdminCtx('/admin/integrity');
  if (!ctx) return null;
  const report = await checkTenantIntegrity(ctx, { repair: false }, getBlobStore());
  const keys = await getTenantKeys(ctx.db, ctx.tenantId);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-3xl font-bold tracking-tight">Integrity</h1>
        {report.clean ? <Badge variant="secondary">clean</Badge> : <RepairButton action={repairIntegrityAction} />}
      </div>
      <p className="text-sm text-muted-foreground">
        Checked {report.checkedAt.slice(0, 19).replace('T', ' ')} UTC against embedding model {report.embeddingModel}. Repair fixes
        counters, detaches references to people of another workspace where that is safe, re-queues embeddings and removes
        unreferenced bundles older than a day, signs versions published before signing existed; each repair is written to the audit log. Missing bundles need a restore from backup.
      </p>
      <Section title="Counters" count={report.counters.length} testId="integrity-counters">
        <ul>
          {report.counters.map((c) => (
            <li key={c.skillId}>
              <span className="font-medium">{c.slug}</span>:{' '}
              {Object.entries(c.differences)
                .map(([column, [stored, actual]]) => `${column} ${stored} → ${actual}`)
                .join(', ')}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="References to another workspace" count={report.crossTenantRows.length} testId="integrity-cross-tenant">
        <ul>
          {report.crossTenantRows.map((r) => (
            <li key={`${r.table}-${r.rowId}`}>
              {r.table}.{r.column} of row {r.rowId} {r.repairable ? '(repair detaches it)' : '(needs an operator)'}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Missing bundles" count={report.missingBlobs.length} testId="integrity-missing-blobs">
        <ul>
          {report.missingBlobs.map((m) => (
            <li key={m.versionId}>
              {m.skillSlug} {m.version}: <code>{m.blobKey}</code>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Unreferenced bundles" count={report.orphanBlobs.length} testId="integrity-orphan-blobs">
        <ul>
          {report.orphanBlobs.map((o) => (
            <li key={o.key}>
              <code>{o.key}</code> ({o.size} bytes, {o.lastModified.slice(0, 10)}){o.removable ? '' : ' — newer than a day, kept'}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Provenance" count={report.provenance.length} testId="integrity-provenance">
        <ul>
          {report.provenance.map((p, i) => (
            <li key={`${p.problem}-${p.seq ?? p.versionId ?? i}`}>{p.message}</li>
          ))}
        </ul>
      </Section>
      <Card data-testid="signing-keys">
        <CardHeader>
          <CardTitle as="h2">Signing keys</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <p className="text-muted-foreground">
            Every published version is signed with the workspace&apos;s key; clients verify against the keys at{' '}
            <code>/.well-known/everyskill/keys.json</code>. Rotating makes a new key, signed over by the current one, which stays listed so
            everything it signed still verifies.
          </p>
          <ul className="flex flex-col gap-1">
            {keys.keys.map((k) => (
              <li key={k.keyid}>
                <code>{k.keyid.slice(0, 16)}</code> from {k.validFrom.slice(0, 19).replace('T', ' ')}
                {k.validUntil ? ` until ${k.validUntil.slice(0, 19).replace('T', ' ')}` : ' (current)'}
              </li>
            ))}
          </ul>
          <RotateKeyButton action={rotateSigningKeyAction} />
        </CardContent>
      </Card>
      <Section title="Embeddings" count={report.embeddings.length} testId="integrity-embeddings">
        <ul>
          {report.embeddings.map((e) => (
            <li key={e.skillId}>
              {e.slug}: {e.problem === 'missing' ? 'no embedding' : `embedded with ${e.models.join(', ')} only`}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
