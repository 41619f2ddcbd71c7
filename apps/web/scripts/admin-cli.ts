// The operators' admin CLI (`pnpm everyskill admin …`): reads the command line, calls one core
// service per command and prints its answer. The rules live in the services; this file only
// parses, prints and chooses the exit status.
import { parseArgs } from 'node:util';
import { roleSchema, type CreateApiKeyInput, type Role } from '@everyskill/contracts';
import { isAppError, type Actor, type Ctx } from '@everyskill/core';
import { createApiKey } from '@everyskill/core/api-keys/create-api-key';
import { changeMemberRole } from '@everyskill/core/members/change-member-role';
import { deactivateMember } from '@everyskill/core/members/deactivate-member';
import { findMemberByEmail } from '@everyskill/core/members/find-member-by-email';
import { listMembers } from '@everyskill/core/members/list-members';
import { reactivateMember } from '@everyskill/core/members/reactivate-member';
import { addTenantDomain } from '@everyskill/core/tenants/add-tenant-domain';
import { createTenant } from '@everyskill/core/tenants/create-tenant';
import { findActiveTenant } from '@everyskill/core/tenants/find-active-tenant';
import { listTenants } from '@everyskill/core/tenants/list-tenants';
import { setTenantStatus } from '@everyskill/core/tenants/set-tenant-status';
import type { Database } from '@everyskill/db';

