import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { digestDeliveries, eq, skills, withTenant } from '@everyskill/db';
import { openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { createMailer, readMailEnv } from '@everyskill/email';
import { startSmtpSink, type SmtpSink } from '@everyskill/email/testing';
import { createTableJobBackend, JobQueue, openJobQueue, setJobQueue } from '@everyskill/jobs';
import { lastCompletePeriod } from '../src/digests/digest-period';
import { startDigestRun, type StartedDigestRun } from '../src/digests/start-digest-run';
import { describeUnsubscribeToken, unsubscribeByToken } from '../src/digests/unsubscribe-by-token';
import { createJobRegistry } from '../src/jobs/job-registry';
import { getNotificationSettings, setDigestFrequency } from '../src/notifications/notification-settings';
import { ctxOf, makeTenant, signedIn } from './factories';
import { waitFor } from './ai-fixtures';
import { mode } from './skills-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const blobs = { put: async (key: string) => ({ key, created: false }), get: async () => Readable.from([]) };

let dbs: TestDatabases;
let sink: SmtpSink;
/** The world of the exactly-once test, for the unsubscribe test after it. */
let lastWorld: World | undefined;

beforeAll(async () => {
  dbs = await openTestDatabases();
  sink = await startSmtpSink();
  vi.stubEnv('SMTP_HOST', sink.host);
  vi.stubEnv('SMTP_PORT', String(sink.port));
  vi.stubEnv('SMTP_SECURE', 'false');
  vi.stubEnv('MAIL_FROM', 'EverySkill <digest@everyskill.test>');
  vi.stubEnv('APP_URL', 'http://localhost:3000');
  vi.stubEnv('DIGEST_DEFAULT_FREQUENCY', 'weekly');
  vi.stubEnv('DIGEST_RETRY_DELAY_SECONDS', '1');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await sink?.close();
  await dbs?.close();
});

interface World {
  now: Date;
  /** Subscribed (daily) people by tenant, with the skill names only their tenant has. */
  tenants: { id: string; daily: string[]; others: string[]; skillNames: string[] }[];
}

/** Two tenants, each with daily subscribers, a weekly one and (in the second) one who turned digests off. */
async function buildWorld(): Promise<World> {
  // A period of its own (a random past day), so a shared PostgreSQL never has this run already.
  const now = new Date(Date.UTC(2001 + randomInt(80), randomInt(12), 1 + randomInt(28), 8));
  const window = lastCompletePeriod('daily', now);
  const world: World = { now, tenants: [] };
  lastWorld = world;
  for (const prefix of ['alpha', 'beta']) {
    const tenant = await makeTenant(dbs, prefix);
    const people = await Promise.all(['ann', 'bob', 'cat'].map((n) => signedIn(dbs.app.db, `${n}@${tenant.domain}`)));
    const [ann, bob, cat] = people as [typeof people[0], typeof people[0], typeof people[0]];
    await setDigestFrequency(ctxOf(dbs.app.db, ann), { digest: 'daily' });
    await setDigestFrequency(ctxOf(dbs.app.db, bob), { digest: 'daily' });
    await setDigestFrequency(ctxOf(dbs.app.db, cat), { digest: prefix === 'alpha' ? 'weekly' : 'off' });
    const skillNames = [`${prefix}-${tenant.slug}-one`, `${prefix}-${tenant.slug}-two`];
    await withTenant(dbs.app.db, tenant.id, (tx) =>
      tx.insert(skills).values(
        skillNames.map((name) => ({
          tenantId: tenant.id,
          slug: name,
          name: name.slice(0, 64),
          description: `A skill of ${prefix}`,
          authorUserId: ann.userId,
          createdAt: new Date(window.windowStart.getTime() + 3_600_000),
        })),
      ),
    );
    world.tenants.push({ id: tenant.id, daily: [ann.email, bob.email], others: [cat.email], skillNames });
  }
  return world;
}

function messagesTo(email: string) {
  return sink.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((a) => a.address === email));
}

