import type { Metadata } from 'next';
import { buildOpenApiDocument } from '@everyskill/contracts';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getBuildInfo } from '@/server/build-info';
import { v1Operations } from '@/server/api/operations/v1-operations';
import { readServerEnv } from '@/server/env';

export const metadata: Metadata = { title: 'API', alternates: { canonical: '/docs/api' } };

type Json = Record<string, unknown>;

function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <details className="rounded-md border bg-muted/40">
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium">{label}</summary>
      <pre tabIndex={0} className="overflow-x-auto px-3 pb-3 text-xs leading-relaxed">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** The /api/v1 reference, rendered from the same OpenAPI document the API serves (no external assets). */
export default function ApiDocsPage() {
  const appUrl = readServerEnv().APP_URL;
  const document = buildOpenApiDocument(v1Operations, { serverUrl: appUrl, version: getBuildInfo().version });
  const paths = document.paths as Record<string, Record<string, Json>>;
  const tags = [...new Set(v1Operations.map((op) => op.tag))];
  return (
    <div className="flex flex-col gap-8">
      <header className="flex flex-col gap-3">
        <h1 className="text-3xl font-bold tracking-tight">EverySkill API</h1>
        <p className="max-w-3xl text-muted-foreground">
          Agents find, fetch, publish and report on your company’s skills over <code>{appUrl}/api/v1</code>. Send an API
          key from your profile page as <code>Authorization: Bearer rlk_…</code>; the key decides the workspace. The
          machine-readable description is <a className="underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a>{' '}
          (OpenAPI 3.1).
        </p>
      </header>

      <Card>
        <CardHeader>
          <CardTitle>Errors and limits</CardTitle>
          <CardDescription>Every error has one shape; every response carries an X-Request-Id.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <pre tabIndex={0} className="overflow-x-auto rounded-md bg-muted/40 p-3 text-xs">
            {'{ "error": { "code": "not_found", "message": "skill \'pdf-tools\' was not found", "details": … } }'}
          </pre>
          <p>
            401 <code>unauthorized</code> (missing, malformed, unknown, revoked or expired key, or a key of another workspace),
            403 <code>forbidden</code> (a scope the key lacks), 404 <code>not_found</code>, 400 <code>invalid_input</code>, 409{' '}
            <code>conflict</code>, 429 <code>rate_limited</code> with <code>Retry-After</code> in seconds. Requests count per key
            and per workspace in fixed windows; <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and{' '}
            <code>RateLimit-Reset</code> show where you stand.
          </p>
        </CardContent>
      </Card>

      {tags.map((tag) => (
        <section key={tag} className="flex flex-col gap-4" aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`} className="text-2xl font-semibold tracking-tight">
            {tag}
          </h2>
          {v1Operations
            .filter((op) => op.tag === tag)
            .map((op) => {
              const spec = paths[op.path]?.[op.method] ?? {};
              const parameters = (spec.parameters as Json[] | undefined) ?? [];
              const body = spec.requestBody as Json | undefined;
              const responses = spec.responses as Record<string, Json>;
              return (
                <Card key={op.operationId} id={op.operationId}>
                  <CardHeader>
                    <CardTitle as="h3" className="flex flex-wrap items-center gap-2 font-mono text-base">
                      <Badge>{op.method.toUpperCase()}</Badge>
                      /api/v1{op.path}
                    </CardTitle>
                    <CardDescription>
                      {op.summary}
                      {op.scope ? (
                        <>
                          {' '}
                          · scope <code>{op.scope}</code>
                        </>
                      ) : null}
                    </CardDescription>
                  </CardHeader>
                  <CardContent className="flex flex-col gap-3 text-sm">
                    {op.description ? <p>{op.description}</p> : null}
                    {parameters.length > 0 ? (
                      <table className="w-full text-left text-sm">
                        <thead>
                          <tr className="text-muted-foreground">
                            <th className="py-1 pr-4 font-medium">Parameter</th>
                            <th className="py-1 pr-4 font-medium">In</th>
                            <th className="py-1 font-medium">Schema</th>
                          </tr>
                        </thead>
                        <tbody>
                          {parameters.map((p) => (
                            <tr key={`${String(p.in)}-${String(p.name)}`} className="border-t align-top">
                              <td className="py-1 pr-4 font-mono">
                                {String(p.name)}
                                {p.required ? ' *' : ''}
                              </td>
                              <td className="py-1 pr-4">{String(p.in)}</td>
                              <td className="py-1 font-mono text-xs">{JSON.stringify(p.schema)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    ) : null}
                    {body ? <JsonBlock label="Request body" value={body.content} /> : null}
                    {Object.entries(responses).map(([status, response]) => (
                      <JsonBlock key={status} label={`${status} — ${String(response.description)}`} value={response.content ?? null} />
                    ))}
                  </CardContent>
                </Card>
              );
            })}
        </section>
      ))}
    </div>
  );
}
