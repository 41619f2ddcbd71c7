// `pnpm everyskill admin …`: the admin CLI's process. Checks every package's configuration,
// opens the owner connection only for a command line that parses, and refuses an unmigrated database.
import { getMigrationStatus, openOwnerDatabase, type DbHandle } from '@everyskill/db';
import { exitOnInvalidConfiguration } from '@everyskill/base/env';
import { packageConfigurationReaders } from '@everyskill/core/configuration';
import { ADMIN_USAGE, runAdminCli } from './admin-cli';

const argv = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };

/** Thrown when the database is not ready for the CLI; the message says what to do. */
class NotReady extends Error {}

if (argv[0] !== 'admin') {
  const helpAsked = argv.includes('--help') || argv.includes('-h');
  (helpAsked ? io.out : io.err)(ADMIN_USAGE);
  process.exitCode = helpAsked ? 0 : 2;
} else {
  exitOnInvalidConfiguration(packageConfigurationReaders);
  let handle: DbHandle | undefined;
  try {
    process.exitCode = await runAdminCli(
      argv,
      async () => {
        handle = await openOwnerDatabase();
        const { pending } = await getMigrationStatus(handle);
        if (pending.length > 0) throw new NotReady(`the database has ${pending.length} pending migration(s); run \`pnpm db:migrate\` first`);
        return handle.db;
      },
      io,
    );
  } catch (error) {
    io.err(error instanceof NotReady ? error.message : `everyskill admin failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await handle?.close();
  }
}
