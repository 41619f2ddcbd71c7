-- Tenant admins change their tenant's settings through the app role; the slug (its hostname)
-- and status (active/inactive) are operator decisions made with the owner connection (admin
-- CLI). Narrow the app role's UPDATE on tenants from every column to the settings columns, so a
-- tenant admin, or a bug in a request path, cannot rename or reactivate a tenant.
-- (SELECT ... FOR UPDATE on the own tenant row still works: it needs UPDATE on any one column.)
REVOKE UPDATE ON tenants FROM everyskill_app;
GRANT UPDATE (name, logo_url, api_key_expiry_days, updated_at) ON tenants TO everyskill_app;
