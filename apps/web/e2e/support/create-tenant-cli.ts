// Run with tsx: `tsx e2e/support/create-tenant-cli.ts <slug> <name> <email domain>`.
// Opens the database the environment names (EVERYSKILL_DATA_DIR or DATABASE_OWNER_URL/DATABASE_URL).
import { openOwnerDatabase } from '@everyskill/db';
import { createTenant } from '@everyskill/core/tenants/create-tenant';

const [slug, name, emailDomain] = process.argv.slice(2);
if (!slug || !name || !emailDomain) {
  console.error('usage: create-tenant-cli.ts <slug> <name> <email domain>');
  process.exit(2);
}
const handle = await openOwnerDatabase();
try {
  const tenant = await createTenant(handle.db, { kind: 'system', label: 'e2e' }, { slug, name, emailDomains: [emailDomain] });
  console.log(`created tenant ${tenant.slug} (${tenant.id})`);
} finally {
  await handle.close();
}
