-- Digests by email, in-app notifications, follows.
--
-- digest_runs is the exactly-once key: one row per (kind, period), whichever instance of the app
-- the scheduler calls, however often. It spans tenants and holds no tenant data (only counts), so
-- like job_queue it has no tenant_id and no RLS. Everything per person is tenant-scoped and
-- follows the pattern of 0001: tenant_id, ENABLE + FORCE row-level security, app role only.

CREATE TABLE digest_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('daily', 'weekly')),
  -- '2026-12-05' for a daily run, '2026-W49' for a weekly one (ISO week); windows are UTC
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-([0-9]{2}-[0-9]{2}|W[0-9]{2})$'),
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL CHECK (window_end > window_start),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'planned')),
  -- deliveries created by the latest planning pass (a repeated call plans again for new subscribers)
  recipients integer NOT NULL DEFAULT 0 CHECK (recipients >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  planned_at timestamptz,
  UNIQUE (kind, period)
);
GRANT SELECT, INSERT, UPDATE ON digest_runs TO everyskill_app;

-- A person's choices: how often the digest comes. No row = DIGEST_DEFAULT_FREQUENCY.
CREATE TABLE notification_preferences (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  digest text NOT NULL CHECK (digest IN ('off', 'daily', 'weekly')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX notification_preferences_user_idx ON notification_preferences (user_id);
ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_preferences_tenant ON notification_preferences
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON notification_preferences TO everyskill_app;

-- Skills a person follows: their changes show in the digest and as notifications.
CREATE TABLE skill_follows (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  skill_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, skill_id),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skill_follows_skill_idx ON skill_follows (tenant_id, skill_id);
ALTER TABLE skill_follows ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_follows FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_follows_tenant ON skill_follows
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_follows TO everyskill_app;

-- One email to one person for one run. UNIQUE (run_id, user_id) is what keeps a second call, or a
-- second app instance, from sending twice; the send job locks the row and skips a 'sent' one.
CREATE TABLE digest_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES digest_runs(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  message_id text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (run_id, user_id)
);
CREATE INDEX digest_deliveries_tenant_idx ON digest_deliveries (tenant_id, created_at DESC);
ALTER TABLE digest_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE digest_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY digest_deliveries_tenant ON digest_deliveries
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON digest_deliveries TO everyskill_app;

-- In-app notifications (the bell). review_notifications stays the review workflow's own record.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('skill_updated', 'review_requested')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  link text NOT NULL CHECK (link ~ '^/'),
  -- one notification per person per event, however often the event's trigger fires
  dedupe_key text NOT NULL,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_idx ON notifications (tenant_id, user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (tenant_id, user_id) WHERE read_at IS NULL;
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_tenant ON notifications
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON notifications TO everyskill_app;

-- Notifications are written by triggers, in the transaction of the event, so every path that
-- publishes a version or submits for review (portal, API, MCP, CLI) notifies alike. They run as
-- the caller under row-level security and write only when the caller acts in the row's tenant;
-- a maintenance insert without a tenant (owner, migrations) notifies nobody instead of failing.
CREATE OR REPLACE FUNCTION notify_skill_version_published() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF app_current_tenant() IS DISTINCT FROM NEW.tenant_id THEN
    RETURN NEW;
  END IF;
  INSERT INTO notifications (tenant_id, user_id, kind, title, link, dedupe_key)
  SELECT NEW.tenant_id, people.user_id, 'skill_updated',
         left(s.name || ' has a new version: ' || NEW.version, 300), '/skills/' || s.slug, 'version:' || NEW.id
  FROM skills s
  JOIN (
    SELECT f.user_id FROM skill_follows f WHERE f.skill_id = NEW.skill_id
    UNION
    SELECT sk.author_user_id FROM skills sk WHERE sk.id = NEW.skill_id AND sk.author_user_id IS NOT NULL
  ) people ON true
  JOIN memberships m ON m.tenant_id = NEW.tenant_id AND m.user_id = people.user_id AND m.status = 'active'
  WHERE s.id = NEW.skill_id
    AND people.user_id IS DISTINCT FROM NEW.published_by
  ON CONFLICT (user_id, dedupe_key) DO NOTHING;
  RETURN NEW;
END
$$;
CREATE TRIGGER skill_versions_notify AFTER INSERT ON skill_versions
  FOR EACH ROW EXECUTE FUNCTION notify_skill_version_published();

CREATE OR REPLACE FUNCTION notify_review_requested() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF app_current_tenant() IS DISTINCT FROM NEW.tenant_id OR NEW.status <> 'in_review' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'in_review' AND OLD.updated_at = NEW.updated_at THEN
    RETURN NEW;
  END IF;
  INSERT INTO notifications (tenant_id, user_id, kind, title, link, dedupe_key)
  SELECT NEW.tenant_id, m.user_id, 'review_requested',
         left(NEW.slug || ' is waiting for review', 300), '/reviews/' || NEW.id,
         'review:' || NEW.id || ':' || extract(epoch FROM NEW.updated_at)::text
  FROM memberships m
  WHERE m.tenant_id = NEW.tenant_id AND m.status = 'active' AND m.role IN ('admin', 'reviewer')
    AND m.user_id <> NEW.author_user_id
  ON CONFLICT (user_id, dedupe_key) DO NOTHING;
  RETURN NEW;
END
$$;
CREATE TRIGGER skill_submissions_notify AFTER INSERT OR UPDATE OF status, updated_at ON skill_submissions
  FOR EACH ROW EXECUTE FUNCTION notify_review_requested();
