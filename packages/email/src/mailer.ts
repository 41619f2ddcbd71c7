import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { readMailEnv, type MailEnv } from './env';

/** One email: HTML with a plain-text alternative, and optional extra headers (List-Unsubscribe). */
export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  readonly transport: MailEnv['transport'];
  /** Sends one message; throws when the relay refuses it or is unreachable (the caller's job retries). */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** What the dev mail page lists: the sidecar written next to each stored .eml file. */
export interface StoredMail {
  id: string;
  messageId: string;
  from: string;
  to: string;
  subject: string;
  date: string;
  html: string;
  text: string;
}

/** A mailer for the configuration: nodemailer over SMTP, or .eml files (+ a JSON sidecar) in MAIL_DIR. */
export function createMailer(env: MailEnv = readMailEnv()): Mailer {
  if (env.transport === 'smtp') {
    const transporter = nodemailer.createTransport({
      host: env.host,
      port: env.port,
      secure: env.secure,
      auth: env.auth,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return {
      transport: 'smtp',
      async send(message) {
        const info = await transporter.sendMail({ from: env.from, ...message });
        return { messageId: info.messageId };
      },
      close: () => transporter.close(),
    };
  }
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    transport: 'folder',
    async send(message) {
      const info = await transporter.sendMail({ from: env.from, ...message });
      const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
      await mkdir(env.dir, { recursive: true });
      await writeFile(path.join(env.dir, `${id}.eml`), info.message as Buffer);
      const stored: StoredMail = {
        id,
        messageId: info.messageId,
        from: env.from,
        to: message.to,
        subject: message.subject,
        date: new Date().toISOString(),
        html: message.html,
        text: message.text,
      };
      await writeFile(path.join(env.dir, `${id}.json`), JSON.stringify(stored));
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

const STORED_ID = /^[0-9TZ]+-[0-9a-f]{8}$/;

/** Mail written to the folder, newest first (development and test only). */
export async function listStoredMail(dir: string, limit = 100): Promise<StoredMail[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ids = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -5))
    .filter((id) => STORED_ID.test(id))
    .sort()
    .reverse()
    .slice(0, limit);
  return Promise.all(ids.map(async (id) => JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as StoredMail));
}

/** One stored message by id, or null (ids are checked, so no path leaves the folder). */
export async function readStoredMail(dir: string, id: string): Promise<StoredMail | null> {
  if (!STORED_ID.test(id)) return null;
  try {
    return JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as StoredMail;
  } catch {
    return null;
  }
}
