-- Initial schema: tenants, their domains, users, memberships and the append-only audit log.
-- Row-level security pattern used by every tenant-scoped table from here on:
--   * a `tenant_id uuid not null` column,
--   * ENABLE + FORCE ROW LEVEL SECURITY (FORCE so that even the table owner is filtered),
--   * policies comparing tenant_id with app_current_tenant(), the per-transaction setting
--     `app.tenant_id` that withTenant() sets with set_config(..., true),
--   * privileges granted to the NOLOGIN role everyskill_app, which owns nothing; the app's
--     login role is a member of it and every transaction switches to it (SET LOCAL ROLE).
-- Without a tenant set, app_current_tenant() is NULL and tenant tables return zero rows.

CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyskill_app') THEN
    CREATE ROLE everyskill_app NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO everyskill_app;

CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  logo_url text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  api_key_expiry_days integer NOT NULL DEFAULT 90 CHECK (api_key_expiry_days BETWEEN 1 AND 3650),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The tenant registry itself is not tenant-scoped: RLS binds the app role (read all, update its
-- own tenant) but not the owner, which creates tenants from the admin CLI; hence no FORCE here.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_read ON tenants FOR SELECT USING (true);
CREATE POLICY tenants_update_own ON tenants FOR UPDATE
  USING (id = (SELECT app_current_tenant())) WITH CHECK (id = (SELECT app_current_tenant()));
GRANT SELECT, UPDATE ON tenants TO everyskill_app;

CREATE TABLE tenant_domains (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  domain text NOT NULL UNIQUE CHECK (domain = lower(domain)),
  kind text NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'vanity')),
  verification_token text,
  verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_domains_tenant_idx ON tenant_domains (tenant_id);
ALTER TABLE tenant_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_domains FORCE ROW LEVEL SECURITY;
-- Sign-in and check-domain look domains up before any tenant is known; writes stay tenant-bound.
CREATE POLICY tenant_domains_read ON tenant_domains FOR SELECT USING (true);
CREATE POLICY tenant_domains_insert ON tenant_domains FOR INSERT
  WITH CHECK (tenant_id = (SELECT app_current_tenant()));
CREATE POLICY tenant_domains_update ON tenant_domains FOR UPDATE
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
CREATE POLICY tenant_domains_delete ON tenant_domains FOR DELETE
  USING (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_domains TO everyskill_app;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email text NOT NULL CHECK (email = lower(email)),
  name text,
  image text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_tenant_idx ON users (tenant_id);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_tenant ON users
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO everyskill_app;

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'reviewer', 'member')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant ON memberships
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO everyskill_app;

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  tenant_id uuid REFERENCES tenants(id),
  actor_user_id uuid,
  actor_label text,
  action text NOT NULL,
  target_type text,
  target_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_created_idx ON audit_log (tenant_id, created_at DESC);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (tenant_id = (SELECT app_current_tenant()));
CREATE POLICY audit_log_insert ON audit_log FOR INSERT WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON audit_log TO everyskill_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO everyskill_app;

CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Events that happen before any tenant is known (a refused sign-in from an unknown domain)
-- are recorded without a tenant; only a transaction without a tenant may write them.
CREATE POLICY audit_log_insert_unscoped ON audit_log FOR INSERT
  WITH CHECK (tenant_id IS NULL AND (SELECT app_current_tenant()) IS NULL);
