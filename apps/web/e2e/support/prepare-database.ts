import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './paths';

const run = promisify(execFile);

/**
 * Brings a database up to date and seeds the demo tenant (slug `demo`, "Demo Company") through
 * the same commands an operator runs. `env` chooses the database: EVERYSKILL_DATA_DIR for an
 * embedded one, DATABASE_URL (+ DATABASE_OWNER_URL for migrations) for PostgreSQL.
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  await pnpm(['--filter', '@everyskill/db', 'run', 'migrate'], env);
  // The demo tenant and its people, without the sample skills: every spec starts from an empty catalogue.
  await pnpm(['--filter', '@everyskill/web', 'run', 'seed', '--no-sample-skills'], env);
}

/**
 * Adds a tenant with the operator's own command (`pnpm everyskill admin tenant create`); one that
 * already exists (a reused PostgreSQL database) is left as it is.
 */
export async function createTenant(
  env: NodeJS.ProcessEnv,
  tenant: { slug: string; name: string; emailDomain: string },
): Promise<void> {
  const args = ['everyskill', 'admin', 'tenant', 'create', '--slug', tenant.slug, '--name', tenant.name, '--domain', tenant.emailDomain];
  try {
    await run('pnpm', args, { cwd: repoRoot, env });
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    if (stderr.includes(`a tenant with slug '${tenant.slug}' already exists`)) return;
    await step('pnpm everyskill admin tenant create', Promise.reject(error));
  }
}

function pnpm(args: string[], env: NodeJS.ProcessEnv) {
  return step(`pnpm ${args.join(' ')}`, run('pnpm', args, { cwd: repoRoot, env }));
}

async function step(what: string, child: Promise<{ stdout: string; stderr: string }>): Promise<void> {
  try {
    await child;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${what} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}
