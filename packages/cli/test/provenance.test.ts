// The command's provenance checks against a local stand-in of the server speaking its HTTP API:
// the key pinned at sign-in, every install verified against it, the attestation digest in the
// lockfile; a modified byte, a forged attestation, a replaced key and an unknown recorded
// attestation each refused with nothing written; a signed rotation followed, older versions kept.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  envelopeSha256,
  generateSigningKey,
  signKeyRotation,
  signSkillAttestation,
  skillSubjects,
  type DsseEnvelope,
  type SkillVersionPredicate,
  type TenantKeySet,
} from '@everyskill/provenance';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../src/cli-error';
import { main } from '../src/main';
import { contentDigest, type SkillFiles } from '../src/skill-files';

type Key = ReturnType<typeof generateSigningKey>;
const tenant = { id: '6f1c1e8e-2f59-4a3c-9d7e-0a1b2c3d4e5f', slug: 'acme', name: 'Acme' };
const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Version {
  files: SkillFiles;
  /** Oldest first; the server answers with the last unless asked for one by digest. */
  envelopes: DsseEnvelope[];
}

/** The stand-in's state, changed by each test to play a tampered server. */
const server = {
  keySet: null as TenantKeySet | null,
  versions: new Map<string, Version>(),
  requests: [] as string[],
};

function filesOf(name: string, version: string, texts: Record<string, string>): SkillFiles {
  const files = Object.entries(texts).map(([p, text]) => ({
    path: p,
    sha256: sha(text),
    size: Buffer.byteLength(text),
    executable: p.endsWith('.sh'),
    contentBase64: Buffer.from(text).toString('base64'),
  }));
  return { name, version, contentSha256: contentDigest(files), files };
}

function attest(files: SkillFiles, key: Key, attestedAt = new Date().toISOString(), reason: SkillVersionPredicate['reason'] = 'published'): DsseEnvelope {
  const predicate: SkillVersionPredicate = {
    tenant,
    skill: { id: 'a4d1b0f2-1111-4222-8333-944455556666', name: files.name },
    version: { id: 'b4d1b0f2-1111-4222-8333-944455556666', number: files.version, contentSha256: files.contentSha256 },
    publisher: { userId: 'c4d1b0f2-1111-4222-8333-944455556666', email: 'ada@acme.test' },
    publishedAt: attestedAt,
    attestedAt,
    reason,
    safety: { verdict: 'clean', rulesVersion: '1', scannedAt: attestedAt, override: null },
    review: null,
    parent: null,
  };
  const subject = skillSubjects({ skill: files.name, version: files.version, bundleSha256: sha(`zip of ${files.name}`), files: files.files });
  return signSkillAttestation(subject, predicate, key.privateKey, key.keyid);
}

function publish(name: string, version: string, texts: Record<string, string>, key: Key): Version {
  const files = filesOf(name, version, texts);
  const published = { files, envelopes: [attest(files, key)] };
  server.versions.set(`${name}@${version}`, published);
  return published;
}

const keySetOf = (...keys: { key: Key; from: string; until: string | null; rotation: DsseEnvelope | null }[]): TenantKeySet => ({
  tenant,
  keys: keys.map((k) => ({ keyid: k.key.keyid, algorithm: 'ed25519', publicKeyPem: k.key.publicKeyPem, validFrom: k.from, validUntil: k.until, rotation: k.rotation })),
});

