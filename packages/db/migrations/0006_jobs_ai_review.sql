-- Background jobs, AI review, the review workflow and benchmarks.
--
-- Jobs run on one of two queues behind the same registry of job types (@everyskill/jobs):
--   * PostgreSQL: pg-boss 10 in schema `pgboss`, created below from pg-boss's own construction
--     plan (PgBoss.getConstructionPlans('pgboss'), schema version 24, BEGIN/COMMIT removed because
--     the runner wraps this file in one transaction). The app's login role runs pg-boss with
--     migrate: false; upgrading pg-boss means a new migration from PgBoss.getMigrationPlans().
--   * the embedded PGlite (one process): the `job_queue` table, claimed with FOR UPDATE SKIP LOCKED.
-- Neither queue is tenant-scoped (workers serve every tenant), so neither carries a tenant_id
-- column or RLS; payloads name their tenant and handlers open withTenant() themselves.

-- ---------------------------------------------------------------------------------------------
-- pg-boss schema (generated; keep byte-for-byte what pg-boss 10.4.2 produces)
-- ---------------------------------------------------------------------------------------------
    SET LOCAL lock_timeout = '30s';
    SET LOCAL idle_in_transaction_session_timeout = '30s';
    SELECT pg_advisory_xact_lock(
      ('x' || encode(sha224((current_database() || '.pgboss.pgboss')::bytea), 'hex'))::bit(64)::bigint
  );
    
    CREATE SCHEMA IF NOT EXISTS pgboss
  ;

    CREATE TYPE pgboss.job_state AS ENUM (
      'created',
      'retry',
      'active',
      'completed',
      'cancelled',
      'failed'
    )
  ;

    CREATE TABLE pgboss.version (
      version int primary key,
      maintained_on timestamp with time zone,
      cron_on timestamp with time zone,
      monitored_on timestamp with time zone
    )
  ;

    CREATE TABLE pgboss.queue (
      name text,
      policy text,
      retry_limit int,
      retry_delay int,
      retry_backoff bool,
      expire_seconds int,
      retention_minutes int,
      dead_letter text REFERENCES pgboss.queue (name),
      partition_name text,
      created_on timestamp with time zone not null default now(),
      updated_on timestamp with time zone not null default now(),
      PRIMARY KEY (name)
    )
  ;

    CREATE TABLE pgboss.schedule (
      name text REFERENCES pgboss.queue ON DELETE CASCADE,
      cron text not null,
      timezone text,
      data jsonb,
      options jsonb,
      created_on timestamp with time zone not null default now(),
      updated_on timestamp with time zone not null default now(),
      PRIMARY KEY (name)
    )
  ;

    CREATE TABLE pgboss.subscription (
      event text not null,
      name text not null REFERENCES pgboss.queue ON DELETE CASCADE,
      created_on timestamp with time zone not null default now(),
      updated_on timestamp with time zone not null default now(),
      PRIMARY KEY(event, name)
    )
  ;

    CREATE TABLE pgboss.job (
      id uuid not null default gen_random_uuid(),
      name text not null,
      priority integer not null default(0),
      data jsonb,
      state pgboss.job_state not null default('created'),
      retry_limit integer not null default(2),
      retry_count integer not null default(0),
      retry_delay integer not null default(0),
      retry_backoff boolean not null default false,
      start_after timestamp with time zone not null default now(),
      started_on timestamp with time zone,
      singleton_key text,
      singleton_on timestamp without time zone,
      expire_in interval not null default interval '15 minutes',
      created_on timestamp with time zone not null default now(),
      completed_on timestamp with time zone,
      keep_until timestamp with time zone NOT NULL default now() + interval '14 days',
      output jsonb,
      dead_letter text,
      policy text
    ) PARTITION BY LIST (name)
  ;
