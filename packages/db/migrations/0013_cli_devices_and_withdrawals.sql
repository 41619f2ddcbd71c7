-- The `everyskill` command: signing in by device authorization (RFC 8628 shape), withdrawn
-- versions and deprecation notices, and the notifications telling installers about them.

-- One sign-in of the command line: asked for on a tenant's host, approved by a signed-in member of
-- that tenant, redeemed once for an API key. Only the SHA-256 of the device code is stored.
CREATE TABLE cli_device_authorizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  device_code_hash text NOT NULL UNIQUE CHECK (device_code_hash ~ '^[0-9a-f]{64}$'),
  user_code text NOT NULL CHECK (user_code ~ '^[A-Z]{4}-[A-Z]{4}$'),
  client_name text NOT NULL CHECK (length(client_name) BETWEEN 1 AND 100),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'redeemed')),
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
  interval_seconds integer NOT NULL DEFAULT 5 CHECK (interval_seconds BETWEEN 1 AND 120),
  last_polled_at timestamptz,
  expires_at timestamptz NOT NULL,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A user code names one live request per tenant; expired ones may be reused.
CREATE INDEX cli_device_authorizations_user_code_idx ON cli_device_authorizations (tenant_id, user_code);
ALTER TABLE cli_device_authorizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE cli_device_authorizations FORCE ROW LEVEL SECURITY;
CREATE POLICY cli_device_authorizations_tenant ON cli_device_authorizations
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON cli_device_authorizations TO everyskill_app;

-- A withdrawn version: never resolved as the latest, refused to new installs, still listed with
-- its reason. Versions are immutable, so the withdrawal is its own row (one per version).
CREATE TABLE skill_version_withdrawals (
  version_id uuid PRIMARY KEY REFERENCES skill_versions(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
  withdrawn_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX skill_version_withdrawals_skill_idx ON skill_version_withdrawals (tenant_id, skill_id);
ALTER TABLE skill_version_withdrawals ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_version_withdrawals FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_version_withdrawals_tenant ON skill_version_withdrawals
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_version_withdrawals TO everyskill_app;

-- Deprecating a skill says why and, optionally, which skill replaces it.
ALTER TABLE skills ADD COLUMN deprecation_message text CHECK (length(deprecation_message) <= 1000);
ALTER TABLE skills ADD COLUMN deprecation_replacement text CHECK (length(deprecation_replacement) <= 64);

-- Installers of a withdrawn version or a deprecated skill are told in the bell.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('skill_updated', 'review_requested', 'safety_blocked', 'version_withdrawn', 'skill_deprecated'));