function answer(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function handle(request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url!, 'http://stand-in');
  server.requests.push(`${request.method} ${url.pathname}${url.search}`);
  const notFound = (what: string) => answer(response, 404, { error: { code: 'not_found', message: `${what} was not found` } });
  if (url.pathname === '/.well-known/everyskill/keys.json') return server.keySet ? answer(response, 200, server.keySet) : notFound('keys');
  if (url.pathname === '/api/v1/device/code') {
    return answer(response, 200, { deviceCode: 'd', userCode: 'ABCD-EFGH', verificationUri: 'x', verificationUriComplete: 'x?code=ABCD-EFGH', expiresIn: 600, interval: 0 });
  }
  if (url.pathname === '/api/v1/device/token') {
    return answer(response, 200, { apiKey: `rlk_${'k'.repeat(43)}`, keyId: 'k1', name: 'test', scopes: ['skills:read'], expiresAt: '2027-12-01T00:00:00.000Z' });
  }
  const files = /^\/api\/v1\/skills\/([^/]+)\/files$/.exec(url.pathname);
  if (files) {
    const ref = decodeURIComponent(files[1]!);
    const version = server.versions.get(ref) ?? [...server.versions.entries()].filter(([k]) => k.startsWith(`${ref}@`)).at(-1)?.[1];
    return version ? answer(response, 200, version.files) : notFound(ref);
  }
  const attestation = /^\/api\/v1\/skills\/([^/]+)\/versions\/([^/]+)\/attestation$/.exec(url.pathname);
  if (attestation) {
    const version = server.versions.get(`${attestation[1]}@${attestation[2]}`);
    const wanted = url.searchParams.get('envelopeSha256');
    const envelope = wanted ? version?.envelopes.find((e) => envelopeSha256(e) === wanted) : version?.envelopes.at(-1);
    return envelope ? answer(response, 200, { envelope, envelopeSha256: envelopeSha256(envelope) }) : notFound('that attestation');
  }
  if (url.pathname === '/api/v1/resolve') {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      const asked = (JSON.parse(body) as { skills: { name: string; version: string; digest: string }[] }).skills;
      answer(response, 200, {
        skills: asked.map((s) => {
          const v = server.versions.get(`${s.name}@${s.version}`)!;
          return { name: s.name, status: 'ok', version: s.version, digest: v.files.contentSha256, latestVersion: s.version, latestDigest: v.files.contentSha256, digestMatches: v.files.contentSha256 === s.digest, message: null, deprecation: null, withdrawn: null };
        }),
      });
    });
    return;
  }
  notFound(url.pathname);
}

let http: Server;
let origin: string;
let work: string;
let stderr: string;

beforeAll(async () => {
  http = createServer(handle);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'everyskill-provenance-'));
  vi.stubEnv('EVERYSKILL_CONFIG_DIR', path.join(work, 'config'));
  vi.stubEnv('EVERYSKILL_REGISTRY', undefined);
  vi.stubEnv('EVERYSKILL_TOKEN', undefined);
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  server.versions.clear();
  server.requests = [];
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function project(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
const run = (args: string[], dir: string) => main([...args, '--dir', dir]);
const lockOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'everyskill-lock.json'), 'utf8')) as { skills: Record<string, { attestation: string | null }> };
const pins = () => JSON.parse(readFileSync(path.join(work, 'config', 'pinned-keys.json'), 'utf8')) as { registries: Record<string, { keyid: string }> };

