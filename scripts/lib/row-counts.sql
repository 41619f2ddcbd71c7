-- Exact row count of every table outside the system schemas (public, and pgboss when the job
-- queue uses it), keyed "schema.table": backup.sh records it in the manifest, read in the dump's
-- own snapshot, and restore.sh compares the restored database against it.
SELECT coalesce(json_object_agg(n.nspname || '.' || t.relname,
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, t.relname), false, true, '')))[1]::text::bigint
  ORDER BY n.nspname, t.relname), '{}')
FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e');
