import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Every .eml file in a mail folder (MAIL_DIR), parsed as a mail client would, oldest first. */
export async function readMailFolder(dir: string): Promise<ParsedMail[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (name) => simpleParser(await readFile(path.join(dir, name)))));
}
