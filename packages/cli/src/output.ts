import pc from 'picocolors';
import { CliError, EXIT } from './cli-error';

/** How a command speaks: human lines on stdout (progress on stderr), or one JSON document with --json. */
export class Output {
  constructor(readonly json: boolean) {}

  /** The command's result: JSON with --json, else the human lines. */
  result(data: unknown, human: () => string[]): void {
    if (this.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else for (const line of human()) process.stdout.write(`${line}\n`);
  }

  /** Progress and hints for people; never on stdout, so --json output stays parseable. */
  note(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  warn(line: string): void {
    process.stderr.write(`${pc.yellow('warning:')} ${line}\n`);
  }

  /** One line on stderr (and the error as JSON on stdout with --json); returns the exit code. */
  fail(error: unknown): number {
    const e =
      error instanceof CliError ? error : new CliError('internal', `unexpected error: ${(error as Error)?.message ?? String(error)}`, EXIT.failure);
    const oneLine = e.message.replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`${pc.red('error:')} ${oneLine}\n`);
    if (this.json) process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: oneLine, exitCode: e.exitCode } })}\n`);
    return e.exitCode;
  }
}
