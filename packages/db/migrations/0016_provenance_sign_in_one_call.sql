-- Signing a version (issue 20) in one round trip whose plans PostgreSQL keeps per connection (a
-- statement sent by the app is planned on every call, which was most of the database's share of
-- signing a publish): lock the tenant's current key, then read what the attestation states. The
-- function is VOLATILE so that, in READ COMMITTED, the facts (and the log's head among them) are
-- read with a snapshot taken after the lock is held. Row-level security applies as for the caller
-- (SECURITY INVOKER). Null key: the tenant has none yet (the app makes it, then calls again).
CREATE OR REPLACE FUNCTION provenance_lock_key_and_read_facts(p_tenant_id uuid, p_version_id uuid) RETURNS json
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
  signing_key json;
  facts json;
BEGIN
  SELECT json_build_object('keyid', k.keyid, 'privateKeyEncrypted', k.private_key_encrypted) INTO signing_key
  FROM tenant_signing_keys k
  WHERE k.tenant_id = p_tenant_id AND k.valid_until IS NULL
  FOR UPDATE;
  IF signing_key IS NULL THEN
    RETURN json_build_object('key', NULL, 'facts', NULL);
  END IF;
  SELECT json_build_object(
      'version_id', v.id, 'version', v.version, 'content_sha256', v.content_sha256, 'blob_key', v.blob_key, 'files', v.files,
      'published_at', v.created_at, 'published_by', v.published_by, 'publisher_email', u.email,
      'skill_id', s.id, 'skill_slug', s.slug, 'tenant_slug', t.slug, 'tenant_name', t.name,
      'parent_skill_id', s.forked_from_skill_id, 'parent_version_id', s.forked_from_version_id,
      'parent_slug', (SELECT p.slug FROM skills p WHERE p.id = s.forked_from_skill_id),
      'parent_version', (SELECT pv.version FROM skill_versions pv WHERE pv.id = s.forked_from_version_id),
      'safety', (SELECT json_build_object('verdict', x.verdict, 'rulesVersion', x.rules_version, 'scannedAt', x.scanned_at,
                   'overrideReason', x.override_reason, 'overriddenAt', x.overridden_at)
                 FROM skill_version_safety x WHERE x.version_id = v.id),
      'review', (SELECT json_build_object('decision', d.decision, 'actorUserId', d.actor_user_id,
                   'email', (SELECT r.email FROM users r WHERE r.id = d.actor_user_id), 'createdAt', d.created_at)
                 FROM review_decisions d
                 WHERE d.submission_id IN (SELECT sub.id FROM skill_submissions sub WHERE sub.published_version_id = v.id)
                   AND d.decision IN ('approved', 'auto_approved')
                 ORDER BY d.created_at DESC LIMIT 1),
      'last_entry', (SELECT json_build_object('seq', l.seq, 'entryHash', l.entry_hash)
                     FROM provenance_log l WHERE l.tenant_id = p_tenant_id ORDER BY l.seq DESC LIMIT 1))
    INTO facts
  FROM skill_versions v
  JOIN skills s ON s.id = v.skill_id
  JOIN tenants t ON t.id = v.tenant_id
  LEFT JOIN users u ON u.id = v.published_by
  WHERE v.id = p_version_id;
  RETURN json_build_object('key', signing_key, 'facts', facts);
END
$$;

REVOKE ALL ON FUNCTION provenance_lock_key_and_read_facts(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION provenance_lock_key_and_read_facts(uuid, uuid) TO everyskill_app;
