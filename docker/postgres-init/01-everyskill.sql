-- Development roles and database for docker-compose.yml, mirroring docs/operations.md and
-- scripts/test-pg.sh: the owner runs migrations, the app logs in as everyskill_web, which owns
-- nothing and gets its privileges through the NOLOGIN role everyskill_app.
CREATE ROLE everyskill_app NOLOGIN;
CREATE ROLE everyskill_owner LOGIN PASSWORD 'owner' CREATEROLE;
CREATE ROLE everyskill_web LOGIN PASSWORD 'web' IN ROLE everyskill_app;
CREATE ROLE everyskill_backup LOGIN PASSWORD 'backup' BYPASSRLS IN ROLE pg_read_all_data;
GRANT everyskill_app TO everyskill_owner WITH ADMIN OPTION;
CREATE DATABASE everyskill OWNER everyskill_owner;
\connect everyskill
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
