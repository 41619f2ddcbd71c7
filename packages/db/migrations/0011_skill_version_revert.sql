-- Restoring an earlier version publishes its content again as a new version, the latest (the
-- portal's "Restore"). 0003 made content unique per skill, which made a rollback impossible without
-- an edit. Versions stay unique by number and immutable; an ordinary publish of content a version
-- already has is still a no-op that returns that version.
ALTER TABLE skill_versions DROP CONSTRAINT skill_versions_skill_id_content_sha256_key;
CREATE INDEX skill_versions_skill_content_idx ON skill_versions (skill_id, content_sha256);