ALTER TABLE pgboss.job ADD PRIMARY KEY (name, id);
CREATE TABLE pgboss.archive (LIKE pgboss.job);
ALTER TABLE pgboss.archive ADD PRIMARY KEY (name, id);
ALTER TABLE pgboss.archive ADD archived_on timestamptz NOT NULL DEFAULT now();
CREATE INDEX archive_i1 ON pgboss.archive(archived_on);

    CREATE FUNCTION pgboss.create_queue(queue_name text, options json)
    RETURNS VOID AS
    $$
    DECLARE
      table_name varchar := 'j' || encode(sha224(queue_name::bytea), 'hex');
      queue_created_on timestamptz;
    BEGIN

      WITH q as (
      INSERT INTO pgboss.queue (
        name,
        policy,
        retry_limit,
        retry_delay,
        retry_backoff,
        expire_seconds,
        retention_minutes,
        dead_letter,
        partition_name
      )
      VALUES (
        queue_name,
        options->>'policy',
        (options->>'retryLimit')::int,
        (options->>'retryDelay')::int,
        (options->>'retryBackoff')::bool,
        (options->>'expireInSeconds')::int,
        (options->>'retentionMinutes')::int,
        options->>'deadLetter',
        table_name
      )
      ON CONFLICT DO NOTHING
      RETURNING created_on
      )
      SELECT created_on into queue_created_on from q;

      IF queue_created_on IS NULL THEN
        RETURN;
      END IF;

      EXECUTE format('CREATE TABLE pgboss.%I (LIKE pgboss.job INCLUDING DEFAULTS)', table_name);

      EXECUTE format('ALTER TABLE pgboss.%1$I ADD PRIMARY KEY (name, id)', table_name);
      EXECUTE format('ALTER TABLE pgboss.%1$I ADD CONSTRAINT q_fkey FOREIGN KEY (name) REFERENCES pgboss.queue (name) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED', table_name);
      EXECUTE format('ALTER TABLE pgboss.%1$I ADD CONSTRAINT dlq_fkey FOREIGN KEY (dead_letter) REFERENCES pgboss.queue (name) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED', table_name);
      EXECUTE format('CREATE UNIQUE INDEX %1$s_i1 ON pgboss.%1$I (name, COALESCE(singleton_key, '''')) WHERE state = ''created'' AND policy = ''short''', table_name);
      EXECUTE format('CREATE UNIQUE INDEX %1$s_i2 ON pgboss.%1$I (name, COALESCE(singleton_key, '''')) WHERE state = ''active'' AND policy = ''singleton''', table_name);
      EXECUTE format('CREATE UNIQUE INDEX %1$s_i3 ON pgboss.%1$I (name, state, COALESCE(singleton_key, '''')) WHERE state <= ''active'' AND policy = ''stately''', table_name);
      EXECUTE format('CREATE UNIQUE INDEX %1$s_i4 ON pgboss.%1$I (name, singleton_on, COALESCE(singleton_key, '''')) WHERE state <> ''cancelled'' AND singleton_on IS NOT NULL', table_name);
      EXECUTE format('CREATE INDEX %1$s_i5 ON pgboss.%1$I (name, start_after) INCLUDE (priority, created_on, id) WHERE state < ''active''', table_name);

      EXECUTE format('ALTER TABLE pgboss.%I ADD CONSTRAINT cjc CHECK (name=%L)', table_name, queue_name);
      EXECUTE format('ALTER TABLE pgboss.job ATTACH PARTITION pgboss.%I FOR VALUES IN (%L)', table_name, queue_name);
    END;
    $$
    LANGUAGE plpgsql;
  ;

    CREATE FUNCTION pgboss.delete_queue(queue_name text)
    RETURNS VOID AS
    $$
    DECLARE
      table_name varchar;
    BEGIN
      WITH deleted as (
        DELETE FROM pgboss.queue
        WHERE name = queue_name
        RETURNING partition_name
      )
      SELECT partition_name from deleted INTO table_name;

      EXECUTE format('DROP TABLE IF EXISTS pgboss.%I', table_name);
    END;
    $$
    LANGUAGE plpgsql;
  ;
INSERT INTO pgboss.version(version) VALUES ('24');

-- The app role queues, fetches, completes and archives jobs; it owns nothing in the schema.
GRANT USAGE ON SCHEMA pgboss TO everyskill_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO everyskill_app;
-- A queue is a new partition of pgboss.job, which only the table owner may attach: the app role
-- creates queues through this definer function (queue names are quoted with %I/%L inside it).
ALTER FUNCTION pgboss.create_queue(text, json) SECURITY DEFINER SET search_path = pg_catalog, pgboss;
REVOKE ALL ON FUNCTION pgboss.create_queue(text, json) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgboss.create_queue(text, json) TO everyskill_app;
REVOKE ALL ON FUNCTION pgboss.delete_queue(text) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- job_queue: the embedded database's queue (same job types and handlers as pg-boss)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE job_queue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  payload jsonb NOT NULL,
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'retry', 'active', 'completed', 'failed', 'cancelled')),
  singleton_key text,
  -- executions started so far; the job fails for good after 1 + retry_limit of them
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  retry_limit integer NOT NULL CHECK (retry_limit >= 0),
  retry_delay_seconds integer NOT NULL CHECK (retry_delay_seconds >= 0),
  retry_backoff boolean NOT NULL,
  expire_seconds integer NOT NULL CHECK (expire_seconds > 0),
  run_after timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  last_error text,
  output jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- At most one waiting job per (type, singleton key): enqueueing a duplicate is a no-op.
CREATE UNIQUE INDEX job_queue_singleton_key ON job_queue (name, singleton_key)
  WHERE state = 'queued' AND singleton_key IS NOT NULL;
