import { describe, expect, it } from 'vitest';
import { isAllowedRedirect, safeRedirectTarget } from './is-allowed-redirect';

const ROOT = 'example.com';

describe('isAllowedRedirect', () => {
  const cases: [url: string, allowed: boolean, why: string][] = [
    ['/', true, 'the home path'],
    ['/skills?q=pdf#top', true, 'a same-site path with query and fragment'],
    ['https://example.com/', true, 'the root domain'],
    ['https://acme.example.com/skills', true, 'a tenant subdomain'],
    ['https://a.b.example.com/', true, 'a deeper true subdomain'],
    ['https://EXAMPLE.COM/Skills', true, 'uppercase host (hosts are case-insensitive)'],
    ['HTTPS://Acme.Example.com/', true, 'uppercase scheme and host'],
    ['https://evil-example.com/', false, 'a look-alike that merely ends with the root'],
    ['https://evilexample.com/', false, 'a look-alike without the dot'],
    ['https://example.com.evil.com/', false, 'the root as a subdomain of an attacker'],
    ['https://acme.example.com.evil.com/', false, 'a tenant host as a subdomain of an attacker'],
    ['https://example.com@evil.com/', false, 'the root as userinfo'],
    ['https://user:pw@acme.example.com/', false, 'userinfo, even on an allowed host'],
    ['https://acme.example.com@evil.com', false, 'userinfo without a path'],
    ['//evil.com', false, 'protocol-relative'],
    ['//example.com', false, 'protocol-relative, even to the root'],
    ['/\\evil.com', false, 'slash-backslash (browsers read it as //evil.com)'],
    ['\\\\evil.com', false, 'leading backslashes'],
    ['https://example.com\\@evil.com', false, 'a backslash before userinfo'],
    ['https:\\\\evil.com', false, 'backslashes in place of slashes'],
    ['https:evil.com', false, 'scheme without slashes'],
    ['https:/example.com', false, 'scheme with one slash'],
    ['http://example.com/', false, 'plain http when only https is allowed'],
    ['javascript:alert(1)', false, 'a script URL'],
    ['data:text/html,hi', false, 'a data URL'],
    ['ftp://example.com/', false, 'another scheme'],
    ['https://exämple.com/', false, 'an IDN look-alike (punycode differs)'],
    ['https://xn--exmple-cua.com/', false, 'the same IDN in punycode'],
    ['https://example.com。evil.com/', false, 'an ideographic full stop (the parser makes it a dot)'],
    ['https://example.com%2eevil.com/', false, 'a percent-encoded dot'],
    ['https://example.com./', false, 'a trailing dot'],
    ['https://example.com:8443/', false, 'a port other than the allowed one'],
    ['https://example.com:443/', true, 'the default port spelled out'],
    ['https://example.com/\n//evil.com', false, 'a newline'],
    [' https://example.com/', false, 'leading whitespace'],
    ['https://example.com/%0d%0aSet-Cookie:x', true, 'encoded CR/LF stay inside the path'],
    ['', false, 'empty'],
    ['example.com', false, 'a host without scheme'],
  ];

  it.each(cases)('%s → %s (%s)', (url, allowed) => {
    expect(isAllowedRedirect(url, ROOT)).toBe(allowed);
  });

  it('accepts http and a named port only when told to (development over plain HTTP)', () => {
    const dev = { allowHttp: true, port: '3100' };
    expect(isAllowedRedirect('http://localhost:3100/skills', 'localhost', dev)).toBe(true);
    expect(isAllowedRedirect('http://acme.localhost:3100/', 'localhost', dev)).toBe(true);
    expect(isAllowedRedirect('http://localhost:3101/', 'localhost', dev)).toBe(false);
    expect(isAllowedRedirect('http://localhost/', 'localhost', dev)).toBe(false);
    expect(isAllowedRedirect('http://127.0.0.1:3100/', 'localhost', dev)).toBe(false);
    expect(isAllowedRedirect('http://evil-localhost:3100/', 'localhost', dev)).toBe(false);
  });

  it('normalises the root domain it is given', () => {
    expect(isAllowedRedirect('https://acme.example.com/', ' Example.COM ')).toBe(true);
    expect(isAllowedRedirect('https://acme.example.com/', '')).toBe(false);
  });
});

describe('safeRedirectTarget', () => {
  it('keeps allowed targets, makes paths absolute and falls back to the base URL otherwise', () => {
    const base = 'https://example.com';
    expect(safeRedirectTarget('/skills', base, ROOT)).toBe('https://example.com/skills');
    expect(safeRedirectTarget('https://acme.example.com/x', base, ROOT)).toBe('https://acme.example.com/x');
    expect(safeRedirectTarget('https://evil-example.com/x', base, ROOT)).toBe(base);
    expect(safeRedirectTarget('//evil.com', base, ROOT)).toBe(base);
  });
});
