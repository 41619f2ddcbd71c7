'use strict';
// Reads the `.env.production` / `.env.staging` files at the repository root, for PM2
// (ecosystem.config.cjs) and for deploy.sh / backup.sh, so every tool sees the same values.
//
//   node scripts/lib/env-file.cjs get  FILE KEY            print one value (exit 1 if unset)
//   node scripts/lib/env-file.cjs exec FILE -- CMD [ARG…]  run CMD with FILE's variables added
//
// Format: KEY=value lines, `#` comments, optional `export ` prefix, values optionally in single
// quotes (literal) or double quotes (\n, \t, \", \\ escapes; may span lines). No ${VAR}
// expansion: a value is exactly what the file says.
const fs = require('node:fs');

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses dotenv-style text; throws with `file:line` on anything it cannot read unambiguously. */
function parseEnv(text, file = 'env file') {
  const env = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match || !KEY.test(match[1])) {
      throw new Error(`${file}:${lineNo}: expected KEY=value, got "${line.slice(0, 40)}"`);
    }
    const key = match[1];
    let rest = match[2];
    let value;
    if (rest.startsWith('"')) {
      // Double quotes: may continue on following lines until the closing quote.
      let body = rest.slice(1);
      let end = closingQuote(body);
      while (end === -1 && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        end = closingQuote(body);
      }
      if (end === -1) throw new Error(`${file}:${lineNo}: ${key} has an opening " without a closing one`);
      assertOnlyComment(body.slice(end + 1), file, lineNo, key);
      value = body
        .slice(0, end)
        .replace(/\\([nrt"\\$])/g, (_, c) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end === -1) throw new Error(`${file}:${lineNo}: ${key} has an opening ' without a closing one`);
      assertOnlyComment(rest.slice(end + 1), file, lineNo, key);
      value = rest.slice(1, end);
    } else {
      // Unquoted: a ` #` starts a comment; `#` inside a value (a URL fragment, a password) stays.
      value = rest.replace(/\s+#.*$/, '').trim();
    }
    env[key] = value;
  }
  return env;
}

function closingQuote(body) {
  for (let j = 0; j < body.length; j++) {
    if (body[j] === '\\') j++;
    else if (body[j] === '"') return j;
  }
  return -1;
}

function assertOnlyComment(tail, file, lineNo, key) {
  const t = tail.trim();
  if (t !== '' && !t.startsWith('#')) {
    throw new Error(`${file}:${lineNo}: unexpected text after the quoted value of ${key}: "${t.slice(0, 20)}"`);
  }
}

/** The variables of `file`, or null when it does not exist. */
function readEnvFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
  return parseEnv(text, file);
}

module.exports = { parseEnv, readEnvFile };

if (require.main === module) {
  const [command, file, ...rest] = process.argv.slice(2);
  const usage = 'usage: env-file.cjs get FILE KEY | env-file.cjs exec FILE -- CMD [ARG...]';
  if (!command || !file) {
    console.error(usage);
    process.exit(2);
  }
  let env;
  try {
    env = readEnvFile(file);
  } catch (error) {
    console.error(`env-file: ${error.message}`);
    process.exit(2);
  }
  if (env === null) {
    console.error(`env-file: ${file} does not exist`);
    process.exit(2);
  }
  if (command === 'get') {
    if (rest.length !== 1) {
      console.error(usage);
      process.exit(2);
    }
    if (!(rest[0] in env)) process.exit(1);
    process.stdout.write(env[rest[0]] + '\n');
  } else if (command === 'exec') {
    const argv = rest[0] === '--' ? rest.slice(1) : rest;
    if (argv.length === 0) {
      console.error(usage);
      process.exit(2);
    }
    // The file wins over the caller's environment: a stray DATABASE_URL in an operator's shell
    // must never point a production migration at another database.
    const child = require('node:child_process').spawn(argv[0], argv.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('error', (error) => {
      console.error(`env-file: cannot run ${argv[0]}: ${error.message}`);
      process.exit(127);
    });
    child.on('exit', (code, signal) => process.exit(code ?? 128 + (require('node:os').constants.signals[signal] ?? 1)));
  } else {
    console.error(usage);
    process.exit(2);
  }
}
