import { describe, expect, it } from 'vitest';
import { readTenantInput } from './provider-tenant.ts';
import { getScmProvider } from './scm-provider-catalogue.ts';

describe('the tenant an admin enters', () => {
  const provider = getScmProvider('azure-devops');

  it('turns a directory id or a domain into the tenant’s v2.0 issuer on the provider’s authority', () => {
    expect(readTenantInput(provider, ' 8e6c3e2a-5b4d-4c1f-9a7e-3d2b1c0f9e8d ')).toEqual({ ok: true, issuerUrl: 'https://login.microsoftonline.com/8e6c3e2a-5b4d-4c1f-9a7e-3d2b1c0f9e8d/v2.0' });
    expect(readTenantInput(provider, 'contoso.onmicrosoft.com')).toEqual({ ok: true, issuerUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0' });
  });

  it('keeps an issuer URL, adding /v2.0 when it was left out', () => {
    expect(readTenantInput(provider, 'https://login.microsoftonline.com/acme/v2.0/')).toEqual({ ok: true, issuerUrl: 'https://login.microsoftonline.com/acme/v2.0' });
    expect(readTenantInput(provider, 'http://localhost:8086/acme')).toEqual({ ok: true, issuerUrl: 'http://localhost:8086/acme/v2.0' });
  });

  it('refuses what cannot be a tenant: plain http off loopback, paths, queries, spaces', () => {
    for (const input of ['', 'http://login.example.com/acme/v2.0', 'https://login.microsoftonline.com/acme/oauth2/v2.0/token', 'https://login.microsoftonline.com/acme/v2.0?x=1', 'acme tenant']) {
      expect(readTenantInput(provider, input).ok, input).toBe(false);
    }
    expect(readTenantInput(getScmProvider('github'), 'acme').ok).toBe(false);
  });
});
