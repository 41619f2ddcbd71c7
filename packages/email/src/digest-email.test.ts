import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, listStoredMail, readMailEnv, renderDigestEmail, type DigestEmailProps } from './index';
import { startSmtpSink, type SmtpSink } from './testing';

const props: DigestEmailProps = {
  kind: 'daily',
  tenantName: 'Acme & Co',
  recipientName: 'Ada',
  periodLabel: 'Friday 4 December 2026',
  appUrl: 'http://acme.localhost:3000',
  newSkills: [{ name: 'pdf-tools', url: 'http://acme.localhost:3000/skills/pdf-tools', detail: 'v1.0.0 by Max' }],
  newVersions: [],
  mostUsed: [{ name: 'pdf-tools', url: 'http://acme.localhost:3000/skills/pdf-tools', detail: '3 uses' }],
  bestRated: [],
  followedChanged: [],
  installedChanged: [],
  reviewsAwaiting: [],
  preferencesUrl: 'http://acme.localhost:3000/settings/notifications',
  unsubscribeUrl: 'http://acme.localhost:3000/unsubscribe?token=abc',
};

describe('digest email', () => {
  let sink: SmtpSink;
  let dir: string;
  beforeAll(async () => {
    sink = await startSmtpSink();
    dir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-mail-'));
  });
  afterAll(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders HTML with a plain-text alternative, sections only when they have items', async () => {
    const mail = await renderDigestEmail(props);
    expect(mail.subject).toBe('Acme & Co skills digest — Friday 4 December 2026');
    expect(mail.html).toContain('href="http://acme.localhost:3000/skills/pdf-tools"');
    expect(mail.html).toContain('New skills');
    expect(mail.html).not.toContain('Best rated');
    expect(mail.text).toContain('pdf-tools');
    expect(mail.text).not.toContain('<');
    const quiet = await renderDigestEmail({ ...props, newSkills: [], mostUsed: [] });
    expect(quiet.text).toContain('A quiet day');
  });

  it('sends over SMTP to a real server and arrives as multipart with both parts', async () => {
    const mailer = createMailer(readMailEnv({ SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), SMTP_SECURE: 'false', MAIL_FROM: 'Skills <skills@acme.test>' }));
    const mail = await renderDigestEmail(props);
    await mailer.send({ to: 'ada@acme.test', ...mail, headers: { 'List-Unsubscribe': `<${props.unsubscribeUrl}>` } });
    mailer.close();
    const received = sink.messages.at(-1)!;
    expect(received.subject).toBe(mail.subject);
    expect(received.from?.value[0]).toMatchObject({ name: 'Skills', address: 'skills@acme.test' });
    expect(received.html).toContain('pdf-tools');
    expect(received.text).toContain('pdf-tools');
    expect(received.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain('unsubscribe?token=abc');
  });

  it('without SMTP_HOST writes .eml files and a listing to MAIL_DIR', async () => {
    const env = readMailEnv({ MAIL_DIR: dir });
    expect(env.transport).toBe('folder');
    const mailer = createMailer(env);
    await mailer.send({ to: 'max@acme.test', subject: 'hello', html: '<p>hi</p>', text: 'hi' });
    const eml = readdirSync(dir).find((f) => f.endsWith('.eml'))!;
    const parsed = await simpleParser(readFileSync(path.join(dir, eml)));
    expect(parsed.subject).toBe('hello');
    expect(parsed.text?.trim()).toBe('hi');
    const listed = await listStoredMail(dir);
    expect(listed.map((m) => m.to)).toEqual(['max@acme.test']);
  });

  it('refuses half an SMTP login', () => {
    expect(() => readMailEnv({ SMTP_HOST: 'smtp.example.test', SMTP_USER: 'me' })).toThrow(/SMTP_PASSWORD: set both/);
  });
});