describe('the everyskill command verifies what it installs against the workspace’s key', () => {
  const first = generateSigningKey();
  const genuineKeys = () => keySetOf({ key: first, from: '2026-01-01T00:00:00.000Z', until: null, rotation: null });

  it('pins the key at login, records the attestation digest, and a restore fetches and checks that very attestation', async () => {
    server.keySet = genuineKeys();
    const published = publish('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n', 'scripts/run.sh': 'echo hi\n' }, first);
    const dir = project('app');
    expect(await run(['login', origin, '--no-browser'], dir)).toBe(EXIT.ok);
    expect(pins().registries[origin]).toMatchObject({ keyid: first.keyid, tenant: { slug: 'acme' } });

    expect(await run(['add', 'pdf-tools'], dir), stderr).toBe(EXIT.ok);
    const digest = envelopeSha256(published.envelopes[0]!);
    expect(lockOf(dir).skills['pdf-tools']!.attestation).toBe(digest);

    // A review attests the version again; a restore still asks for, and verifies, the one locked.
    published.envelopes.push(attest(published.files, first, new Date().toISOString(), 'review'));
    const clean = project('clean');
    writeFileSync(path.join(clean, 'everyskill-lock.json'), readFileSync(path.join(dir, 'everyskill-lock.json')));
    server.requests = [];
    expect(await run(['install'], clean), stderr).toBe(EXIT.ok);
    expect(server.requests).toContain(`GET /api/v1/skills/pdf-tools/versions/1.0.0/attestation?envelopeSha256=${digest}`);
    expect(readFileSync(path.join(clean, 'everyskill-lock.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'everyskill-lock.json'), 'utf8'));
    expect(readFileSync(path.join(clean, '.agents/skills/pdf-tools/scripts/run.sh'), 'utf8')).toBe('echo hi\n');
  });

  it('refuses a modified byte even when the server’s manifest was changed to match it', async () => {
    server.keySet = genuineKeys();
    const published = publish('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n', 'scripts/run.sh': 'echo hi\n' }, first);
    // The stored files and the manifest both changed: only the signed attestation still knows better.
    published.files = filesOf('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n', 'scripts/run.sh': 'echo hI\n' });
    const dir = project('app');
    expect(await run(['add', 'pdf-tools', '--registry', origin, '--key', `rlk_${'k'.repeat(43)}`], dir)).toBe(EXIT.integrity);
    expect(stderr).toMatch(/pdf-tools@1\.0\.0: scripts\/run\.sh has SHA-256 [0-9a-f]{64}, but the attestation says [0-9a-f]{64}: it was changed after it was published; nothing was written/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a forged attestation: an altered statement, or one signed by another key under the workspace’s key id', async () => {
    server.keySet = genuineKeys();
    const published = publish('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n' }, first);
    const statement = JSON.parse(Buffer.from(published.envelopes[0]!.payload, 'base64').toString()) as { predicate: SkillVersionPredicate };
    statement.predicate.publisher = { userId: 'c4d1b0f2-1111-4222-8333-944455556666', email: 'mallory@evil.test' };
    published.envelopes = [{ ...published.envelopes[0]!, payload: Buffer.from(JSON.stringify(statement)).toString('base64') }];
    const dir = project('app');
    const add = () => run(['add', 'pdf-tools', '--registry', origin, '--key', `rlk_${'k'.repeat(43)}`], dir);
    expect(await add()).toBe(EXIT.integrity);
    expect(stderr).toMatch(/pdf-tools@1\.0\.0: its attestation does not verify: the signature by key [0-9a-f]{12} does not verify: the attestation was altered after signing/);

    const mallory = generateSigningKey();
    const forged = attest(published.files, mallory);
    published.envelopes = [{ ...forged, signatures: [{ keyid: first.keyid, sig: forged.signatures[0]!.sig }] }];
    stderr = '';
    expect(await add()).toBe(EXIT.integrity);
    expect(stderr).toMatch(/its attestation does not verify: the signature by key/);
    published.envelopes = [forged];
    stderr = '';
    expect(await add()).toBe(EXIT.integrity);
    expect(stderr).toMatch(/which is not one of the tenant's keys/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a replaced public key, at install and at login, until an admin-confirmed --trust-new-key', async () => {
    server.keySet = genuineKeys();
    publish('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n' }, first);
    const dir = project('app');
    expect(await run(['login', origin, '--no-browser'], dir)).toBe(EXIT.ok);

    // Someone with the database swaps in their own key (and re-signs the version with it).
    const mallory = generateSigningKey();
    server.keySet = keySetOf({ key: mallory, from: '2026-01-01T00:00:00.000Z', until: null, rotation: null });
    publish('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n' }, mallory);
    expect(await run(['add', 'pdf-tools'], dir)).toBe(EXIT.integrity);
    expect(stderr).toMatch(
      new RegExp(`the signing key of Acme changed from ${first.keyid.slice(0, 12)} \\(pinned\\) to ${mallory.keyid.slice(0, 12)}: the tenant's keys no longer include the key you pinned .*nothing was written\\. If your admin confirms the key ${mallory.keyid.slice(0, 12)}, run everyskill login`),
    );
    expect(readdirSync(dir)).toEqual([]);
    stderr = '';
    expect(await run(['login', origin, '--no-browser'], dir)).toBe(EXIT.integrity);
    expect(stderr).toMatch(/changed from .* \(pinned\).*not signed in/);
    expect(pins().registries[origin]!.keyid).toBe(first.keyid);

    expect(await run(['login', origin, '--no-browser', '--trust-new-key'], dir)).toBe(EXIT.ok);
    expect(pins().registries[origin]!.keyid).toBe(mallory.keyid);
    expect(await run(['add', 'pdf-tools'], dir), stderr).toBe(EXIT.ok);
  });

  it('follows a rotation signed by the pinned key, and versions signed before it still verify', async () => {
    const rotatedAt = new Date(Date.now() - 60_000).toISOString();
    server.keySet = genuineKeys();
    const old = publish('old-skill', '1.0.0', { 'SKILL.md': '---\nname: old-skill\n---\n' }, first);
    old.envelopes = [attest(old.files, first, new Date(Date.parse(rotatedAt) - 60_000).toISOString())];
    const dir = project('app');
    expect(await run(['login', origin, '--no-browser'], dir)).toBe(EXIT.ok);
    expect(await run(['add', 'old-skill'], dir), stderr).toBe(EXIT.ok);

    const second = generateSigningKey();
    const rotation = signKeyRotation({ tenant: { id: tenant.id, slug: tenant.slug }, previousKeyid: first.keyid, newKeyid: second.keyid, newPublicKeyPem: second.publicKeyPem, rotatedAt }, first.privateKey);
    server.keySet = keySetOf({ key: first, from: '2026-01-01T00:00:00.000Z', until: rotatedAt, rotation: null }, { key: second, from: rotatedAt, until: null, rotation });
    publish('new-skill', '1.0.0', { 'SKILL.md': '---\nname: new-skill\n---\n' }, second);

    const clean = project('clean');
    writeFileSync(path.join(clean, 'everyskill-lock.json'), readFileSync(path.join(dir, 'everyskill-lock.json')));
    expect(await run(['install'], clean), stderr).toBe(EXIT.ok);
    expect(stderr).toContain(`the signing key of Acme changed from ${first.keyid.slice(0, 12)} to ${second.keyid.slice(0, 12)}; the rotation is signed by the key you pinned`);
    expect(pins().registries[origin]!.keyid).toBe(second.keyid);
    expect(await run(['add', 'new-skill'], clean), stderr).toBe(EXIT.ok);

    // The retired key cannot sign anything after the rotation.
    publish('late-skill', '1.0.0', { 'SKILL.md': '---\nname: late-skill\n---\n' }, first);
    expect(await run(['add', 'late-skill'], clean)).toBe(EXIT.integrity);
    expect(stderr).toMatch(/late-skill@1\.0\.0: its attestation does not verify: key [0-9a-f]{12} signed at .*outside its validity/);
  });

  it('refuses a restore whose recorded attestation the server does not have, and a server without keys', async () => {
    server.keySet = genuineKeys();
    const published = publish('pdf-tools', '1.0.0', { 'SKILL.md': '---\nname: pdf-tools\n---\n' }, first);
    const dir = project('app');
    const lock = { lockfileVersion: 1, skills: { 'pdf-tools': { version: '1.0.0', digest: published.files.contentSha256, registry: origin, agents: ['universal'], attestation: 'e'.repeat(64) } } };
    writeFileSync(path.join(dir, 'everyskill-lock.json'), JSON.stringify(lock));
    const install = () => run(['install', '--key', `rlk_${'k'.repeat(43)}`], dir);
    expect(await install()).toBe(EXIT.integrity);
    expect(stderr).toMatch(/pdf-tools@1\.0\.0: the server has no attestation eeeeeeeeeeee, the one the lockfile records .*nothing was written/);
    expect(existsSync(path.join(dir, '.agents'))).toBe(false);

    server.keySet = null;
    stderr = '';
    expect(await install()).toBe(EXIT.integrity);
    expect(stderr).toMatch(/serves no signing keys at \/\.well-known\/everyskill\/keys\.json; nothing was written/);
  });
});