CREATE INDEX job_queue_fetch_idx ON job_queue (run_after) WHERE state IN ('queued', 'retry');
CREATE INDEX job_queue_tenant_idx ON job_queue ((payload ->> 'tenantId'), created_at DESC);
GRANT SELECT, INSERT, UPDATE, DELETE ON job_queue TO everyskill_app;

-- ---------------------------------------------------------------------------------------------
-- Mutable tables below grant DELETE for tenant purges (as 0003 does); the product never deletes
-- their rows. Revisions, decisions and benchmark results are facts: no UPDATE, no DELETE.
-- ---------------------------------------------------------------------------------------------
-- Review workflow settings, one row per tenant (no row = publish directly). Kept out of `tenants`
-- so the settings have their own privileges and history columns.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE tenant_review_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  review_mode text NOT NULL DEFAULT 'direct' CHECK (review_mode IN ('direct', 'approval')),
  -- With approval on: a submission whose AI scores are all at least this is approved automatically.
  auto_approve_threshold smallint CHECK (auto_approve_threshold BETWEEN 1 AND 10),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenant_review_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_review_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_review_settings_tenant ON tenant_review_settings
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_review_settings TO everyskill_app;

-- ---------------------------------------------------------------------------------------------
-- Submissions: with approval on, a skill (or a new version of one) waits here until a reviewer
-- approves it; only then is it published. Revisions and decisions are facts (insert-only).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE skill_submissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- null while the submission proposes a new skill
  skill_id uuid,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
  author_user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'in_review'
    CHECK (status IN ('in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn')),
  -- the version the submission changes (the diff's left side); null for a new skill
  base_version_id uuid,
  published_version_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, base_version_id) REFERENCES skill_versions (tenant_id, id),
  FOREIGN KEY (tenant_id, published_version_id) REFERENCES skill_versions (tenant_id, id)
);
-- One open submission per skill name: revising replaces the draft instead of queueing a second one.
CREATE UNIQUE INDEX skill_submissions_open_key ON skill_submissions (tenant_id, slug)
  WHERE status IN ('in_review', 'changes_requested');
CREATE INDEX skill_submissions_queue_idx ON skill_submissions (tenant_id, status, updated_at DESC);
CREATE INDEX skill_submissions_author_idx ON skill_submissions (tenant_id, author_user_id, updated_at DESC);
ALTER TABLE skill_submissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_submissions FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_submissions_tenant ON skill_submissions
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_submissions TO everyskill_app;

CREATE TABLE skill_submission_revisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  submission_id uuid NOT NULL,
  revision integer NOT NULL CHECK (revision >= 1),
  skill_md text NOT NULL CHECK (length(skill_md) BETWEEN 1 AND 200000),
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  notes text CHECK (length(notes) <= 2000),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (submission_id, revision),
  FOREIGN KEY (tenant_id, submission_id) REFERENCES skill_submissions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skill_submission_revisions_tenant_idx ON skill_submission_revisions (tenant_id);
ALTER TABLE skill_submission_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_submission_revisions FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_submission_revisions_tenant ON skill_submission_revisions
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON skill_submission_revisions TO everyskill_app;
CREATE TRIGGER skill_submission_revisions_immutable BEFORE UPDATE ON skill_submission_revisions
  FOR EACH ROW EXECUTE FUNCTION refuse_update_immutable();

CREATE TABLE review_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  submission_id uuid NOT NULL,
  revision_id uuid NOT NULL,
  decision text NOT NULL
    CHECK (decision IN ('submitted', 'revised', 'approved', 'auto_approved', 'changes_requested', 'rejected', 'withdrawn')),
  -- null for the system (auto-approval)
  actor_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  comment text CHECK (length(comment) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, submission_id) REFERENCES skill_submissions (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, revision_id) REFERENCES skill_submission_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX review_decisions_submission_idx ON review_decisions (submission_id, created_at);
CREATE INDEX review_decisions_tenant_idx ON review_decisions (tenant_id);
ALTER TABLE review_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY review_decisions_tenant ON review_decisions
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON review_decisions TO everyskill_app;
CREATE TRIGGER review_decisions_immutable BEFORE UPDATE ON review_decisions
  FOR EACH ROW EXECUTE FUNCTION refuse_update_immutable();

-- What the author is told about decisions on their submissions. (Until a product-wide
-- notifications table exists, the review workflow keeps its own.)
CREATE TABLE review_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  submission_id uuid NOT NULL,
  decision text NOT NULL,
  message text NOT NULL CHECK (length(message) <= 2000),
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, submission_id) REFERENCES skill_submissions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX review_notifications_user_idx ON review_notifications (tenant_id, user_id, created_at DESC);
ALTER TABLE review_notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY review_notifications_tenant ON review_notifications
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON review_notifications TO everyskill_app;

