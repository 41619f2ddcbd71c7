import { describe, expect, it } from 'vitest';
import { resolveTenantFromHost } from './resolve-tenant-host';

const prod = { rootDomain: 'skills.example.com', production: true };
const dev = { rootDomain: 'localhost', production: false };

describe('resolveTenantFromHost', () => {
  it('reads the tenant slug from a subdomain of the root domain, ignoring case and port', () => {
    expect(resolveTenantFromHost('Acme.Skills.Example.com:443', prod)).toEqual({ kind: 'subdomain', slug: 'acme' });
    expect(resolveTenantFromHost('demo.localhost:3000', dev)).toEqual({ kind: 'subdomain', slug: 'demo' });
  });

  it('sees the bare root domain as the root', () => {
    expect(resolveTenantFromHost('skills.example.com', prod)).toEqual({ kind: 'root' });
    expect(resolveTenantFromHost('localhost:3000', dev)).toEqual({ kind: 'root' });
  });

  it('treats loopback addresses as the root outside production only', () => {
    expect(resolveTenantFromHost('127.0.0.1:3100', dev)).toEqual({ kind: 'root' });
    expect(resolveTenantFromHost('[::1]:3100', dev)).toEqual({ kind: 'root' });
    expect(resolveTenantFromHost('127.0.0.1:3100', prod)).toEqual({ kind: 'unknown', host: '127.0.0.1' });
  });

  it('does not serve nested subdomains, look-alike domains or a missing host', () => {
    expect(resolveTenantFromHost('a.b.skills.example.com', prod).kind).toBe('unknown');
    expect(resolveTenantFromHost('evilskills.example.com', prod).kind).toBe('unknown');
    expect(resolveTenantFromHost('acme.skills.example.com.evil.test', prod).kind).toBe('unknown');
    expect(resolveTenantFromHost(null, prod).kind).toBe('unknown');
  });
});
