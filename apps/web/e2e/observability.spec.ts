import { expect, test } from './support/test';

const METRICS_TOKEN = 'e2e-metrics-token-0123456789'; // playwright.config.ts gives the server this token

test('every response carries a request id: the caller’s when it sends a sane one, a new one otherwise', async ({ request }) => {
  const echoed = await request.get('/api/health', { headers: { 'x-request-id': 'e2e-trace-1' } });
  expect(echoed.headers()['x-request-id']).toBe('e2e-trace-1');

  const page = await request.get('/');
  expect(page.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  const hostile = await request.get('/api/health', { headers: { 'x-request-id': 'a b<script>' } });
  expect(hostile.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('/api/metrics needs the token and reports latency by route, jobs and the database', async ({ request }) => {
  expect((await request.get('/api/metrics')).status()).toBe(401);
  expect((await request.get('/api/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status()).toBe(401);

  await request.get('/api/health');
  await request.get('/skills/no-such-skill-for-metrics', { maxRedirects: 0 });
  const scrape = () => request.get('/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  // A request is counted when the server has finished sending it, which may be just after the client has it.
  await expect
    .poll(async () => (await (await scrape()).text()).match(/route="\/skills\/:slug",status="\d{3}"\} [1-9]/) !== null, { timeout: 5_000 })
    .toBe(true);
  const response = await scrape();
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain');
  const text = await response.text();
  expect(text).toMatch(/everyskill_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="200"\} [1-9]/);
  expect(text).toMatch(/everyskill_http_request_duration_seconds_count\{method="GET",route="\/skills\/:slug",status="\d{3}"\} [1-9]/);
  expect(text).toContain('everyskill_db_up 1');
  expect(text).toMatch(/everyskill_jobs\{state="queued"\} \d+/);
  expect(text).toContain('everyskill_db_pool_max_connections');
  expect(text).not.toContain('no-such-skill-for-metrics'); // route templates, never raw paths
});
