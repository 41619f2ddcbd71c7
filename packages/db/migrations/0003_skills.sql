-- Skills: the skill itself, its immutable versions, ratings, feedback and usage events.
-- Every table follows the pattern of 0001_init.sql: tenant_id, ENABLE + FORCE row-level security,
-- policies on app_current_tenant(), privileges granted to everyskill_app only.
-- Child tables reference (tenant_id, skill_id) so a row can never point at another tenant's skill
-- (foreign-key checks bypass row-level security, a composite key does not let them cross tenants).

CREATE TABLE skills (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 1024),
  category text NOT NULL DEFAULT 'other',
  tags text[] NOT NULL DEFAULT '{}',
  author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  visibility text NOT NULL DEFAULT 'tenant' CHECK (visibility IN ('tenant', 'private', 'public')),
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'deprecated')),
  forked_from_skill_id uuid,
  forked_from_version_id uuid,
  latest_version_id uuid,
  uses_count integer NOT NULL DEFAULT 0 CHECK (uses_count >= 0),
  installs_count integer NOT NULL DEFAULT 0 CHECK (installs_count >= 0),
  rating_sum integer NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
  rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  -- Derived from the two counters above so it can never drift from them.
  rating_avg numeric(3, 2) GENERATED ALWAYS AS (
    CASE WHEN rating_count > 0 THEN round(rating_sum::numeric / rating_count, 2) ELSE 0 END
  ) STORED,
  feedback_positive integer NOT NULL DEFAULT 0 CHECK (feedback_positive >= 0),
  feedback_total integer NOT NULL DEFAULT 0 CHECK (feedback_total >= feedback_positive),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  UNIQUE (tenant_id, id)
);
-- A deleted skill frees its name: a new skill may take it, the old rows stay for the record.
CREATE UNIQUE INDEX skills_tenant_slug_key ON skills (tenant_id, slug) WHERE deleted_at IS NULL;
CREATE INDEX skills_tenant_created_idx ON skills (tenant_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX skills_tenant_category_idx ON skills (tenant_id, category) WHERE deleted_at IS NULL;
CREATE INDEX skills_tenant_author_idx ON skills (tenant_id, author_user_id);
CREATE INDEX skills_tags_idx ON skills USING gin (tags);
CREATE INDEX skills_forked_from_idx ON skills (forked_from_skill_id) WHERE forked_from_skill_id IS NOT NULL;
ALTER TABLE skills ADD CONSTRAINT skills_forked_from_fkey
  FOREIGN KEY (tenant_id, forked_from_skill_id) REFERENCES skills (tenant_id, id);
ALTER TABLE skills ENABLE ROW LEVEL SECURITY;
ALTER TABLE skills FORCE ROW LEVEL SECURITY;
CREATE POLICY skills_tenant ON skills
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
-- DELETE is granted for tenant purges; the product itself only soft-deletes (deleted_at).
GRANT SELECT, INSERT, UPDATE, DELETE ON skills TO everyskill_app;

CREATE TABLE skill_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  version text NOT NULL CHECK (
    version ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
  ),
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  blob_key text NOT NULL,
  skill_md text NOT NULL,
  manifest jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  files jsonb NOT NULL,
  file_count integer NOT NULL CHECK (file_count >= 1),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  blob_size_bytes bigint NOT NULL CHECK (blob_size_bytes >= 0),
  notes text CHECK (length(notes) <= 2000),
  published_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (skill_id, version),
  UNIQUE (skill_id, content_sha256),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skill_versions_tenant_idx ON skill_versions (tenant_id);
ALTER TABLE skill_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_versions_tenant ON skill_versions
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON skill_versions TO everyskill_app;

ALTER TABLE skills ADD CONSTRAINT skills_latest_version_fkey
  FOREIGN KEY (tenant_id, latest_version_id) REFERENCES skill_versions (tenant_id, id);
ALTER TABLE skills ADD CONSTRAINT skills_forked_from_version_fkey
  FOREIGN KEY (tenant_id, forked_from_version_id) REFERENCES skill_versions (tenant_id, id);

-- Versions and usage events are facts: once written they never change, even for the owner.
CREATE OR REPLACE FUNCTION refuse_update_immutable() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: UPDATE is not allowed', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER skill_versions_immutable BEFORE UPDATE ON skill_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_update_immutable();

CREATE TABLE skill_ratings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment text CHECK (length(comment) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (skill_id, user_id),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skill_ratings_tenant_idx ON skill_ratings (tenant_id);
ALTER TABLE skill_ratings ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_ratings FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_ratings_tenant ON skill_ratings
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_ratings TO everyskill_app;

CREATE TABLE skill_feedback (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  version_id uuid,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('thumbs_up', 'thumbs_down', 'suggestion', 'bug_report')),
  body text CHECK (length(body) <= 5000),
  source text NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'api', 'mcp', 'cli')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, version_id) REFERENCES skill_versions (tenant_id, id)
);
-- One thumb per person per skill (changing it moves the vote); suggestions and bug reports are many.
CREATE UNIQUE INDEX skill_feedback_one_thumb_key ON skill_feedback (skill_id, user_id)
  WHERE kind IN ('thumbs_up', 'thumbs_down');
CREATE INDEX skill_feedback_skill_created_idx ON skill_feedback (skill_id, created_at DESC);
CREATE INDEX skill_feedback_tenant_idx ON skill_feedback (tenant_id);
ALTER TABLE skill_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_feedback FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_feedback_tenant ON skill_feedback
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_feedback TO everyskill_app;

CREATE TABLE skill_usage_events (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  version_id uuid,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  api_key_id uuid,
  kind text NOT NULL CHECK (kind IN ('install', 'use')),
  source text NOT NULL CHECK (source IN ('portal', 'api', 'mcp', 'cli')),
  -- A client retrying the same report sends the same key; the second insert is a no-op.
  idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, version_id) REFERENCES skill_versions (tenant_id, id)
);
CREATE UNIQUE INDEX skill_usage_events_idempotency_key ON skill_usage_events (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX skill_usage_events_skill_created_idx ON skill_usage_events (skill_id, created_at);
CREATE INDEX skill_usage_events_tenant_idx ON skill_usage_events (tenant_id);
ALTER TABLE skill_usage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_usage_events FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_usage_events_tenant ON skill_usage_events
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON skill_usage_events TO everyskill_app;
GRANT USAGE ON SEQUENCE skill_usage_events_id_seq TO everyskill_app;
CREATE TRIGGER skill_usage_events_immutable BEFORE UPDATE ON skill_usage_events
  FOR EACH ROW EXECUTE FUNCTION refuse_update_immutable();
