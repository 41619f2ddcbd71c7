// The comparison point of bench:api: a bare node:http server answering GET /api/v1/skills/:slug
// with the same indexed SELECT the app runs (skill + latest version + authors + version list),
// through postgres.js, as the same database role, with the tenant fixed per connection, and the
// same JSON the app answers (run-bench.mjs checks they are equal). BENCH_BARE_BODY=lean sends the
// smaller body this server sent before (SKILL.md once, no counters or dates), for comparison.
//
// BENCH_BARE_PROTOCOL adds, still without any framework, the database work the app does around
// that SELECT, so one run shows where the gap between the app and the bare server lies:
//   select                      the SELECT alone (the baseline the target is measured against)
//   key-and-select              + the API-key lookup (api_key_for_hash) before it
//   key-and-tenant-transaction  + the key lookup, and the SELECT inside a tenant transaction
//                               (BEGIN; set tenant and role; SELECT; COMMIT): the app's protocol before
//                               its skill read became one statement
//   key-column                  the app's protocol now: one statement, the SELECT with the key's row
//                               as a column (api_key_for_hash), checked before the row is used
import { createHash } from 'node:crypto';
import http from 'node:http';
import postgres from 'postgres';

const { DATABASE_URL, BENCH_TENANT_ID, PORT = '0', DATABASE_POOL_MAX = '10', BENCH_BARE_PROTOCOL = 'select', BENCH_BARE_BODY = 'app' } = process.env;
if (!DATABASE_URL || !BENCH_TENANT_ID) throw new Error('DATABASE_URL and BENCH_TENANT_ID are required');
const protocols = ['select', 'key-and-select', 'key-and-tenant-transaction', 'key-column'];
if (!protocols.includes(BENCH_BARE_PROTOCOL)) throw new Error(`BENCH_BARE_PROTOCOL must be one of ${protocols.join(', ')}`);
if (!['app', 'lean'].includes(BENCH_BARE_BODY)) throw new Error('BENCH_BARE_BODY must be app or lean');

// Row-level security still applies: every connection starts with the tenant set.
const sql = postgres(DATABASE_URL, { max: Number(DATABASE_POOL_MAX), connection: { 'app.tenant_id': BENCH_TENANT_ID } });

const person = (column) => `(SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM users u WHERE u.id = ${column})`;
const QUERY = `
  SELECT s.*, v.version AS v_version, v.content_sha256, v.skill_md, v.manifest, v.files, v.file_count, v.size_bytes,
         v.notes, v.created_at AS v_created_at,
         ${person('s.author_user_id')} AS author, ${person('v.published_by')} AS publisher,
         (SELECT coalesce(json_agg(json_build_object('version', x.version, 'contentSha256', x.content_sha256,
                 'notes', x.notes, 'createdAt', x.created_at,
                 'withdrawnReason', (SELECT w.reason FROM skill_version_withdrawals w WHERE w.version_id = x.id)) ORDER BY x.created_at DESC), '[]'::json)
          FROM skill_versions x WHERE x.skill_id = s.id) AS versions,
         (SELECT row_to_json(sv) FROM skill_version_safety sv WHERE sv.version_id = v.id) AS safety
  FROM skills s LEFT JOIN skill_versions v ON v.id = s.latest_version_id
  WHERE s.tenant_id = $1 AND s.slug = $2 AND s.deleted_at IS NULL`;

const KEYED_QUERY = QUERY.replace('SELECT s.*', 'SELECT (SELECT row_to_json(k) FROM api_key_for_hash($3) k) AS key, s.*');

async function readSkill(authorization, slug) {
  const hash = createHash('sha256').update(authorization.replace(/^Bearer\s+/i, '')).digest('hex');
  if (BENCH_BARE_PROTOCOL === 'key-column') {
    const [row] = await sql.unsafe(KEYED_QUERY, [BENCH_TENANT_ID, slug, hash], { prepare: true });
    return row?.key && !row.key.revoked_at ? row : null;
  }
  if (BENCH_BARE_PROTOCOL !== 'select') {
    const [key] = await sql`SELECT id FROM api_key_for_hash(${hash})`;
    if (!key) return null;
  }
  if (BENCH_BARE_PROTOCOL === 'key-and-tenant-transaction') {
    return sql.begin(async (tx) => {
      await tx`SELECT set_config('app.tenant_id', ${BENCH_TENANT_ID}, true), set_config('role', 'everyskill_app', true)`;
      const [row] = await tx.unsafe(QUERY, [BENCH_TENANT_ID, slug], { prepare: true });
      return row;
    });
  }
  const [row] = await sql.unsafe(QUERY, [BENCH_TENANT_ID, slug], { prepare: true });
  return row;
}

/**
 * The app's answer (ApiSkillDetail) from the row: the same JSON, so both servers send the same
 * bytes. Written out here rather than imported from the app's views, since the baseline runs no
 * app code; run-bench.mjs checks the two answers are equal before it measures.
 */
function bodyOf(row) {
  const latest = row.v_version === null ? null : {
    slug: row.slug,
    version: row.v_version,
    contentSha256: row.content_sha256,
    skillMd: row.skill_md,
    manifest: row.manifest,
    files: row.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    fileCount: row.file_count,
    sizeBytes: Number(row.size_bytes),
    notes: row.notes,
    publishedBy: row.publisher,
    createdAt: row.v_created_at.toISOString(),
    safety: row.safety
      ? {
          rulesVersion: row.safety.rules_version,
          verdict: row.safety.verdict,
          findings: row.safety.findings,
          scannedAt: new Date(row.safety.scanned_at).toISOString(),
          override: row.safety.override_reason && row.safety.overridden_at ? { reason: row.safety.override_reason, at: new Date(row.safety.overridden_at).toISOString() } : null,
          heldAt: row.safety.held_at ? new Date(row.safety.held_at).toISOString() : null,
        }
      : null,
  };
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    category: row.category,
    tags: row.tags,
    visibility: row.visibility,
    status: row.status,
    author: row.author?.id ? row.author : null,
    latestVersion: row.v_version,
    usesCount: row.uses_count,
    installsCount: row.installs_count,
    ratingAvg: Number(row.rating_avg ?? 0),
    ratingCount: row.rating_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    skillMd: row.skill_md,
    latest,
    versions: row.versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
  };
}

/** What this server answered before it sent the app's JSON: a subset (SKILL.md once, no counters or dates). */
function leanBodyOf(row) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    latestVersion: row.v_version,
    skillMd: row.skill_md,
    author: row.author,
    versions: row.versions,
    latest: { version: row.v_version, contentSha256: row.content_sha256, manifest: row.manifest, files: row.files, publishedBy: row.publisher },
  };
}

const server = http.createServer(async (req, res) => {
  const match = /^\/api\/v1\/skills\/([a-z0-9-]+)$/.exec(req.url ?? '');
  if (req.method !== 'GET' || !match || !req.headers.authorization) {
    res.writeHead(404).end();
    return;
  }
  try {
    const row = await readSkill(req.headers.authorization, match[1]);
    if (!row) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
      return;
    }
    const body = BENCH_BARE_BODY === 'lean' ? leanBodyOf(row) : bodyOf(row);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});

server.listen(Number(PORT), '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('SIGTERM', async () => {
  server.close();
  await sql.end({ timeout: 2 });
  process.exit(0);
});
