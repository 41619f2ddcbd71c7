-- A domain belongs to the workspace that verified it. 0001 made every claim unique, verified or
-- not, so any workspace's admin could add someone else's domain, never verify it, and so block the
-- real owner (and the operator's `tenant create --domain`) for good. Now a pending claim blocks
-- nobody: only one verified row per domain, and one row per domain within a workspace.
ALTER TABLE tenant_domains DROP CONSTRAINT tenant_domains_domain_key;
CREATE UNIQUE INDEX tenant_domains_verified_domain_key ON tenant_domains (domain) WHERE verified_at IS NOT NULL;
CREATE UNIQUE INDEX tenant_domains_tenant_domain_key ON tenant_domains (tenant_id, domain);
CREATE INDEX tenant_domains_domain_idx ON tenant_domains (domain);
