import type { SafetyCategory, SafetySeverity } from '@everyskill/contracts';
import { classifyUrl, hasSuspiciousDestination, urlsIn } from './hosts';

/**
 * The behaviour rules: one row per thing a skill can make an agent do that it should not. Every
 * pattern is a regular expression without nested or overlapping quantifiers and with bounded gaps,
 * so each runs in time linear in the text (the adversarial test proves it on 10 MiB).
 */
export interface MatchContext {
  /** The matched text. */
  match: string;
  /** The whole line the match starts on, cut to 2,000 characters around the match. */
  line: string;
  /** The match sits inside quotes or backticks: the text talks about the phrase rather than saying it. */
  quoted: boolean;
  /** About 600 characters either side of the match, for rules that weigh what is written around it. */
  around: string;
  /** The 40 characters before the match. */
  before: string;
}

export interface BehaviourRule {
  id: string;
  category: SafetyCategory;
  severity: SafetySeverity;
  message: string;
  /**
   * Patterns without gaps, found in this order on one line within `window` characters of the
   * first: the scanner looks for the first, then each next one after the previous, so a rule
   * costs one pass over the text whatever the input (no regular expression backtracks over a gap).
   */
  steps: readonly RegExp[];
  /** How far after the first step the others may be (default 400, never past the end of the line). */
  window?: number;
  /** Lowercase words (letters, digits, `_`) one of which the text must contain for the rule to run at all: a fast pre-check. */
  keywords?: readonly string[];
  /** Decides the severity from the context; null drops the match. */
  refine?: (ctx: MatchContext) => SafetySeverity | null;
}

