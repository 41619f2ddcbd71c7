export interface RedirectOptions {
  /** Accept http:// targets too (development and tests over plain HTTP); https only otherwise. */
  allowHttp?: boolean;
  /** The one port targets may name ('' = the scheme's default), e.g. '3100' for http://localhost:3100. */
  port?: string;
}

// Control characters, whitespace and backslashes are read differently by browsers and parsers
// (`/\evil.com` is `//evil.com` to a browser); a target containing any of them is refused whole.
const AMBIGUOUS = /[\u0000-\u0020\u007f-\u009f\\]/;

/**
 * True when `url` may be used as a post-login redirect: a same-site path (`/skills`), or an
 * absolute URL whose host is `rootDomain` or a true subdomain of it, with no userinfo.
 */
export function isAllowedRedirect(url: string, rootDomain: string, options: RedirectOptions = {}): boolean {
  if (url.length === 0 || url.length > 2048 || AMBIGUOUS.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const protocols = options.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!protocols.includes(parsed.protocol)) return false;
  // Only the plain `scheme://host[:port]/…` spelling; `https:evil.com` and friends are refused.
  if (!url.toLowerCase().startsWith(`${parsed.protocol}//`)) return false;
  const authority = url.slice(parsed.protocol.length + 2).split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('@') || parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.port !== (options.port ?? '')) return false;
  // The URL parser has already lowercased the host and turned IDN labels into punycode.
  const host = parsed.hostname;
  const root = rootDomain.trim().toLowerCase();
  return root !== '' && (host === root || host.endsWith(`.${root}`));
}

/** The redirect target to use after sign-in: `url` when allowed (paths made absolute on `baseUrl`), else `baseUrl`. */
export function safeRedirectTarget(url: string, baseUrl: string, rootDomain: string, options: RedirectOptions = {}): string {
  if (!isAllowedRedirect(url, rootDomain, options)) return baseUrl;
  return url.startsWith('/') ? new URL(url, baseUrl).toString() : url;
}