async function expectExactlyOnePerSubscriber(world: World): Promise<void> {
  const everyone = world.tenants.flatMap((t) => t.daily);
  await waitFor('a digest for every subscriber', async () => everyone.every((e) => messagesTo(e).length >= 1), 90_000);
  // Give a duplicate (if there were one) time to arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const [alpha, beta] = world.tenants as [World['tenants'][0], World['tenants'][0]];
  for (const [own, other] of [
    [alpha, beta],
    [beta, alpha],
  ] as const) {
    for (const email of own.daily) {
      const received = messagesTo(email);
      expect(received, `${email} gets exactly one digest`).toHaveLength(1);
      const message = received[0]!;
      for (const name of own.skillNames) {
        expect(message.text).toContain(name);
        expect(message.html).toContain(name);
      }
      for (const name of other.skillNames) {
        expect(message.text).not.toContain(name);
        expect(String(message.html)).not.toContain(name);
      }
      expect(message.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toMatch(/unsubscribe\/one-click\?token=/);
    }
    for (const email of own.others) expect(messagesTo(email), `${email} is not subscribed to daily digests`).toHaveLength(0);
  }
}

async function deliveryCount(world: World, runId: string): Promise<number> {
  let total = 0;
  for (const t of world.tenants) {
    const rows = await withTenant(dbs.app.db, t.id, (tx) => tx.select().from(digestDeliveries).where(eq(digestDeliveries.runId, runId)));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    total += rows.length;
  }
  return total;
}

describe(`daily digest, exactly once (${mode})`, () => {
  if (mode === 'postgres') {
    it('two app processes called at once, then called again: each subscriber gets one email of their own tenant', async () => {
      const world = await buildWorld();
      sink.refuseNext(1); // the relay fails once: that digest is retried, not lost and not doubled
      const instances = await Promise.all([startInstance(world.now), startInstance(world.now)]);
      try {
        for (const instance of instances) instance.child.stdin!.write('go\n');
        const runs = await Promise.all(instances.map((i) => i.run));
        expect(new Set(runs.map((r) => r.runId)).size).toBe(1);
        expect(runs.filter((r) => r.created)).toHaveLength(1);
        // A third, late call for the same period (from this process) changes nothing.
        const again = await startDigestRun(dbs.app.db, { kind: 'daily', now: new Date(world.now.getTime() + 6 * 3_600_000) }, producerQueue());
        expect(again).toMatchObject({ runId: runs[0]!.runId, created: false });
        await expectExactlyOnePerSubscriber(world);
        expect(sink.refused()).toBeGreaterThanOrEqual(1);
        expect(await deliveryCount(world, runs[0]!.runId)).toBe(4);
      } finally {
        await Promise.all(instances.map((i) => stopInstance(i.child)));
      }
    });
  } else {
    it('two worker pools and concurrent calls in one process, then a late call: each subscriber gets one email of their own tenant', async () => {
      const world = await buildWorld();
      const mailer = createMailer(readMailEnv());
      const pools = [0, 1].map(() => new JobQueue(createTableJobBackend({ db: dbs.app.db, recoverActiveOnStart: false }), () => {}));
      setJobQueue(pools[0]!);
      for (const pool of pools) {
        await pool.startWorkers(createJobRegistry({ blobs, mailer }), { concurrency: 2, pollIntervalMs: 100, shutdownTimeoutMs: 5_000 });
      }
      sink.refuseNext(1);
      try {
        const runs = await Promise.all([
          startDigestRun(dbs.app.db, { kind: 'daily', now: world.now }, pools[0]),
          startDigestRun(dbs.app.db, { kind: 'daily', now: world.now }, pools[1]),
        ]);
        expect(new Set(runs.map((r) => r.runId)).size).toBe(1);
        expect(runs.filter((r) => r.created)).toHaveLength(1);
        await expectExactlyOnePerSubscriber(world);
        const late: StartedDigestRun = await startDigestRun(dbs.app.db, { kind: 'daily', now: new Date(world.now.getTime() + 10 * 3_600_000) }, pools[1]);
        expect(late).toMatchObject({ runId: runs[0]!.runId, created: false, period: runs[0]!.period });
        await expectExactlyOnePerSubscriber(world);
        expect(sink.refused()).toBe(1);
        expect(await deliveryCount(world, runs[0]!.runId)).toBe(4);
      } finally {
        for (const pool of pools) await pool.close();
        setJobQueue(null);
        mailer.close();
      }
    });
  }

  it('the unsubscribe link in a received digest turns that person\'s digest off, without signing in', async () => {
    const subscriber = lastWorld!.tenants[0]!.daily[0]!;
    const [alpha] = messagesTo(subscriber);
    expect(alpha).toBeDefined();
    const href = /href="(http:\/\/localhost:3000\/unsubscribe\?token=[^"]+)"/.exec(String(alpha!.html))?.[1];
    expect(href).toBeDefined();
    const token = new URL(href!.replace(/&amp;/g, '&')).searchParams.get('token')!;
    const to = (alpha!.to as { value: { address?: string }[] }).value[0]!.address!;
    const before = await describeUnsubscribeToken(dbs.app.db, { token });
    expect(before).toMatchObject({ email: to, digest: 'daily' });
    await unsubscribeByToken(dbs.app.db, { token });
    const person = await signedIn(dbs.app.db, to);
    expect(await getNotificationSettings(ctxOf(dbs.app.db, person))).toEqual({ digest: 'off', isDefault: false });
    // A token altered by one character is refused.
    const forged = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    await expect(unsubscribeByToken(dbs.app.db, { token: forged })).rejects.toThrow(/not valid/);
  });
});

function producerQueue(): JobQueue {
  const queue = openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log: () => {} });
  queues.push(queue);
  return queue;
}
const queues: JobQueue[] = [];
afterAll(async () => {
  for (const q of queues) await q.close();
});

/** An app process (own pool, pg-boss, workers); resolves once it polls, with the run its cron call will return. */
function startInstance(now: Date): Promise<{ child: ChildProcess; run: Promise<StartedDigestRun> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/digest-app-instance.ts'), now.toISOString()], {
    cwd: path.resolve(here, '..'),
    env: { ...process.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    let resolveRun: (run: StartedDigestRun) => void;
    let rejectRun: (error: Error) => void;
    const run = new Promise<StartedDigestRun>((res, rej) => {
      resolveRun = res;
      rejectRun = rej;
    });
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      if (stdout.includes('ready\n')) resolve({ child, run });
      const line = stdout.split('\n').find((l) => l.startsWith('run ') || l.startsWith('error '));
      if (line?.startsWith('run ')) resolveRun(JSON.parse(line.slice(4)) as StartedDigestRun);
      else if (line) rejectRun(new Error(line));
    });
    child.on('exit', (code) => reject(new Error(`app instance exited early (${code}): ${stderr}`)));
  });
}

function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
