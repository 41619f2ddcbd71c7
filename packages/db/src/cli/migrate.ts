import { openOwnerDatabase } from '../instance';
import { getMigrationStatus, migrate } from '../migrate/runner';

const args = new Set(process.argv.slice(2));
const handle = await openOwnerDatabase();
try {
  if (args.has('--status')) {
    const status = await getMigrationStatus(handle);
    for (const a of status.applied) {
      console.log(`applied  ${a.name}  ${a.appliedAt.toISOString()}  ${a.durationMs} ms  ${a.checksum.slice(0, 12)}`);
    }
    for (const p of status.pending) console.log(`pending  ${p.name}`);
    console.log(`${status.applied.length} applied, ${status.pending.length} pending (${handle.kind})`);
  } else {
    const dryRun = args.has('--dry-run');
    const result = await migrate(handle, { dryRun, log: (line) => console.log(line) });
    if (dryRun) {
      for (const name of result.pending) console.log(`would apply ${name}`);
      console.log(`${result.pending.length} pending (dry run, nothing applied; ${handle.kind})`);
    } else {
      console.log(`${result.applied.length} applied, database is up to date (${handle.kind})`);
    }
  }
} catch (error) {
  console.error(`db:migrate failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
