-- Provenance (docs/provenance.md): each tenant's Ed25519 signing keys and its tamper-evident log
-- of signed attestations. Both follow the tenant-table pattern of 0001_init.sql (tenant_id, ENABLE +
-- FORCE row-level security, policies on app_current_tenant(), privileges to everyskill_app only).
-- Keys cannot be made in SQL (the private key is encrypted with the server's SIGNING_KEYS_SECRET),
-- so tenants that exist before this migration get theirs on their first signature.

CREATE TABLE tenant_signing_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- SHA-256 (hex) of the public key's DER SubjectPublicKeyInfo.
  keyid text NOT NULL CHECK (keyid ~ '^[0-9a-f]{64}$'),
  algorithm text NOT NULL DEFAULT 'ed25519' CHECK (algorithm = 'ed25519'),
  public_key_pem text NOT NULL,
  -- AES-256-GCM under SIGNING_KEYS_SECRET, bound to tenant and keyid: v1.<secret id>.<iv>.<tag>.<ciphertext>.
  private_key_encrypted text NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_until timestamptz CHECK (valid_until IS NULL OR valid_until >= valid_from),
  -- The DSSE envelope of the rotation statement that introduced this key, signed by the previous key.
  rotation jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, keyid)
);
-- One current key per tenant: two processes making the first key at once cannot both succeed.
CREATE UNIQUE INDEX tenant_signing_keys_current_key ON tenant_signing_keys (tenant_id) WHERE valid_until IS NULL;
ALTER TABLE tenant_signing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_signing_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_signing_keys_tenant ON tenant_signing_keys
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE ON tenant_signing_keys TO everyskill_app;

-- A key is never rewritten: the only change allowed is retiring it, once. The app role may not
-- delete keys (no grant): retired keys stay listed so older attestations remain verifiable.
CREATE OR REPLACE FUNCTION tenant_signing_keys_retire_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.valid_until IS NOT NULL OR NEW.valid_until IS NULL
     OR (NEW.id, NEW.tenant_id, NEW.keyid, NEW.algorithm, NEW.public_key_pem, NEW.private_key_encrypted, NEW.valid_from, NEW.rotation, NEW.created_at)
        IS DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.keyid, OLD.algorithm, OLD.public_key_pem, OLD.private_key_encrypted, OLD.valid_from, OLD.rotation, OLD.created_at) THEN
    RAISE EXCEPTION 'a signing key can only be retired (valid_until set once)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER tenant_signing_keys_retire_only BEFORE UPDATE ON tenant_signing_keys
  FOR EACH ROW EXECUTE FUNCTION tenant_signing_keys_retire_only();

-- The log: every attestation and every key rotation, in order. Each entry carries the previous
-- entry's hash (GENESIS = 64 zeros for seq 1) and its own, over (tenant, seq, kind, envelope
-- digest, previous hash); the integrity check walks it and verifies every signature.
CREATE TABLE provenance_log (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  seq bigint NOT NULL CHECK (seq >= 1),
  kind text NOT NULL CHECK (kind IN ('attestation', 'key-rotation')),
  skill_id uuid,
  version_id uuid,
  reason text CHECK (reason IN ('published', 'review', 'override', 'backfill')),
  keyid text NOT NULL CHECK (keyid ~ '^[0-9a-f]{64}$'),
  envelope jsonb NOT NULL,
  envelope_sha256 text NOT NULL CHECK (envelope_sha256 ~ '^[0-9a-f]{64}$'),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  entry_hash text NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, seq),
  CHECK ((kind = 'attestation') = (version_id IS NOT NULL AND skill_id IS NOT NULL AND reason IS NOT NULL)),
  FOREIGN KEY (tenant_id, version_id) REFERENCES skill_versions (tenant_id, id)
);
CREATE INDEX provenance_log_version_idx ON provenance_log (tenant_id, version_id, seq DESC) WHERE version_id IS NOT NULL;
ALTER TABLE provenance_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE provenance_log FORCE ROW LEVEL SECURITY;
CREATE POLICY provenance_log_read ON provenance_log FOR SELECT USING (tenant_id = (SELECT app_current_tenant()));
CREATE POLICY provenance_log_insert ON provenance_log FOR INSERT WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON provenance_log TO everyskill_app;
GRANT USAGE ON SEQUENCE provenance_log_id_seq TO everyskill_app;

-- Append-only like the audit log, even for the owner.
CREATE OR REPLACE FUNCTION provenance_log_refuse_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'provenance_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER provenance_log_append_only BEFORE UPDATE OR DELETE ON provenance_log
  FOR EACH ROW EXECUTE FUNCTION provenance_log_refuse_change();
CREATE TRIGGER provenance_log_no_truncate BEFORE TRUNCATE ON provenance_log
  FOR EACH STATEMENT EXECUTE FUNCTION provenance_log_refuse_change();
