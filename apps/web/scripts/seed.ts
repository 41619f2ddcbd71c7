// `pnpm db:seed`: applies pending migrations, then creates the demo tenant (`demo`, "Demo Company",
// ada@demo.test admin, max@demo.test member) and publishes the sample skills through the real
// publish service into the configured blob store (local folder by default, or S3), queueing their
// search embeddings (and AI reviews when AI is on) for the app's job workers. Idempotent.
// `--no-sample-skills` creates only the tenant and its people (the end-to-end suites start empty).
// Demo data belongs to the app that runs it, not to core: the tenant, its people and the sample
// skills are in seed/ beside this script.
import { afterVersionPublished } from '@everyskill/core/skills/after-version-published';
import { migrate, openOwnerDatabase, readDbEnv } from '@everyskill/db';
import { openJobQueue } from '@everyskill/jobs';
import { createBlobStore } from '@everyskill/storage';
import { seedDemo } from './seed/seed-demo';

const withSamples = !process.argv.includes('--no-sample-skills');
const handle = await openOwnerDatabase();
const env = readDbEnv();
const queue = openJobQueue({ handle, connectionString: env.DATABASE_OWNER_URL ?? env.DATABASE_URL });
try {
  // The seed needs the schema; applying pending migrations first makes `pnpm db:seed` one step.
  await migrate(handle, { log: (line) => console.log(line) });
  const result = await seedDemo(
    handle.db,
    withSamples ? { blobs: createBlobStore(), afterPublish: (tx, event) => afterVersionPublished(tx, event, queue) } : {},
  );
  console.log(
    `${result.created ? 'seeded' : 'kept the existing'} demo tenant ${result.tenantId}` +
      (withSamples ? `; ${result.skillsPublished} sample skill(s) published (already present ones are left as they are)` : ''),
  );
} catch (error) {
  console.error(`db:seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await queue.close();
  await handle.close();
}
