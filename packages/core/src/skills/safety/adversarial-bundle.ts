/**
 * A hostile bundle for the scanner's linear-time guarantee: 10 MiB of text built from the pieces
 * each rule's pattern starts on or repeats, with a 1 MiB line of each, so any rule that backtracks
 * or rescans a line per match shows up as a slow scan. Used by the unit test and bench:safety.
 */
const PIECES = [
  'curl ', 'wget -O ', '| ', 'bash <(', '$(curl ', 'base64 -d ', 'eval(', 'exec(', 'String.fromCharCode(1,', 'chr(99)+',
  '<!-- ', 'ignore all the previous ', 'do not tell the ', '\u202e', 'a\u200bb', '\ufe00\ufe01', '\u{e0041}', '~/.ssh/id_rsa ', '/dev/tcp/1.2.3.4/',
  'http://203.0.113.1/', '>> ~/.bashrc ', 'nslookup $(', 'unzip -P ', 'password: x.zip ', 'AAAA', '\\x41\\x42', 'allow": ["Bash', '.claude/settings.json ',
  'powershell -enc ', 'mkfifo ', 'crontab -', 'iex(', 'с', 'a',
];

/** One line of `size` characters repeating `piece`. */
function line(piece: string, size: number): string {
  return piece.repeat(Math.ceil(size / piece.length)).slice(0, size);
}

/** Files of about `totalBytes` in all: a 1 MiB line per piece, then mixed lines to fill the rest. */
export function adversarialBundle(totalBytes = 10 * 1024 * 1024): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  const MiB = 1024 * 1024;
  let used = 0;
  let k = 0;
  // Long single lines, one file each, until 6 MiB.
  for (const piece of PIECES) {
    if (used >= totalBytes * 0.6) break;
    const size = Math.min(MiB, totalBytes - used) / 4;
    files.push({ path: `references/long-${k++}.md`, text: line(piece, size) });
    used += size;
  }
  // Short lines mixing every piece, for the per-line and proximity rules.
  const mixed: string[] = [];
  let size = 0;
  for (let i = 0; used + size < totalBytes; i++) {
    const l = `${PIECES[i % PIECES.length]}${PIECES[(i * 7) % PIECES.length]}${PIECES[(i * 13) % PIECES.length]}${'x'.repeat(i % 50)}`;
    mixed.push(l);
    size += l.length + 1;
  }
  files.push({ path: 'SKILL.md', text: `---\nname: hostile\ndescription: ${line('pаypal ', 4000)}\nallowed-tools: ${line('Bash ', 4000)}\n---\n${mixed.join('\n')}` });
  return files;
}
