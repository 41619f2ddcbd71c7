// Stand-ins for the Caddy test: an on-demand TLS `ask` endpoint and two upstreams that echo what
// reached them. Listens on free loopback ports and writes them as JSON to --ports-file.
//
//   node ops-tests/lib/caddy-stub.mjs --allow acme.example.test --ports-file ports.json --ask-log ask.log
import http from 'node:http';
import { appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    allow: { type: 'string', multiple: true, default: [] },
    'ports-file': { type: 'string' },
    'ask-log': { type: 'string' },
  },
});
const allowed = new Set(values.allow.map((d) => d.toLowerCase()));

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

// Answers like the app's /api/check-domain: 200 for a host of an active tenant, 404 otherwise.
const ask = await listen((req, res) => {
  const url = new URL(req.url, 'http://ask');
  const domain = (url.searchParams.get('domain') ?? '').toLowerCase();
  const ok = url.pathname === '/api/check-domain' && allowed.has(domain);
  if (values['ask-log']) appendFileSync(values['ask-log'], `${domain} ${ok ? 200 : 404}\n`);
  res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ domain, active: ok }));
});

const echo = (name) => (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ upstream: name, method: req.method, url: req.url, headers: req.headers }));
};
const prod = await listen(echo('production'));
const staging = await listen(echo('staging'));

writeFileSync(values['ports-file'], JSON.stringify({ ask, prod, staging }) + '\n');
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