export const ADMIN_USAGE = `Usage: pnpm everyskill admin <command> [options]

  tenant create --slug <slug> --name <name> --domain <email domain> [--domain …]
  tenant list [--json]
  tenant deactivate --slug <slug>        people are signed out, host names stop being served
  tenant activate --slug <slug>
  domain add --tenant <slug> --domain <name> [--kind email|vanity]   (added as verified)
  user list --tenant <slug> [--json]
  user promote --email <email> [--role admin|reviewer]               (default admin)
  user demote --email <email>                                        (to member)
  user deactivate --email <email>
  user reactivate --email <email>
      user commands find the tenant from the email's domain; --tenant <slug> overrides
  key create --email <email> [--name <name>] [--scope <scope> …]      a bootstrap API key for that person,
      printed once (scopes: skills:read skills:publish usage:write admin; default the first three)

Uses DATABASE_OWNER_URL, else DATABASE_URL, else the embedded database in EVERYSKILL_DATA_DIR.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Thrown for a command line that cannot be run as typed (exit status 2). */
class UsageError extends Error {}

const cliActor: Actor = { kind: 'system', label: 'admin-cli' };

const OPTIONS = {
  slug: { type: 'string' },
  name: { type: 'string' },
  domain: { type: 'string', multiple: true },
  kind: { type: 'string' },
  tenant: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  scope: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function required(values: Values, name: 'slug' | 'name' | 'tenant' | 'email'): string {
  const value = values[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

async function tenantCtx(db: Database, slug: string): Promise<Ctx> {
  const tenant = await findActiveTenant(db, { slug });
  if (!tenant) throw new UsageError(`no active tenant with slug '${slug}' (see: tenant list)`);
  return { tenantId: tenant.id, actor: cliActor, db };
}

async function memberCtx(db: Database, values: Values): Promise<{ ctx: Ctx; userId: string; email: string }> {
  const found = await findMemberByEmail(db, { email: required(values, 'email'), tenantSlug: values.tenant });
  return { ctx: { tenantId: found.tenantId, actor: cliActor, db }, userId: found.userId, email: found.email };
}

type Command = (db: Database, values: Values, io: CliIo) => Promise<void>;

const commands: Record<string, Command> = {
  'tenant create': async (db, values, io) => {
    const domains = values.domain ?? [];
    if (domains.length === 0) throw new UsageError('--domain is required (the email domain whose people may sign in)');
    const tenant = await createTenant(db, cliActor, { slug: required(values, 'slug'), name: required(values, 'name'), emailDomains: domains });
    io.out(`created tenant ${tenant.slug} (${tenant.id}) with email domains ${domains.join(', ')}`);
    io.out('the first person to sign in becomes its admin');
  },
  'tenant list': async (db, values, io) => {
    const tenants = await listTenants(db);
    if (values.json) return io.out(JSON.stringify(tenants, null, 2));
    if (tenants.length === 0) return io.out('no tenants yet (create one: tenant create --slug … --name … --domain …)');
    for (const t of tenants) {
      const domains = t.domains.map((d) => `${d.domain} (${d.kind}${d.verified ? '' : ', unverified'})`).join(', ');
      io.out(`${t.slug}\t${t.status}\t${t.members} members\t${t.name}\t${domains}`);
    }
  },
  'tenant deactivate': async (db, values, io) => {
    const { changed } = await setTenantStatus(db, cliActor, { slug: required(values, 'slug'), status: 'inactive' });
    io.out(changed ? `tenant ${values.slug} deactivated` : `tenant ${values.slug} was already inactive`);
  },
  'tenant activate': async (db, values, io) => {
    const { changed } = await setTenantStatus(db, cliActor, { slug: required(values, 'slug'), status: 'active' });
    io.out(changed ? `tenant ${values.slug} activated` : `tenant ${values.slug} was already active`);
  },
  'domain add': async (db, values, io) => {
    const domain = values.domain?.[0];
    if (!domain || (values.domain?.length ?? 0) > 1) throw new UsageError('--domain is required, once');
    const kind = values.kind ?? 'email';
    if (kind !== 'email' && kind !== 'vanity') throw new UsageError(`--kind must be email or vanity; got '${kind}'`);
    const view = await addTenantDomain(await tenantCtx(db, required(values, 'tenant')), { domain, kind });
    io.out(`added ${kind} domain ${view.domain} to ${values.tenant} (verified by the operator)`);
  },
  'user list': async (db, values, io) => {
    const members = await listMembers(await tenantCtx(db, required(values, 'tenant')));
    if (values.json) return io.out(JSON.stringify(members, null, 2));
    if (members.length === 0) return io.out('nobody has signed in yet');
    for (const m of members) io.out(`${m.email}\t${m.role}\t${m.status}`);
  },
  'user promote': async (db, values, io) => {
    const role = roleSchema.safeParse(values.role ?? 'admin');
    if (!role.success || role.data === 'member') throw new UsageError(`--role must be admin or reviewer; got '${values.role}'`);
    await setRole(db, values, io, role.data);
  },
  'user demote': async (db, values, io) => setRole(db, values, io, 'member'),
  'user deactivate': async (db, values, io) => {
    const { ctx, userId, email } = await memberCtx(db, values);
    const { changed } = await deactivateMember(ctx, { userId });
    io.out(changed ? `${email} deactivated; their next request signs them out` : `${email} was already deactivated`);
  },
  'user reactivate': async (db, values, io) => {
    const { ctx, userId, email } = await memberCtx(db, values);
    const { changed } = await reactivateMember(ctx, { userId });
    io.out(changed ? `${email} reactivated` : `${email} was already active`);
  },
  'key create': async (db, values, io) => {
    const { ctx, userId, email } = await memberCtx(db, values);
    const scopes = values.scope ?? ['skills:read', 'skills:publish', 'usage:write'];
    // createApiKey parses the scopes with their contract and names any unknown one.
    const input = { name: values.name ?? 'bootstrap', scopes } as CreateApiKeyInput;
    const { key, secret } = await createApiKey(ctx, input, { forUserId: userId });
    io.out(`created API key '${key.name}' (${key.displayPrefix}) for ${email}, scopes ${key.scopes.join(' ')}, expires ${key.expiresAt}`);
    io.out('the secret is shown this once; store it now:');
    io.out(secret);
  },
};

async function setRole(db: Database, values: Values, io: CliIo, role: Role): Promise<void> {
  const { ctx, userId, email } = await memberCtx(db, values);
  const { changed } = await changeMemberRole(ctx, { userId, role });
  io.out(changed ? `${email} is now ${role}` : `${email} already was ${role}`);
}

/**
 * Runs `admin <noun> <verb> [options]` and returns the exit status: 0 done, 1 refused or failed
 * (the reason is printed), 2 not a valid command line. `openDb` (the owner connection) is only
 * called for a command line that parses, so usage mistakes answer at once.
 */
export async function runAdminCli(argv: string[], openDb: () => Promise<Database>, io: CliIo): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${ADMIN_USAGE}`);
    return 2;
  }
  const [scope, noun, verb, ...extra] = parsed.positionals;
  if (parsed.values.help || scope !== 'admin') {
    (parsed.values.help ? io.out : io.err)(ADMIN_USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const command = commands[`${noun} ${verb}`];
  if (!command || extra.length > 0) {
    io.err(`unknown command: admin ${[noun, verb, ...extra].filter(Boolean).join(' ')}\n\n${ADMIN_USAGE}`);
    return 2;
  }
  try {
    await command(await openDb(), parsed.values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${ADMIN_USAGE}`);
      return 2;
    }
    if (isAppError(error)) {
      io.err(`refused (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  }
}
