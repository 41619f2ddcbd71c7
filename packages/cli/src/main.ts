import { Command, CommanderError, Option } from 'commander';
import { AGENT_NAMES } from './agents';
import { CliError, EXIT } from './cli-error';
import { installClaudeCodeHook, reportHookUse } from './hook';
import { login, logout } from './login';
import { Output } from './output';
import { add, info, install, list, outdated, remove, search, update, whoami, type SkillOptions } from './skill-commands';

type AllOptions = SkillOptions & { browser?: boolean; trustNewKey?: boolean; yes?: boolean; limit?: string };

declare const __EVERYSKILL_VERSION__: string;
const VERSION = typeof __EVERYSKILL_VERSION__ === 'string' ? __EVERYSKILL_VERSION__ : '0.0.0-dev';

/** Runs the command line; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let out = new Output(argv.includes('--json'));
  const program = new Command('everyskill')
    .description('Sign in to an EverySkill server and install its skills into your agents.')
    .version(VERSION)
    .option('--json', 'print the result as JSON (errors too)')
    .option('--key <rlk_…>', 'an API key to use instead of the stored sign-in (or EVERYSKILL_TOKEN)')
    .option('--registry <url>', 'the server to use instead of the last signed in to (or EVERYSKILL_REGISTRY)')
    .option('-g, --global', 'install for the user (home folder) instead of the project')
    .option('--dir <path>', 'the project folder (default: the current one)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);

  const agentOption = () =>
    new Option('-a, --agent <agent...>', `agents to install for (several allowed): ${AGENT_NAMES.join(', ')}`).argParser((value: string, previous: string[] = []) => [
      ...previous,
      value,
    ]);
  // Commander calls an action with the positional arguments, the command's options and the command.
  const run = (fn: (positional: unknown[], opts: AllOptions, out: Output) => Promise<void>) => async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const opts = command.optsWithGlobals<AllOptions>();
    out = new Output(Boolean(opts.json));
    await fn(args.slice(0, -2), opts, out);
  };

  program
    .command('login <url>')
    .description('sign in by approving a code in the browser (device authorization)')
    .option('--no-browser', 'do not try to open the approval page')
    .option('--trust-new-key', 'pin the workspace’s current signing key even though no rotation signed by the pinned one leads to it (confirm its id with an admin first)')
    .action(run(([url], opts, o) => login(String(url), opts, o)));
  program.command('logout').description('revoke the stored key and forget it').action(run((_, opts, o) => logout(opts, o)));
  program.command('whoami').description('who the command acts as').action(run((_, opts, o) => whoami(opts, o)));
  program
    .command('search <words...>')
    .description('search the skills you may see')
    .option('--limit <n>', 'at most this many results')
    .action(run(([words], opts, o) => search(words as string[], opts, o)));
  program
    .command('add <names...>')
    .description('install skills (name or name@version) for agents and record them in the lockfile')
    .addOption(agentOption())
    .action(run(([names], opts, o) => add(names as string[], opts, o)));
  program
    .command('remove <name>')
    .alias('rm')
    .description('delete a skill’s folders and its lockfile entry')
    .option('-y, --yes', 'do not ask')
    .action(run(([name], opts, o) => remove(String(name), opts, o)));
  program.command('list').alias('ls').description('the skills in the lockfile').action(run((_, opts, o) => list(opts, o)));
  program.command('install').alias('ci').description('restore exactly what the lockfile says (digests checked)').action(run((_, opts, o) => install(opts, o)));
  program.command('outdated').description('newer, deprecated or withdrawn versions of the locked skills').action(run((_, opts, o) => outdated(opts, o)));
  program
    .command('update [name]')
    .description('move locked skills (or one) to their latest version')
    .action(run(([name], opts, o) => update(name as string | undefined, opts, o)));
  program.command('info <name>').description('a skill’s description, versions and status').action(run(([name], opts, o) => info(String(name), opts, o)));
  const hook = program.command('hook').description('report skill uses from your agent');
  hook
    .command('claude-code')
    .description('add a Claude Code hook that reports one use per skill invocation')
    .action(run((_, opts, o) => installClaudeCodeHook(opts, o)));
  hook
    .command('report <agent>')
    .description('(run by the hook) report the use in the hook payload on stdin')
    .action(run(([agent], opts, o) => reportHookUse(String(agent), opts, o)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return out.fail(new CliError('usage', error.message.replace(/^error:\s*/i, ''), EXIT.usage));
    }
    return out.fail(error);
  }
}
