/**
 * Where a URL points, as far as the scanner cares: the official installers of widely used tools
 * (piping those to a shell is a warning, not a block), capture and paste services an attacker
 * collects data on, and raw addresses that no published tool installs from.
 */
export type HostKind = 'installer' | 'capture' | 'raw-ip' | 'plain-http' | 'unknown';

/** Official install endpoints of widely used developer tools. */
const INSTALLER_HOSTS = [
  'astral.sh', 'sh.rustup.rs', 'rustup.rs', 'static.rust-lang.org', 'bun.sh', 'deno.land', 'deno.com', 'get.docker.com', 'test.docker.com',
  'get.pnpm.io', 'install.python-poetry.org', 'get.sdkman.io', 'starship.rs', 'fly.io', 'ollama.com', 'get.k3s.io', 'tailscale.com',
  'cli.github.com', 'claude.ai', 'opencode.ai', 'run.linkerd.io', 'get.nextflow.io', 'foundry.paradigm.xyz', 'nixos.org', 'install.determinate.systems',
  'get.helm.sh', 'mise.run', 'mise.jdx.dev', 'pyenv.run', 'get.volta.sh', 'fnm.vercel.app', 'vercel.com', 'supabase.com', 'railway.app',
  'get.jenkins.io', 'sdk.cloud.google.com', 'aka.ms', 'dot.net', 'dotnet.microsoft.com', 'brew.sh', 'get.rvm.io', 'install.meteor.com',
  'get.haskellstack.org', 'get-ghcup.haskell.org', 'get.opentofu.org', 'cli.doppler.com', 'get.trunk.io', 'pixi.sh', 'micro.mamba.pm',
  'raw.githubusercontent.com/homebrew', 'raw.githubusercontent.com/nvm-sh', 'raw.githubusercontent.com/helm', 'raw.githubusercontent.com/ohmyzsh',
  'github.com/astral-sh', 'github.com/cli', 'install.terraform.io', 'releases.hashicorp.com', 'apt.releases.hashicorp.com', 'dl.k8s.io', 'get.k0s.sh',
];

/** Request capture, paste, tunnel and anonymous file-drop services. */
const CAPTURE_HOSTS = [
  'webhook.site', 'requestbin', 'pipedream.net', 'hooks.slack.com', 'discord.com/api/webhooks', 'discordapp.com/api/webhooks', 'api.telegram.org',
  'ngrok.io', 'ngrok-free.app', 'ngrok.app', 'trycloudflare.com', 'serveo.net', 'localtunnel.me', 'loca.lt', 'burpcollaborator.net', 'oastify.com',
  'interact.sh', 'oast.fun', 'oast.me', 'oast.pro', 'oast.live', 'oast.site', 'oast.online', 'canarytokens', 'beeceptor.com', 'requestcatcher.com',
  'pastebin.com', 'paste.ee', 'hastebin', 'ghostbin', 'rentry.co', 'termbin.com', 'transfer.sh', '0x0.st', 'file.io', 'temp.sh', 'bashupload.com',
  'glot.io', 'anonfiles', 'gofile.io', 'catbox.moe', 'pastes.io', 'dpaste', 'ix.io', 'sprunge.us', 'controlc.com', 'justpaste.it', 'mocky.io',
];

const URL_PATTERN = /\b(?:https?|ftp|tcp):\/\/[^\s"'`<>)\]]{1,300}/gi;

/** The URLs in a piece of text (at most 20). */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].slice(0, 20).map((m) => m[0]);
}

/** What kind of host a URL points to. */
export function classifyUrl(url: string): HostKind {
  const lower = url.toLowerCase();
  const rest = lower.replace(/^[a-z]+:\/\//, '');
  const host = rest.split(/[/:?#]/, 1)[0] ?? '';
  if (CAPTURE_HOSTS.some((h) => rest.startsWith(h) || host.endsWith(`.${h}`) || host === h || (h.indexOf('.') === -1 && host.includes(h)))) return 'capture';
  const ip = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (ip) return isPrivateIp(Number(ip[1]), Number(ip[2])) ? 'unknown' : 'raw-ip';
  if (host.startsWith('[') || /^0x[0-9a-f]+$|^\d{8,10}$/.test(host)) return 'raw-ip';
  if (INSTALLER_HOSTS.some((h) => (h.includes('/') ? rest.startsWith(h) : host === h || host.endsWith(`.${h}`)))) return 'installer';
  if (lower.startsWith('http://') && host !== 'localhost') return 'plain-http';
  return 'unknown';
}

function isPrivateIp(a: number, b: number): boolean {
  return a === 10 || a === 127 || a === 0 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 169 && b === 254);
}

/** Whether any URL in the text goes to a capture service or a raw public address. */
export function hasSuspiciousDestination(text: string): boolean {
  return urlsIn(text).some((u) => {
    const kind = classifyUrl(u);
    return kind === 'capture' || kind === 'raw-ip';
  }) || /\b(?:nc|ncat|netcat)\s+(?:-\w+\s+)*\d{1,3}(?:\.\d{1,3}){3}\s+\d+/.test(text);
}
