import { invalidInput } from '../../errors';

/** Finder and Windows leave these in archives; they are dropped, not refused. */
export function isJunkPath(path: string): boolean {
  const segments = path.split('/');
  const name = segments.at(-1) ?? '';
  return segments[0] === '__MACOSX' || name === '.DS_Store' || name === 'Thumbs.db' || name === 'desktop.ini';
}

const show = (path: string) => JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);

/**
 * Checks one path from an archive or upload and returns it normalised: NFC, `./` segments
 * removed, no trailing slash. Refuses what could escape the bundle folder or collide on disk.
 */
export function normalizeBundlePath(raw: string, maxPathLength: number): string {
  if (typeof raw !== 'string' || raw.length === 0) throw invalidInput('the bundle has an entry with an empty path', { reason: 'bad-path' });
  if (raw.includes('\\')) {
    throw invalidInput(`path ${show(raw)} contains a backslash; paths inside a skill must use '/'`, { reason: 'bad-path', path: raw });
  }
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw invalidInput(`path ${show(raw)} contains a control character`, { reason: 'bad-path', path: raw });
  }
  if (raw.startsWith('/')) throw invalidInput(`path ${show(raw)} is absolute; paths must be relative to the skill folder`, { reason: 'bad-path', path: raw });
  if (/^[A-Za-z]:/.test(raw)) throw invalidInput(`path ${show(raw)} starts with a drive letter; paths must be relative to the skill folder`, { reason: 'bad-path', path: raw });
  const segments = raw.replace(/\/+$/, '').split('/').filter((s) => s !== '.');
  if (segments.includes('..')) throw invalidInput(`path ${show(raw)} contains '..'; paths must stay inside the skill folder`, { reason: 'bad-path', path: raw });
  if (segments.length === 0 || segments.includes('')) throw invalidInput(`path ${show(raw)} has an empty segment`, { reason: 'bad-path', path: raw });
  const path = segments.join('/').normalize('NFC');
  if (path.length > maxPathLength) {
    throw invalidInput(`path ${show(raw)} is ${path.length} characters long; the limit is ${maxPathLength}`, { reason: 'bad-path', path: raw });
  }
  return path;
}
