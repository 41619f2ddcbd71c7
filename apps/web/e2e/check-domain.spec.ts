import { expect, test } from './support/test';

// Acceptance 3 over HTTP, as Caddy's on-demand TLS asks it (ROOT_DOMAIN=localhost on the e2e server;
// tenants demo and acme exist). The table of every case, and the cache, are tested in core.
const cases: [domain: string | null, status: number][] = [
  ['localhost', 200],
  ['staging.localhost', 200],
  ['demo.localhost', 200],
  ['ACME.localhost', 200],
  ['no-such-company.localhost', 404],
  ['www.localhost', 404],
  ['a.demo.localhost', 404],
  ['demo.localhost.evil.test', 404],
  ['evil.test', 404],
  ['demo.localhost:443', 400],
  ['https://demo.localhost', 400],
  ['not a host', 400],
  ['', 400],
  [null, 400],
];

for (const [domain, status] of cases) {
  test(`check-domain ${JSON.stringify(domain)} → ${status}`, async ({ request }) => {
    const url = domain === null ? '/api/check-domain' : `/api/check-domain?domain=${encodeURIComponent(domain)}`;
    const response = await request.get(url);
    expect(response.status()).toBe(status);
    expect(response.headers()['cache-control']).toContain('no-store');
  });
}
