-- Rate-limit hits are charged to the window the app counted them in, not to the window the
-- database happens to be in when a batch arrives. 0005's rate_limit_add dated every batch at the
-- database clock, so a batch counted just before a window boundary and flushed just after it was
-- charged to the fresh window, refusing its first request.
--
-- The app passes the start of its window. Hits for the row's current window are added; hits for a
-- newer window start the row afresh; hits for an older window (a batch that arrived after another
-- instance opened the next window) are dropped, and the row's current totals are returned as they
-- are. A window start more than one window ahead of the database clock is refused, so the
-- counters cannot be pushed into the future to reset them.

CREATE OR REPLACE FUNCTION rate_limit_add(
  p_buckets text[], p_hits integer[], p_window_seconds integer, p_window_start timestamptz
)
  RETURNS TABLE (bucket text, hits integer, window_start timestamptz, resets_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
BEGIN
  IF p_window_seconds IS NULL OR p_window_seconds < 1 THEN
    RAISE EXCEPTION 'rate_limit_add: window of % s is not allowed', p_window_seconds;
  END IF;
  IF p_window_start IS NULL OR p_window_start > clock_timestamp() + make_interval(secs => p_window_seconds) THEN
    RAISE EXCEPTION 'rate_limit_add: window start % is ahead of the database clock', p_window_start;
  END IF;
  RETURN QUERY
  INSERT INTO rate_limit_buckets AS b (bucket, window_start, hits)
  SELECT u.bucket, p_window_start, u.hits
  FROM (SELECT x.bucket, sum(x.hits)::integer AS hits
        FROM unnest(p_buckets, p_hits) AS x(bucket, hits) GROUP BY x.bucket ORDER BY x.bucket) u
  ON CONFLICT ON CONSTRAINT rate_limit_buckets_pkey DO UPDATE
    SET hits = CASE
                 WHEN b.window_start = EXCLUDED.window_start THEN b.hits + EXCLUDED.hits
                 WHEN b.window_start < EXCLUDED.window_start THEN EXCLUDED.hits
                 ELSE b.hits
               END,
        window_start = greatest(b.window_start, EXCLUDED.window_start)
  RETURNING b.bucket, b.hits, b.window_start, b.window_start + make_interval(secs => p_window_seconds);
END
$$;
REVOKE ALL ON FUNCTION rate_limit_add(text[], integer[], integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rate_limit_add(text[], integer[], integer, timestamptz) TO everyskill_app;

-- 0005's three-argument form stays for one release: during a promote the previous build still
-- runs against the migrated database and counts through it. Both forms write the same rows.
