import { migrate, openOwnerDatabase } from '@everyskill/db';
import { seedDemo } from '../seed/seed-demo';

const handle = await openOwnerDatabase();
try {
  // The seed needs the schema; applying pending migrations first makes `pnpm db:seed` one step.
  await migrate(handle, { log: (line) => console.log(line) });
  const result = await seedDemo(handle.db);
  console.log(
    result.created ? `seeded demo tenant ${result.tenantId}` : `demo tenant ${result.tenantId} already present, nothing to do`,
  );
} catch (error) {
  console.error(`db:seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
