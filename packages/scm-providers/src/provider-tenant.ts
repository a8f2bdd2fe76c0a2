// The tenant of an integration whose OAuth server has tenants (catalogue `oauth.tenant`): the
// admin may paste its directory id, its domain or its issuer URL; the integration stores the issuer.
import type { ScmProvider } from './scm-provider.ts';

const TENANT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$/;

export type TenantInput = { ok: true; issuerUrl: string } | { ok: false; message: string };

/**
 * `8e6c…` or `contoso.onmicrosoft.com` → `{authority}/{tenant}/v2.0`; an issuer URL
 * (`https://…/{tenant}[/v2.0]`) is kept, with `/v2.0` added when it was left out.
 */
export function readTenantInput(provider: ScmProvider | undefined, input: string): TenantInput {
  const tenant = provider?.oauth?.tenant;
  const text = input.trim();
  if (!tenant) return { ok: false, message: 'This provider’s OAuth has no tenants.' };
  if (text === '') return { ok: false, message: `Enter the ${tenant.label}.` };
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, message: 'That issuer URL is not a URL.' };
    }
    const segments = url.pathname.split('/').filter(Boolean);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if ((url.protocol !== 'https:' && !loopback) || url.username || url.password || url.search || url.hash) {
      return { ok: false, message: 'The issuer URL must start with https:// and have no query or fragment.' };
    }
    if (segments.length < 1 || segments.length > 2 || !TENANT.test(segments[0]!) || (segments[1] !== undefined && segments[1] !== 'v2.0')) {
      return { ok: false, message: `That is not a tenant’s issuer URL: it looks like ${tenant.authority}/{tenant}/v2.0.` };
    }
    return { ok: true, issuerUrl: `${url.origin}/${segments[0]}/v2.0` };
  }
  if (!TENANT.test(text) || text.length > 253) return { ok: false, message: `Enter the ${tenant.label} (a GUID), the tenant’s domain, or its issuer URL.` };
  return { ok: true, issuerUrl: `${tenant.authority}/${text}/v2.0` };
}
