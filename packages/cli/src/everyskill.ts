import { main } from './main';

// The bundle's entry: the exit code is set, never process.exit(), so pending output is flushed.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
