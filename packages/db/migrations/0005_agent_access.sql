-- Agent access: API keys, shared rate-limit counters, usage events reported by agents.

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  display_prefix text NOT NULL,
  scopes text[] NOT NULL CHECK (
    cardinality(scopes) > 0 AND scopes <@ ARRAY['skills:read', 'skills:publish', 'usage:write', 'admin']
  ),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid,
  rotated_from_id uuid REFERENCES api_keys(id) ON DELETE SET NULL
);
CREATE INDEX api_keys_tenant_user_idx ON api_keys (tenant_id, user_id);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_keys_tenant ON api_keys
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO everyskill_app;

-- A request's tenant is unknown until its key is found, so the lookup by hash runs as the schema
-- owner (the role applying this migration) through one narrow function; only that role, never
-- the app role, may read keys across tenants.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY api_keys_lookup_by_owner ON api_keys FOR SELECT TO %I USING (true)', current_user);
END
$$;

-- The key with this SHA-256 (hex), with what every request must re-check: its owner's current
-- role and status and the tenant's status and key lifetime. No row when no key has that hash.
CREATE OR REPLACE FUNCTION api_key_for_hash(p_hash text)
  RETURNS TABLE (
    id uuid, tenant_id uuid, user_id uuid, key_hash text, scopes text[],
    created_at timestamptz, expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz,
    tenant_slug text, tenant_status text, tenant_key_expiry_days integer, member_role text, member_status text
  )
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
DECLARE
  k api_keys%ROWTYPE;
  previous_tenant text := current_setting('app.tenant_id', true);
BEGIN
  SELECT * INTO k FROM api_keys a WHERE a.key_hash = p_hash;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- Memberships stay behind their tenant policy: read them as the key's tenant, then put back.
  PERFORM set_config('app.tenant_id', k.tenant_id::text, true);
  RETURN QUERY
    SELECT k.id, k.tenant_id, k.user_id, k.key_hash, k.scopes, k.created_at, k.expires_at, k.revoked_at,
           k.last_used_at, t.slug, t.status, t.api_key_expiry_days, m.role, m.status
    FROM tenants t
    LEFT JOIN memberships m ON m.tenant_id = t.id AND m.user_id = k.user_id
    WHERE t.id = k.tenant_id;
  PERFORM set_config('app.tenant_id', coalesce(previous_tenant, ''), true);
END
$$;
REVOKE ALL ON FUNCTION api_key_for_hash(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_for_hash(text) TO everyskill_app;

-- Fixed-window counters shared by every app instance; one row per bucket, reset in place when
-- its window has passed. The app role may only count, through rate_limit_add().
CREATE TABLE rate_limit_buckets (
  bucket text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL
);
REVOKE ALL ON rate_limit_buckets FROM PUBLIC;

-- Adds each bucket's new hits (app instances batch them; 0 just reads the count) in the current
-- window, resetting a bucket whose window has passed, and returns the window's totals. Buckets are
-- sorted so concurrent callers lock rows in the same order.
CREATE OR REPLACE FUNCTION rate_limit_add(p_buckets text[], p_hits integer[], p_window_seconds integer)
  RETURNS TABLE (bucket text, hits integer, resets_at timestamptz)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  INSERT INTO rate_limit_buckets AS b (bucket, window_start, hits)
  SELECT u.bucket,
         to_timestamp(floor(extract(epoch FROM clock_timestamp()) / p_window_seconds) * p_window_seconds),
         u.hits
  FROM (SELECT x.bucket, sum(x.hits)::integer AS hits
        FROM unnest(p_buckets, p_hits) AS x(bucket, hits) GROUP BY x.bucket ORDER BY x.bucket) u
  ON CONFLICT ON CONSTRAINT rate_limit_buckets_pkey DO UPDATE
    SET hits = CASE WHEN b.window_start = EXCLUDED.window_start THEN b.hits + EXCLUDED.hits ELSE EXCLUDED.hits END,
        window_start = EXCLUDED.window_start
  RETURNING b.bucket, b.hits, b.window_start + make_interval(secs => p_window_seconds)
$$;
REVOKE ALL ON FUNCTION rate_limit_add(text[], integer[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rate_limit_add(text[], integer[], integer) TO everyskill_app;