-- ---------------------------------------------------------------------------------------------
-- AI reviews: of a published version, or of a submission's revision. Several per subject
-- (re-review on demand); the newest counts. Status moves queued → running → completed | failed.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE ai_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  skill_id uuid,
  version_id uuid,
  submission_revision_id uuid,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  model text NOT NULL,
  -- sha256 of what was reviewed: the version's bundle hash, or the revision's SKILL.md hash
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  quality_score smallint CHECK (quality_score BETWEEN 1 AND 10),
  clarity_score smallint CHECK (clarity_score BETWEEN 1 AND 10),
  completeness_score smallint CHECK (completeness_score BETWEEN 1 AND 10),
  result jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  input_tokens integer,
  output_tokens integer,
  cost_usd numeric(12, 6),
  latency_ms integer,
  hidden boolean NOT NULL DEFAULT false,
  hidden_by uuid REFERENCES users(id) ON DELETE SET NULL,
  requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
  job_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CHECK ((version_id IS NULL) <> (submission_revision_id IS NULL)),
  CHECK (version_id IS NULL OR skill_id IS NOT NULL),
  CHECK (status <> 'completed' OR (quality_score IS NOT NULL AND clarity_score IS NOT NULL AND completeness_score IS NOT NULL AND result IS NOT NULL)),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, version_id) REFERENCES skill_versions (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, submission_revision_id) REFERENCES skill_submission_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ai_reviews_version_idx ON ai_reviews (version_id, created_at DESC) WHERE version_id IS NOT NULL;
CREATE INDEX ai_reviews_revision_idx ON ai_reviews (submission_revision_id, created_at DESC) WHERE submission_revision_id IS NOT NULL;
CREATE INDEX ai_reviews_tenant_idx ON ai_reviews (tenant_id, created_at DESC);
-- At most one review waiting or running per subject: a second request joins it.
CREATE UNIQUE INDEX ai_reviews_one_open_per_version ON ai_reviews (version_id) WHERE status IN ('queued', 'running') AND version_id IS NOT NULL;
CREATE UNIQUE INDEX ai_reviews_one_open_per_revision ON ai_reviews (submission_revision_id)
  WHERE status IN ('queued', 'running') AND submission_revision_id IS NOT NULL;
ALTER TABLE ai_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY ai_reviews_tenant ON ai_reviews
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON ai_reviews TO everyskill_app;

-- ---------------------------------------------------------------------------------------------
-- Benchmarks: up to 5 tasks × each configured model × with and without the skill, each answer
-- graded 0-100 by a judge model that does not know which run it grades.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE benchmark_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  skill_id uuid NOT NULL,
  version_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  models text[] NOT NULL CHECK (cardinality(models) BETWEEN 1 AND 4),
  judge_model text NOT NULL,
  -- [{ "task": "...", "expectedOutcome": "..." }], 1 to 5 of them
  tasks jsonb NOT NULL CHECK (jsonb_typeof(tasks) = 'array' AND jsonb_array_length(tasks) BETWEEN 1 AND 5),
  steps_done integer NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
  steps_total integer NOT NULL CHECK (steps_total >= 1),
  error text,
  requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
  cancel_requested_at timestamptz,
  job_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, version_id) REFERENCES skill_versions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX benchmark_runs_skill_idx ON benchmark_runs (skill_id, created_at DESC);
CREATE INDEX benchmark_runs_tenant_idx ON benchmark_runs (tenant_id);
-- One run at a time per skill.
CREATE UNIQUE INDEX benchmark_runs_one_open_per_skill ON benchmark_runs (skill_id) WHERE status IN ('queued', 'running');
ALTER TABLE benchmark_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE benchmark_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY benchmark_runs_tenant ON benchmark_runs
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON benchmark_runs TO everyskill_app;

CREATE TABLE benchmark_results (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  run_id uuid NOT NULL,
  task_index smallint NOT NULL CHECK (task_index BETWEEN 0 AND 4),
  model text NOT NULL,
  with_skill boolean NOT NULL,
  answer text NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
  judge_reasoning text NOT NULL,
  input_tokens integer NOT NULL,
  output_tokens integer NOT NULL,
  latency_ms integer NOT NULL,
  -- null when the model has no configured price
  cost_usd numeric(12, 6),
  judge_cost_usd numeric(12, 6),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- a retried run resumes: cells already graded are not run again
  UNIQUE (run_id, task_index, model, with_skill),
  FOREIGN KEY (tenant_id, run_id) REFERENCES benchmark_runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX benchmark_results_tenant_idx ON benchmark_results (tenant_id);
ALTER TABLE benchmark_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE benchmark_results FORCE ROW LEVEL SECURITY;
CREATE POLICY benchmark_results_tenant ON benchmark_results
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT ON benchmark_results TO everyskill_app;
CREATE TRIGGER benchmark_results_immutable BEFORE UPDATE ON benchmark_results
  FOR EACH ROW EXECUTE FUNCTION refuse_update_immutable();
