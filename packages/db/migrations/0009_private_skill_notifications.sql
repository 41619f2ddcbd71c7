-- A follower of a skill that has since been made private (or deleted) is no longer told about its
-- new versions: 0007's trigger checked only that the follower is an active member, so the bell of
-- someone who may not see the skill showed its name and a link to it. Only its author still is.

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
    AND s.deleted_at IS NULL
    AND (s.visibility <> 'private' OR people.user_id = s.author_user_id)
    AND people.user_id IS DISTINCT FROM NEW.published_by
  ON CONFLICT (user_id, dedupe_key) DO NOTHING;
  RETURN NEW;
END
$$;
