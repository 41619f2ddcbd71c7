-- Publishing an earlier version's content again is a revert: it becomes a new version, the latest.
-- 0003 made content unique per skill, which turned a revert into "unchanged" (pointing at the old
-- version, the latest staying as it was). Versions stay unique by number and immutable.
ALTER TABLE skill_versions DROP CONSTRAINT skill_versions_skill_id_content_sha256_key;
