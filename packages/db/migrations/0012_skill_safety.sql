-- The safety scan of each published version: the rules version it ran with, the verdict and every
-- finding. A separate row rather than columns on skill_versions, which are immutable: a rescan
-- under newer rules and an admin's override change the verdict of a version that never changes.
-- `SELECT verdict, rules_version FROM skill_version_safety WHERE version_id = $1` reads it.
CREATE TABLE skill_version_safety (
  version_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  rules_version text NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('clean', 'warn', 'blocked')),
  findings jsonb NOT NULL DEFAULT '[]',
  scanned_at timestamptz NOT NULL DEFAULT now(),
  -- An admin's decision that a blocked version may be used anyway, with the reason shown on its page.
  override_reason text CHECK (override_reason IS NULL OR length(override_reason) BETWEEN 1 AND 2000),
  overridden_by uuid REFERENCES users (id) ON DELETE SET NULL,
  overridden_at timestamptz,
  FOREIGN KEY (tenant_id, version_id) REFERENCES skill_versions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skill_version_safety_tenant_verdict_idx ON skill_version_safety (tenant_id, verdict);
CREATE INDEX skill_version_safety_rules_idx ON skill_version_safety (tenant_id, rules_version);
ALTER TABLE skill_version_safety ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_version_safety FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_version_safety_tenant ON skill_version_safety
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_version_safety TO everyskill_app;

-- A version that a rescan under newer rules blocks notifies its author and the workspace's admins.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('skill_updated', 'review_requested', 'safety_blocked'));
