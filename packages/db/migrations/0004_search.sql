-- Search: an inverted index of the skills kept in step by a trigger, embeddings of any provider
-- and dimension with one HNSW index per supported dimension, re-embed runs, and search analytics.
-- Tenant tables follow 0001_init.sql: tenant_id, ENABLE + FORCE RLS, policies on
-- app_current_tenant(), privileges for everyskill_app only; child rows reference (tenant_id, skill_id).
--
-- Why postings rather than a GIN index on a tsvector: under row-level security PostgreSQL only
-- uses an index for conditions whose operators are leakproof. Text search (@@) and trigram (%)
-- operators are not, so a GIN or trigram index is never used for the app role and every search
-- would read all of a tenant's documents. Postings are found by equality on (tenant, lexeme),
-- which is leakproof, index-ordered by weight, and carry what BM25-style ranking needs.

-- The markdown after a SKILL.md's YAML frontmatter (the frontmatter's name and description are
-- indexed on their own, with more weight).
CREATE OR REPLACE FUNCTION skill_markdown_body(md text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT regexp_replace(ltrim(coalesce(md, ''), E' \t\r\n'), '^---.*?\n---', '') $$;

-- What of a SKILL.md body keyword search indexes (the embedding input covers more of it).
CREATE OR REPLACE FUNCTION skill_search_body(md text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT left(skill_markdown_body(md), 2000) $$;

-- The weighted text of a skill: name and tags A, description B, body C.
CREATE OR REPLACE FUNCTION skill_search_tsv(name text, tags text[], description text, body text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT setweight(to_tsvector('english', name || ' ' || replace(name, '-', ' ')), 'A')
        || setweight(to_tsvector('english', array_to_string(tags, ' ')), 'A')
        || setweight(to_tsvector('english', description), 'B')
        || setweight(to_tsvector('english', coalesce(body, '')), 'C')
  $$;

-- A document's postings: each lexeme once, weighted by the best field it occurs in (name and
-- tags 1, description 0.5, body 0.2) plus a little for repetition. Very long lexemes (URLs,
-- hashes, code) are left out.
CREATE OR REPLACE FUNCTION skill_search_postings(doc tsvector) RETURNS TABLE (lexeme text, weight real)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT u.lexeme,
           (CASE WHEN 'A' = ANY (u.weights) THEN 1.0
                 WHEN 'B' = ANY (u.weights) THEN 0.5
                 WHEN 'C' = ANY (u.weights) THEN 0.2
                 ELSE 0.1 END
            + 0.1 * ln(coalesce(array_length(u.positions, 1), 1)))::real
    FROM unnest(doc) AS u(lexeme, positions, weights)
    WHERE length(u.lexeme) <= 40
  $$;

-- One row per live skill: what snippets read, and which version the index reflects.
CREATE TABLE skill_search_documents (
  skill_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  version_id uuid,
  -- The start of the body, for result snippets.
  excerpt text NOT NULL DEFAULT '',
  indexed_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE skill_search_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_search_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_search_documents_tenant ON skill_search_documents
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_search_documents TO everyskill_app;

-- The inverted index: one row per (skill, lexeme). Search reads the heaviest postings of each
-- query word first (the index order), so a common word costs no more than a rare one.
CREATE TABLE search_postings (
  tenant_id uuid NOT NULL,
  lexeme text NOT NULL,
  skill_id uuid NOT NULL,
  weight real NOT NULL,
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX search_postings_lookup_idx ON search_postings (tenant_id, lexeme, weight DESC, skill_id);
CREATE INDEX search_postings_skill_idx ON search_postings (skill_id);
ALTER TABLE search_postings ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_postings FORCE ROW LEVEL SECURITY;
CREATE POLICY search_postings_tenant ON search_postings
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON search_postings TO everyskill_app;

-- How many of a tenant's skills contain each lexeme (lexeme '' counts the skills): the document
-- frequencies behind IDF ranking, and the vocabulary misspelt words are corrected against.
CREATE TABLE search_lexeme_stats (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  lexeme text NOT NULL,
  ndoc integer NOT NULL,
  PRIMARY KEY (tenant_id, lexeme)
);
ALTER TABLE search_lexeme_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_lexeme_stats FORCE ROW LEVEL SECURITY;
CREATE POLICY search_lexeme_stats_tenant ON search_lexeme_stats
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON search_lexeme_stats TO everyskill_app;

-- Moves a tenant's document frequencies from a skill's old lexemes to its new ones (either NULL
-- when the skill appears or goes). Rows are touched in lexeme order, so concurrent publishes
-- cannot deadlock on them.
CREATE OR REPLACE FUNCTION search_count_lexemes(tenant uuid, old_lexemes text[], new_lexemes text[]) RETURNS void
  LANGUAGE sql
  AS $$
    INSERT INTO search_lexeme_stats AS st (tenant_id, lexeme, ndoc)
    SELECT tenant, lexeme, sum(delta)::int
    FROM (
      SELECT unnest(new_lexemes) AS lexeme, 1 AS delta
      UNION ALL SELECT unnest(old_lexemes), -1
      UNION ALL SELECT '', (new_lexemes IS NOT NULL)::int - (old_lexemes IS NOT NULL)::int
    ) changes
    GROUP BY lexeme
    HAVING sum(delta) <> 0
    ORDER BY lexeme
    ON CONFLICT (tenant_id, lexeme) DO UPDATE SET ndoc = st.ndoc + EXCLUDED.ndoc
  $$;

-- Keyword search must see a skill the moment it is published, edited or deleted, without a job:
-- its postings are rebuilt in the same transaction as the change, as the invoking role (RLS applies).
CREATE OR REPLACE FUNCTION skill_search_document_refresh() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  body text := '';
  old_lexemes text[];
  new_lexemes text[];
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.name IS NOT DISTINCT FROM OLD.name
     AND NEW.description IS NOT DISTINCT FROM OLD.description
     AND NEW.tags IS NOT DISTINCT FROM OLD.tags
     AND NEW.latest_version_id IS NOT DISTINCT FROM OLD.latest_version_id
     AND NEW.deleted_at IS NOT DISTINCT FROM OLD.deleted_at THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM skill_search_documents d WHERE d.skill_id = NEW.id) THEN
    SELECT coalesce(array_agg(p.lexeme), '{}') INTO old_lexemes FROM search_postings p WHERE p.skill_id = NEW.id;
    DELETE FROM search_postings WHERE skill_id = NEW.id;
  END IF;
  IF NEW.deleted_at IS NOT NULL THEN
    DELETE FROM skill_search_documents WHERE skill_id = NEW.id;
  ELSE
    IF NEW.latest_version_id IS NOT NULL THEN
      SELECT skill_search_body(v.skill_md) INTO body FROM skill_versions v WHERE v.id = NEW.latest_version_id;
    END IF;
    INSERT INTO skill_search_documents AS d (skill_id, tenant_id, version_id, excerpt, indexed_at)
    VALUES (NEW.id, NEW.tenant_id, NEW.latest_version_id, left(coalesce(body, ''), 600), now())
    ON CONFLICT (skill_id) DO UPDATE SET
      version_id = EXCLUDED.version_id, excerpt = EXCLUDED.excerpt, indexed_at = EXCLUDED.indexed_at;
    INSERT INTO search_postings (tenant_id, lexeme, skill_id, weight)
    SELECT NEW.tenant_id, p.lexeme, NEW.id, p.weight
    FROM skill_search_postings(skill_search_tsv(NEW.name, NEW.tags, NEW.description, body)) AS p;
    SELECT coalesce(array_agg(p.lexeme), '{}') INTO new_lexemes FROM search_postings p WHERE p.skill_id = NEW.id;
  END IF;
  PERFORM search_count_lexemes(NEW.tenant_id, old_lexemes, new_lexemes);
  RETURN NULL;
END
$$;
CREATE TRIGGER skills_search_document
  AFTER INSERT OR UPDATE OF name, description, tags, latest_version_id, deleted_at ON skills
  FOR EACH ROW EXECUTE FUNCTION skill_search_document_refresh();

-- Rebuilds a tenant's documents, postings and frequencies from its skills in a few statements
-- (bulk loads, repairs, this migration). Runs under row-level security: set app.tenant_id first.
CREATE OR REPLACE FUNCTION search_rebuild_documents(tenant uuid) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  documents integer;
BEGIN
  DELETE FROM search_postings WHERE tenant_id = tenant;
  DELETE FROM skill_search_documents WHERE tenant_id = tenant;
  DELETE FROM search_lexeme_stats WHERE tenant_id = tenant;
  INSERT INTO skill_search_documents (skill_id, tenant_id, version_id, excerpt)
  SELECT s.id, s.tenant_id, s.latest_version_id, left(coalesce(skill_search_body(v.skill_md), ''), 600)
  FROM skills s LEFT JOIN skill_versions v ON v.id = s.latest_version_id
  WHERE s.tenant_id = tenant AND s.deleted_at IS NULL;
  GET DIAGNOSTICS documents = ROW_COUNT;
  INSERT INTO search_postings (tenant_id, lexeme, skill_id, weight)
  SELECT tenant, p.lexeme, s.id, p.weight
  FROM skills s LEFT JOIN skill_versions v ON v.id = s.latest_version_id,
       skill_search_postings(skill_search_tsv(s.name, s.tags, s.description, skill_search_body(v.skill_md))) AS p
  WHERE s.tenant_id = tenant AND s.deleted_at IS NULL;
  INSERT INTO search_lexeme_stats (tenant_id, lexeme, ndoc)
  SELECT tenant, lexeme, count(*)::int FROM search_postings WHERE tenant_id = tenant GROUP BY lexeme
  UNION ALL SELECT tenant, '', documents;
  RETURN documents;
END
$$;

-- Skills that existed before this migration, tenant by tenant (forced RLS binds the owner too).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t.id::text, true);
    PERFORM search_rebuild_documents(t.id);
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;

-- Embeddings of every provider and model in one table: the column has no fixed dimension, and
-- each supported dimension gets its own partial HNSW index over a cast to vector(N). Search
-- filters on the same cast and `dimensions = N`, so the planner can use that index.
-- Rows of another model (before a re-embed finishes) stay until replaced; search reads only the
-- configured provider and model.
CREATE TABLE skill_embeddings (
  tenant_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  provider text NOT NULL CHECK (provider IN ('voyage', 'ollama', 'builtin')),
  model text NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
  dimensions integer NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
  -- sha256 of the text that was embedded: an unchanged skill is not embedded again.
  input_sha256 text NOT NULL CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
  version_id uuid,
  embedding vector NOT NULL CHECK (vector_dims(embedding) = dimensions),
  embedded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (skill_id, provider, model),
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skill_embeddings_tenant_model_idx ON skill_embeddings (tenant_id, provider, model);
-- built-in (512), Ollama nomic-embed-text (768), Voyage voyage-3.5-lite (1024).
CREATE INDEX skill_embeddings_hnsw_512 ON skill_embeddings
  USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE dimensions = 512;
CREATE INDEX skill_embeddings_hnsw_768 ON skill_embeddings
  USING hnsw ((embedding::vector(768)) vector_cosine_ops) WHERE dimensions = 768;
CREATE INDEX skill_embeddings_hnsw_1024 ON skill_embeddings
  USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE dimensions = 1024;
ALTER TABLE skill_embeddings ENABLE ROW LEVEL SECURITY;
ALTER TABLE skill_embeddings FORCE ROW LEVEL SECURITY;
CREATE POLICY skill_embeddings_tenant ON skill_embeddings
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON skill_embeddings TO everyskill_app;

-- An admin's "re-embed all" after a model change, with its progress.
CREATE TABLE search_reembed_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider text NOT NULL,
  model text NOT NULL,
  dimensions integer NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  total integer NOT NULL DEFAULT 0 CHECK (total >= 0),
  done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
  failed integer NOT NULL DEFAULT 0 CHECK (failed >= 0),
  last_error text,
  requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX search_reembed_runs_tenant_created_idx ON search_reembed_runs (tenant_id, created_at DESC);
ALTER TABLE search_reembed_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_reembed_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY search_reembed_runs_tenant ON search_reembed_runs
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON search_reembed_runs TO everyskill_app;

-- Search analytics: what people looked for (sanitised: secrets and addresses masked, at most
-- 200 characters, no user id), how many results came back, and which result they opened.
CREATE TABLE search_queries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  query text NOT NULL CHECK (length(query) BETWEEN 1 AND 200),
  -- Lowercased, spaces collapsed: the grouping key of "top queries".
  normalized text NOT NULL CHECK (length(normalized) BETWEEN 1 AND 200),
  result_count integer NOT NULL CHECK (result_count >= 0),
  degraded boolean NOT NULL DEFAULT false,
  source text NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'api', 'mcp', 'cli')),
  latency_ms integer CHECK (latency_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX search_queries_tenant_created_idx ON search_queries (tenant_id, created_at DESC);
CREATE INDEX search_queries_tenant_normalized_idx ON search_queries (tenant_id, normalized);
ALTER TABLE search_queries ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_queries FORCE ROW LEVEL SECURITY;
CREATE POLICY search_queries_tenant ON search_queries
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, DELETE ON search_queries TO everyskill_app;

CREATE TABLE search_clicks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  query_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  position integer NOT NULL CHECK (position BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- One click per result of a search: reloading the page does not inflate click-through.
  UNIQUE (query_id, skill_id),
  FOREIGN KEY (tenant_id, query_id) REFERENCES search_queries (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX search_clicks_tenant_created_idx ON search_clicks (tenant_id, created_at DESC);
ALTER TABLE search_clicks ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_clicks FORCE ROW LEVEL SECURITY;
CREATE POLICY search_clicks_tenant ON search_clicks
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));
GRANT SELECT, INSERT, DELETE ON search_clicks TO everyskill_app;