/** Settings that widen what an agent may do without asking, or run something from the network. */
const PERMISSION_BROADENING = /["']allow["']\s*:\s*\[[^\]]{0,300}?["'](?:Bash|Shell|run_shell_command)(?:\(\s*\*?\s*(?::\s*\*)?\s*\))?["']|bypassPermissions|dangerously|autoApprove|enableAllProjectMcpServers|\bcurl\b|\bwget\b|\/dev\/tcp|base64\s+-d/i;

const SHELL_SINK = '\\|\\s*(?:sudo\\s+(?:-[a-zA-Z]+\\s+)*)?(?:env\\s+)?(?:(?:ba|z|k|da|fi|c|tc)?sh|python[23]?|perl|ruby|node|php|iex|pwsh|powershell|osascript)\\b';
const FETCH = '(?:curl|wget|fetch|iwr|irm|invoke-webrequest|invoke-restmethod|aria2c|lwp-download)';
const DECODE_KEYWORDS = ['base64', 'b64decode', 'b32decode', 'b16decode', 'a85decode', 'decodebytes', 'decode64', 'decode_base64', 'atob', 'fromhex', 'unhexlify', 'frombase64string', 'xxd', 'codecs', 'zlib', 'marshal', 'gunzip', 'fromcharcode', 'buffer'];
const DECODE = '(?:base64\\s+(?:-d|--decode|-D)|b64decode|b32decode|b16decode|a85decode|decodebytes|decode64|decode_base64|atob|fromhex|unhexlify|FromBase64String|xxd\\s+-r|codecs\\.decode|zlib\\.decompress|marshal\\.loads|gunzip|String\\.fromCharCode|Buffer\\.from)';

function re(source: string, flags = 'gi'): RegExp {
  return new RegExp(source, flags);
}

/** Pipe-to-shell from an official installer warns; from anywhere else it blocks. */
function byInstallHost(ctx: MatchContext): SafetySeverity {
  const urls = urlsIn(ctx.line);
  if (urls.length === 0) return 'block';
  return urls.every((u) => classifyUrl(u) === 'installer') ? 'warn' : 'block';
}

/** Talking about a phrase ("attempts to ignore previous instructions", a quoted example) is not saying it. */
const quotedWarns = (ctx: MatchContext): SafetySeverity =>
  ctx.quoted || /\b(?:to|attempts?|attempting|tries|trying|tried|that|which|such\s+as|like|e\.g\.|as|detects?|flags?|blocks?|whether)\s*[:("'“]*\s*$/i.test(ctx.before) ? 'warn' : 'block';

/** A detection pattern (a regex alternation, a query) names a technique without using it. */
const DETECTION_SYNTAX = /\(\?i\)|=~|\b[\w-]+\|[\w-]+\|[\w-]+|\bre\.compile\s*\(|\bRegExp\s*\(|\bmatches\s+regex\b/;
const unlessDetection =
  (severity: (ctx: MatchContext) => SafetySeverity) =>
  (ctx: MatchContext): SafetySeverity =>
    DETECTION_SYNTAX.test(ctx.line) ? 'warn' : severity(ctx);
const blocks = () => 'block' as const;

const AGENT_CONFIG_PATH =
  '\\.(?:claude|cursor|codex|gemini|windsurf|codeium|continue|kiro|roo|cline|vscode)[\\/\\\\](?:settings(?:\\.local)?\\.json|mcp\\.json|config\\.toml|config\\.json|mcp_config\\.json|hooks)|claude_desktop_config\\.json|\\.mcp\\.json';

export const BEHAVIOUR_RULES: readonly BehaviourRule[] = [
  // Remote code execution and obfuscation
  {
    id: 'pipe-to-shell',
    keywords: ['curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke', 'aria2c', 'download'],
    category: 'remote-code',
    severity: 'block',
    message: 'downloads a script and runs it in a shell without anyone reading it',
    steps: [re(`\\b${FETCH}\\b`), re(SHELL_SINK)],
    refine: unlessDetection(byInstallHost),
  },
  {
    id: 'pipe-to-shell',
    keywords: ['curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke', 'aria2c', 'download'],
    category: 'remote-code',
    severity: 'block',
    message: 'runs the output of a download as a script',
    steps: [re(`(?:\\b(?:ba|z|k|da)?sh|\\bsource|\\beval|\\bpython[23]?|\\biex|\\binvoke-expression|(?:^|[\\s;&|])\\.)\\s*(?:-c\\s*)?["'(]?\\s*(?:<\\(|\\$\\(|\`)\\s*${FETCH}\\b`)],
    refine: unlessDetection(byInstallHost),
  },
  {
    id: 'pipe-to-shell',
    keywords: ['iex', 'invoke'],
    category: 'remote-code',
    severity: 'block',
    message: 'PowerShell downloads a script and evaluates it',
    steps: [re('\\b(?:iex|invoke-expression)\\b'), re('\\b(?:iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|net\\.webclient)\\b')],
    window: 120,
    refine: unlessDetection(byInstallHost),
  },
  {
    id: 'pipe-to-shell',
    keywords: ['iex', 'invoke'],
    category: 'remote-code',
    severity: 'block',
    message: 'PowerShell downloads a script and evaluates it',
    steps: [re('\\b(?:downloadstring|downloaddata|iwr|irm|invoke-webrequest|invoke-restmethod)\\b'), re('\\|\\s*(?:iex|invoke-expression)\\b')],
    refine: unlessDetection(byInstallHost),
  },
  {
    id: 'decode-and-execute',
    keywords: DECODE_KEYWORDS,
    category: 'remote-code',
    severity: 'block',
    message: 'decodes hidden content and runs it',
    steps: [re(DECODE), re(SHELL_SINK)],
    refine: unlessDetection(blocks),
  },
  {
    id: 'decode-and-execute',
    keywords: DECODE_KEYWORDS,
    category: 'remote-code',
    severity: 'block',
    message: 'decodes hidden content and runs it',
    steps: [re('\\b(?:eval|exec|execSync|spawnSync|Function|system|popen|os\\.system|os\\.popen|subprocess\\.\\w+|Invoke-Expression|iex|instance_eval)\\s*\\('), re(DECODE)],
    window: 200,
    refine: unlessDetection(blocks),
  },
  {
    id: 'decode-and-execute',
    keywords: DECODE_KEYWORDS,
    category: 'remote-code',
    severity: 'block',
    message: 'runs a command built from decoded text',
    steps: [re('(?:\\b(?:ba|z)?sh\\s+-c|\\beval)\\s*["\']?\\$\\('), re(DECODE)],
    refine: unlessDetection(blocks),
  },
  {
    id: 'decode-and-execute',
    keywords: ['powershell', 'pwsh'],
    category: 'remote-code',
    severity: 'block',
    message: 'runs an encoded PowerShell command',
    steps: [re('\\b(?:powershell|pwsh)(?:\\.exe)?\\b'), re('\\s-(?:e|ec|enc|encodedcommand)\\s+["\']?[A-Za-z0-9+/=]{16}')],
    window: 200,
    refine: unlessDetection(blocks),
  },
  {
    id: 'decode-and-execute',
    keywords: ['printf', 'echo'],
    category: 'remote-code',
    severity: 'block',
    message: 'pipes escaped bytes into a shell',
    steps: [re('\\b(?:printf|echo\\s+-e|echo\\s+-ne)\\s+["\']?(?:\\\\x[0-9a-f]{2}|\\\\[0-7]{3}){4}'), re(SHELL_SINK)],
  },
  {
    id: 'char-code-obfuscation',
    keywords: ['fromcharcode', 'chr', 'char'],
    category: 'remote-code',
    severity: 'warn',
    message: 'builds a string from character codes, which hides what it says',
    steps: [re('String\\.fromCharCode\\s*\\((?:\\s*(?:0x)?[0-9a-f]{1,4}\\s*,){7}|(?:\\bchr\\s*\\(\\s*\\d{1,3}\\s*\\)\\s*[+.,]\\s*){6}|\\[char\\]\\s*\\d{1,3}\\s*\\+\\s*\\[char\\]\\s*\\d{1,3}\\s*\\+\\s*\\[char\\]')],
    refine: (ctx) => (/\b(?:eval|exec|Function|system|iex|Invoke-Expression|spawn|child_process|subprocess)\b/i.test(ctx.line) ? 'block' : 'warn'),
  },
  {
    id: 'download-and-run',
    keywords: ['curl', 'wget', 'iwr', 'invoke'],
    category: 'remote-code',
    severity: 'block',
    message: 'downloads a program and runs it',
    steps: [
      re('\\b(?:curl|wget|iwr|invoke-webrequest)\\b'),
      re('(?:\\s-o\\s*|\\s-O\\s*|\\s--output\\s+|\\s-OutFile\\s+|>\\s*)'),
      re('(?:&&|;|\\|\\|)\\s*(?:sudo\\s+)?(?:chmod\\s+(?:\\+x|[0-7]{3,4}|[ugoa]+\\+x)|\\.\\/|start-process|open\\s|msiexec|installer\\s+-pkg|hdiutil\\s+attach|\\/tmp\\/|\\$env:temp)'),
    ],
    window: 600,
    refine: unlessDetection(byInstallHost),
  },
  {
    id: 'gatekeeper-bypass',
    keywords: ['xattr', 'spctl', 'mppreference', 'unblock'],
    category: 'remote-code',
    severity: 'block',
    message: 'turns off the operating system’s check on downloaded programs',
    steps: [re('\\bxattr\\s+(?:-[a-z]*d[a-z]*\\s+com\\.apple\\.quarantine|-[a-z]*c[a-z]*\\s)|\\bspctl\\s+--master-disable|Set-MpPreference\\s+-Disable|Add-MpPreference\\s+-ExclusionPath|Unblock-File\\b')],
  },
  {
    id: 'password-protected-archive',
    keywords: ['unzip'],
    category: 'remote-code',
    severity: 'block',
    message: 'extracts a password-protected archive, which hides its content from scanners',
    steps: [re('\\bunzip\\s+(?:-[a-zA-Z]+\\s+)*-P\\s*\\S')],
  },
  {
    id: 'password-protected-archive',
    keywords: ['7z', '7za', '7zr', 'unrar'],
    category: 'remote-code',
    severity: 'block',
    message: 'extracts a password-protected archive, which hides its content from scanners',
    steps: [re('\\b(?:7z[a-z]?|unrar)\\s+[xe]\\b'), re('\\s-p\\S')],
    window: 200,
  },
  {
    id: 'password-protected-archive',
    keywords: ['password', 'passcode', 'passphrase', 'pwd'],
    category: 'remote-code',
    severity: 'block',
    message: 'tells the reader to open a downloaded archive with a password',
    steps: [re('\\b(?:zip|7z|rar|archive)\\b'), re('\\b(?:password|passcode|passphrase|pwd)\\b\\s*(?:is|:|=|-)?\\s*[`"\'*]*[^\\s`"\'*]{3}')],
    window: 200,
    refine: (ctx) => (/\b(?:download|release|extract|unzip|unpack|install|open)/i.test(ctx.line) ? 'block' : 'warn'),
  },
  {
    id: 'password-protected-archive',
    keywords: ['password', 'passcode', 'passphrase'],
    category: 'remote-code',
    severity: 'block',
    message: 'tells the reader to open a downloaded archive with a password',
    steps: [re('\\b(?:password|passcode|passphrase)\\b\\s*(?:is|:|=)\\s*[`"\'*]*[^\\s`"\'*]{3}'), re('\\.(?:zip|7z|rar)\\b')],
    window: 200,
    refine: (ctx) => (/\b(?:download|release|extract|unzip|unpack|install|open)/i.test(ctx.line) ? 'block' : 'warn'),
  },

  // Network destinations and exfiltration
  {
    id: 'exfiltration-destination',
    keywords: ['http', 'https', 'tcp'],
    category: 'exfiltration',
    severity: 'warn',
    message: 'sends to a request-capture, paste or tunnel service, or to a raw IP address',
    steps: [re('\\b(?:https?|tcp):\\/\\/[^\\s"\'`<>)\\]]{1,200}')],
    refine: (ctx) => {
      const kind = classifyUrl(ctx.match);
      if (kind !== 'capture' && kind !== 'raw-ip') return null;
      return lineHasEgress(ctx.line) || /\|\s*(?:ba|z)?sh\b/.test(ctx.line) ? 'block' : 'warn';
    },
  },
  {
    id: 'dns-exfiltration',
    keywords: ['nslookup', 'dig', 'host', 'drill', 'ping', 'resolvectl'],
    category: 'exfiltration',
    severity: 'block',
    message: 'puts data into a DNS lookup, which carries it out past most firewalls',
    steps: [re('\\b(?:nslookup|dig|host|drill|ping|resolvectl\\s+query)\\s+(?:[-+]\\S+\\s+){0,4}[^\\s|;&]{0,80}?(?:\\$\\(|`|\\$\\{?[A-Za-z_])')],
  },
  {
    id: 'dns-exfiltration',
    keywords: ['gethostbyname', 'getaddrinfo', 'resolve', 'resolve4', 'resolve6', 'resolveany', 'lookup'],
    category: 'exfiltration',
    severity: 'block',
    message: 'puts data into a DNS lookup, which carries it out past most firewalls',
    steps: [re('\\b(?:gethostbyname|getaddrinfo|resolve(?:4|6|Any)?|dns\\.lookup)\\s*\\(\\s*'), re('f["\']|\\+|%s|\\.format\\(|\\$\\{')],
    window: 100,
    refine: (ctx) => (/(?:environ|env\b|secret|token|key|passw|hostname|user|data|b64|base64|hex|encode|read|chunk)/i.test(ctx.line) ? 'block' : null),
  },

  // Reverse shells
  ...(
    [
      [['tcp', 'udp'], re('\\/dev\\/(?:tcp|udp)\\/[\\w.$-]+\\/\\d')],
      [['nc', 'ncat', 'netcat', 'traditional'], re('\\b(?:nc|ncat|netcat|nc\\.traditional)\\b'), re('\\s-(?:e|c)\\s*["\']?\\/?(?:bin\\/|usr\\/bin\\/)?(?:ba|z|da)?sh\\b')],
      [['ncat'], re('\\bncat\\b'), re('--(?:exec|sh-exec|lua-exec)\\b')],
      [['mkfifo'], re('\\bmkfifo\\b'), re('\\b(?:nc|ncat|netcat|telnet|openssl\\s+s_client)\\b')],
      [['socat'], re('\\bsocat\\b'), re('\\bexec:')],
      [['dup2'], re('\\bos\\.dup2\\s*\\(\\s*\\w+\\.fileno\\s*\\(')],
      [['tcpclient'], re('Net\\.Sockets\\.TCPClient\\s*\\(')],
      [['fsockopen'], re('\\bfsockopen\\s*\\('), re('\\b(?:exec|shell_exec|system|proc_open|passthru|popen)\\b')],
      [['socket'], re('\\buse\\s+Socket\\b'), re('\\bexec\\s*\\(')],
      [['i'], re('\\b(?:ba)?sh\\s+-i\\s*[<>]&')],
      [['tcpsocket'], re('\\bTCPSocket\\.(?:new|open)\\b'), re('\\b(?:exec|spawn|popen|system)\\b')],
      [['child_process'], re('child_process'), re('net\\.(?:Socket|connect)\\b')],
      [['child_process'], re('net\\.(?:Socket|connect)\\b'), re('child_process')],
    ] as Array<[string[], ...RegExp[]]>
  ).map(
    ([keywords, ...steps]): BehaviourRule => ({ id: 'reverse-shell', category: 'reverse-shell', severity: 'block', message: 'opens a shell that a remote machine controls', keywords, steps }),
  ),

  // Persistence
  {
    id: 'persistence',
    keywords: ['crontab', 'cron', 'bashrc', 'bash_profile', 'bash_login', 'profile', 'zshrc', 'zprofile', 'zshenv', 'zlogin', 'cshrc', 'tcshrc', 'kshrc', 'launchagents', 'launchdaemons', 'launchctl', 'systemd', 'system', 'hooks', 'hookspath', 'currentversion', 'schtasks', 'scheduledtask', 'startup', 'autostart', 'authorized_keys'],
    category: 'persistence',
    severity: 'warn',
    message: 'installs something that runs again later (cron, shell start-up files, launch agents, services, git hooks, Run keys)',
    steps: [
      re(
        [
          '\\|\\s*crontab\\s+-(?=\\s|$|["\'`;)&])',
          '>>?\\s*["\']?\\/(?:etc\\/cron|var\\/spool\\/cron)',
          '\\bcrontab\\s+(?:-u\\s+\\w+\\s+)?[\\w./~-]{1,80}\\.(?:txt|cron|tmp)\\b',
          '(?:>>?|\\btee\\s+(?:-a\\s+)?)\\s*["\']?(?:~|\\$HOME|\\$\\{HOME\\}|\\/root|\\/home\\/[\\w.-]{1,40})?\\/?\\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|zlogin|cshrc|tcshrc|kshrc)\\b',
          'Library\\/Launch(?:Agents|Daemons)\\/',
          '\\blaunchctl\\s+(?:load|bootstrap|submit)\\b',
          '\\.config\\/systemd\\/user\\/|\\/etc\\/systemd\\/system\\/[\\w@.-]{1,80}\\.(?:service|timer)',
          '\\.git\\/hooks\\/(?:pre|post)-[\\w-]+|\\bcore\\.hooksPath\\b',
          '\\breg(?:\\.exe)?\\s+add\\s+["\']?HK(?:CU|LM|EY_CURRENT_USER|EY_LOCAL_MACHINE)\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run',
          '\\bschtasks(?:\\.exe)?\\s+\\/create\\b|Register-ScheduledTask\\b|\\\\Start Menu\\\\Programs\\\\Startup|\\.config\\/autostart\\/',
          '(?:>>|\\btee\\s+-a)\\s*["\']?[~\\w/.$-]{0,60}authorized_keys',
        ].join('|'),
      ),
    ],
    refine: (ctx) =>
      /\b(?:curl|wget|nc|ncat|netcat|base64|python[23]?\s+-c|bash\s+-c|sh\s+-c|iwr|Invoke-WebRequest|DownloadString)\b|\/dev\/tcp|https?:\/\/|alias\s+(?:sudo|ssh|git|su|ls)=|authorized_keys/i.test(ctx.line)
        ? 'block'
        : 'warn',
  },

  // Agent configuration
  {
    id: 'agent-permission-bypass',
    keywords: ['dangerously', 'bypasspermissions', 'yolo', 'trust', 'autoapprove', 'enableallprojectmcpservers'],
    category: 'agent-config',
    severity: 'warn',
    message: 'turns off the agent’s permission prompts',
    steps: [
      re(
        `--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|--permission-mode[\\s=]+bypassPermissions|["']?defaultMode["']?\\s*[:=]\\s*["']?bypassPermissions|--yolo\\b|--trust-all-tools|["']?chat\\.tools\\.autoApprove["']?\\s*:\\s*true|["']?enableAllProjectMcpServers["']?\\s*:\\s*true`,
      ),
    ],
    refine: (ctx) => (/\balias\s|>>|\btee\b|settings(?:\.local)?\.json|config\.toml|export\s/.test(ctx.line) ? 'block' : ctx.quoted ? 'info' : 'warn'),
  },
  {
    id: 'agent-config-tampering',
    keywords: ['claude', 'cursor', 'codex', 'gemini', 'windsurf', 'codeium', 'continue', 'kiro', 'roo', 'cline', 'vscode', 'claude_desktop_config', 'mcp'],
    category: 'agent-config',
    severity: 'warn',
    message: 'writes the agent’s own settings (permissions, hooks or MCP servers)',
    steps: [re('(?:>>?|\\btee\\b|\\bcp\\b|\\bmv\\b|\\bsed\\s+-i\\b|\\bjq\\b|writeFileSync\\s*\\(|writeFile\\s*\\(|write_text\\s*\\(|open\\s*\\(|\\bpath\\.join\\s*\\(|homedir\\s*\\(\\s*\\))'), re(AGENT_CONFIG_PATH)],
    window: 160,
    refine: (ctx) => (PERMISSION_BROADENING.test(ctx.around) || hasSuspiciousDestination(ctx.around) ? 'block' : 'warn'),
  },
  {
    id: 'agent-config-tampering',
    keywords: ['allow'],
    category: 'agent-config',
    severity: 'warn',
    message: 'grants the agent every shell command in its settings',
    steps: [re('["\']allow["\']\\s*:\\s*\\['), re('["\'](?:Bash|Shell|run_shell_command)(?:\\(\\s*\\*?\\s*(?::\\s*\\*)?\\s*\\))?["\']')],
    window: 300,
  },
  {
    id: 'mcp-server-injection',
    keywords: ['mcp', 'mcpservers'],
    category: 'agent-config',
    severity: 'warn',
    message: 'adds an MCP server to the agent',
    steps: [re('\\b(?:claude|codex|gemini)\\s+mcp\\s+add\\b|["\']?mcpServers["\']?\\s*[:=]')],
    refine: (ctx) => (hasSuspiciousDestination(ctx.around) || /\b(?:curl|wget)\b[^\n]{0,200}?\|\s*(?:ba|z)?sh\b|\/dev\/tcp|base64\s+-d/.test(ctx.around) ? 'block' : /mcpServers/.test(ctx.match) ? null : 'warn'),
  },

  // Instructions aimed at the agent
  {
    id: 'instruction-override',
    keywords: ['ignore', 'disregard', 'forget', 'override', 'bypass', 'abandon', 'mode', 'system', 'im_start'],
    category: 'agent-instructions',
    severity: 'block',
    message: 'tells the agent to ignore its instructions',
    steps: [
      re(
        `\\b(?:ignore|disregard|forget|override|bypass|abandon)\\s+(?:(?:all|any|of|the|your|every|these|those|my|its)\\s+){0,4}(?:previous|prior|above|earlier|preceding|existing|original|system|safety|security|developer|other)\\s+(?:instructions?|prompts?|rules|directions|guidelines|directives|guardrails|constraints|policies|context|messages?)|\\byou\\s+are\\s+now\\s+(?:in\\s+)?(?:developer|DAN|god|jailbreak|unrestricted|admin|root)\\s+mode|\\bnew\\s+system\\s+(?:prompt|instructions?)\\s*:|<\\|im_start\\|>\\s*system|\\[\\s*system\\s+(?:override|message)\\s*\\]`,
      ),
    ],
    refine: quotedWarns,
  },
  {
    // Text that closes the delimiters an agent or a reviewer wraps a document in, then speaks as
    // another role: the document pretends to end so that what follows reads as a real instruction.
    id: 'fake-prompt-delimiter',
    category: 'agent-instructions',
    severity: 'block',
    message: 'closes a prompt delimiter and then writes as the system or another role, to pass its text off as instructions',
    steps: [
      re(
        `(?:<\\/[a-z][\\w-]{0,40}>|<\\|(?:im_end|endoftext|eot_id|end)\\|>|\\[\\/INST\\]|\\[\\/?(?:END|EOF)[ \\w]{0,30}\\])[ \\t]*(?:\\r?\\n[ \\t]*){0,3}(?:#{1,3}[ \\t]*|\\*\\*)?(?:system|developer|assistant|human|user)(?:[ \\t]+(?:prompt|message|instructions?))?[ \\t]*(?:\\*\\*)?[ \\t]*(?::|\\|>)`,
      ),
    ],
    refine: (ctx) => {
      const asAuthority = /(?:system|developer)(?:[ \t]+(?:prompt|message|instructions?))?[ \t*]*(?::|\|>)\s*$/i.test(ctx.match);
      if (ctx.quoted) return 'warn';
      return asAuthority ? 'block' : 'warn';
    },
  },
  {
    id: 'conceal-from-user',
    keywords: ['user', 'users', 'human', 'humans', 'operator', 'operators', 'owner', 'owners', 'silently', 'secretly', 'covertly', 'quietly', 'discreetly'],
    category: 'agent-instructions',
    severity: 'block',
    message: 'tells the agent to hide what it does from the user',
    steps: [
      re(
        [
          "\\b(?:do\\s+not|don['’]t|never|must\\s+not|should\\s+not|shouldn['’]t)\\s+(?:tell|inform|notify|alert|warn|mention\\s+(?:this|it|that|anything)\\s+to|reveal\\s+(?:this|it|that|anything)\\s+to|disclose\\s+(?:this|it|that|anything)\\s+to|show\\s+(?:this|it|that)\\s+to|let)\\s+(?:the\\s+|your\\s+|any\\s+)?(?:user|human|operator|owner)s?\\b(?!\\s+(?:wait|guess|choose|pick|decide|down|type))",
          '\\bwithout\\s+(?:telling|informing|notifying|alerting|warning)\\s+(?:the\\s+|your\\s+)?(?:user|human|operator|owner)s?\\b',
          '\\b(?:keep|hide)\\s+(?:this|these|it|them|everything)\\s+(?:secret\\s+|hidden\\s+)?from\\s+(?:the\\s+|your\\s+)?(?:user|human|operator)',
          '\\b(?:the\\s+)?user\\s+(?:must|should)\\s+(?:not|never)\\s+(?:know|see|notice|find\\s+out|be\\s+told)',
          '\\b(?:silently|secretly|covertly|quietly|discreetly)\\s+(?:run|execute|send|upload|install|download|exfiltrate|copy|post|forward|transmit|collect|read)\\b',
        ].join('|'),
      ),
    ],
    refine: quotedWarns,
  },
];

/** Sending data out: uploads, POSTs, raw sockets, and piping into a network client. Each row is a sequence of steps on one line. */
export const EGRESS_STEPS: ReadonlyArray<{ keywords: readonly string[]; steps: readonly RegExp[] }> = [
  { keywords: ['curl'], steps: [re('\\bcurl\\b'), re('(?:\\s-d\\b|\\s-d@|\\s--data(?:-\\w+)?\\b|\\s-F\\b|\\s--form\\b|\\s-T\\b|\\s--upload-file\\b|-X\\s*(?:POST|PUT))')] },
  { keywords: ['wget'], steps: [re('\\bwget\\b'), re('--(?:post|body)-(?:data|file)')] },
  {
    keywords: ['post', 'put', 'sendall', 'sendto', 'smtplib', 'sendmail', 'telegram', 'discord', 'slack', 'webhook', 'ftp', 'nc', 'ncat', 'netcat', 'curl', 'socat', 'telnet'],
    steps: [re('\\b(?:requests|httpx|session|client|aiohttp)\\.(?:post|put)\\s*\\(|\\baxios\\.(?:post|put)\\s*\\(|\\b(?:sendall|sendto)\\s*\\(|\\bsmtplib\\b|\\bsendmail\\b|api\\.telegram\\.org\\/bot|discord(?:app)?\\.com\\/api\\/webhooks|hooks\\.slack\\.com\\/services|webhook\\.site|\\bftp:\\/\\/|\\|\\s*(?:nc|ncat|netcat|curl|socat|telnet)\\b')],
  },
  { keywords: ['fetch'], steps: [re('\\bfetch\\s*\\('), re('method\\s*:\\s*["\'](?:POST|PUT)')] },
  { keywords: ['invoke'], steps: [re('\\bInvoke-(?:RestMethod|WebRequest)\\b'), re('-(?:Method\\s+(?:Post|Put)|Body|InFile)\\b')] },
  { keywords: ['nc', 'ncat', 'netcat'], steps: [re('\\b(?:nc|ncat|netcat)\\s+(?:-\\w+\\s+){0,4}[\\w.-]{1,100}\\s+\\d{2,5}\\s*<')] },
  { keywords: ['scp', 'rsync'], steps: [re('\\b(?:scp|rsync)\\b'), re('\\s[\\w.-]{1,64}@[\\w.-]{1,253}:')] },
  { keywords: ['urlopen'], steps: [re('urlopen\\s*\\('), re('data\\s*=')] },
];

/** Whether one line (short) sends data out. */
export function lineHasEgress(line: string): boolean {
  return EGRESS_STEPS.some(({ steps }) => {
    let from = 0;
    for (const step of steps) {
      const pattern = new RegExp(step.source, 'gi');
      pattern.lastIndex = from;
      const m = pattern.exec(line);
      if (!m) return false;
      from = m.index + m[0].length;
    }
    return true;
  });
}

/** Reading credentials or private data: keys, cloud credentials, browser profiles, keychains, wallets, .env, the environment. */
export const CREDENTIAL_ACCESS = re(
  [
    '\\.ssh\\/(?:id_\\w+|\\*|identity)(?!\\.pub)\\b|\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b(?!\\.pub)',
    '\\.aws\\/credentials|\\.config\\/gcloud|application_default_credentials\\.json|\\.azure\\/(?:accessTokens|msal_token_cache)|\\.kube\\/config|\\.docker\\/config\\.json|\\.npmrc|\\.pypirc|\\.netrc|\\.git-credentials|\\.config\\/gh\\/hosts\\.yml|credentials\\.tfrc\\.json',
    '\\b(?:Login Data|logins\\.json|key4\\.db|cookies\\.sqlite)\\b|(?:Google\\/Chrome|BraveSoftware|Mozilla\\/Firefox|\\.mozilla\\/firefox)\\/[^\\s"\']{0,40}\\/(?:Cookies|Web Data|Local State)',
    '\\bsecurity\\s+(?:find-generic-password|find-internet-password|dump-keychain)|login\\.keychain|Library\\/Keychains|\\bsecret-tool\\s+lookup|\\bcmdkey\\s+\\/list|\\bvaultcmd\\b',
    '\\bwallet\\.dat\\b|\\.bitcoin\\/|\\.ethereum\\/keystore|\\bElectrum\\/wallets|\\bExodus\\/|\\bMetaMask\\b|nkbihfbeogaeaoehlefnkodbefgpgknn|\\bPhantom\\/|\\bsolana\\/id\\.json|\\b(?:seed|recovery)\\s+phrase',
    '(?:^|[\\s"\'(=\\/])\\.env(?:\\.local|\\.production)?\\b(?![\\w.-]*\\.(?:example|sample|template))',
    '\\bprintenv\\b|\\benv\\s*(?:\\||>)|\\bos\\.environ\\b(?!\\s*(?:\\.get|\\[|\\.setdefault))|JSON\\.stringify\\s*\\(\\s*process\\.env\\s*\\)|\\bGet-ChildItem\\s+env:|\\/proc\\/self\\/environ|\\.bash_history|\\.zsh_history',
  ].join('|'),
  'i',
);

/** A command that reads a file or dumps data, which together with CREDENTIAL_ACCESS on a line means a read. */
export const READ_VERB = /\b(?:cat|type|less|more|head|tail|cp|scp|rsync|tar|zip|7z|base64|xxd|readFile|readFileSync|read_text|read_bytes|Get-Content|sqlite3|security|printenv|dump|exfiltrate|steal|harvest|collect)\b|\$\(|<\s*[~/$]/i;

/** One of these words is in any text CREDENTIAL_ACCESS can match. */
export const CREDENTIAL_KEYWORDS = [
  'ssh', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'aws', 'gcloud', 'application_default_credentials', 'azure', 'kube', 'docker', 'npmrc', 'pypirc', 'netrc',
  'credentials', 'gh', 'tfrc', 'chrome', 'bravesoftware', 'firefox', 'login', 'logins', 'key4', 'cookies', 'generic', 'internet', 'keychain', 'keychains', 'secret', 'cmdkey', 'vaultcmd', 'wallet',
  'bitcoin', 'ethereum', 'electrum', 'exodus', 'metamask', 'nkbihfbeogaeaoehlefnkodbefgpgknn', 'phantom', 'solana', 'phrase', 'env', 'printenv', 'environ',
  'bash_history', 'zsh_history',
];
