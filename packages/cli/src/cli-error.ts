/** The exit codes of the everyskill command (docs/cli.md lists them). */
export const EXIT = {
  ok: 0,
  /** Anything unexpected, or a refusal of the server not listed below. */
  failure: 1,
  /** Wrong arguments or options. */
  usage: 2,
  /** Not signed in, or the key was refused (expired, revoked, lacks a scope). */
  auth: 3,
  /** No such skill (or version) on the server, or not in the lockfile. */
  notFound: 4,
  /** The server could not be reached. */
  unreachable: 5,
  /** A file or a skill's content does not match its digest: tampering or a changed registry. */
  integrity: 6,
  /** everyskill-lock.json (or the stored sign-in) cannot be read. */
  lockfile: 7,
  /** The version is withdrawn or blocked and may not be installed. */
  refused: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the command reports as one line, with its exit code. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError('usage', message, EXIT.usage);
