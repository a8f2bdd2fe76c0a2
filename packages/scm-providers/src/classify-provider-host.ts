import { getScmProvider } from './scm-provider-catalogue.ts';
import type { ScmProviderId } from './scm-provider.ts';
import { readUrlLike } from './read-url-like.ts';

export type ProviderHostClassification =
  | { ok: true; host: string }
  | { ok: false; reason: 'self_hosted_unsupported' | 'other_provider' | 'invalid'; message: string };

/**
 * Normalises what a user typed as a provider host (a host, `host:port`, or any URL on it) to the
 * host an integration is stored and compared under: lower case, no scheme, path or trailing dot.
 */
export function classifyProviderHost(
  providerId: ScmProviderId,
  input: string,
): ProviderHostClassification {
  const provider = getScmProvider(providerId);
  const url = typeof input === 'string' ? readUrlLike(input) : null;
  if (url === null) {
    return {
      ok: false,
      reason: 'invalid',
      message: `Enter a host name, such as ${provider.defaultHost || provider.hostExample || 'git.example.com'}.`,
    };
  }
  const refused = provider.refusedHosts?.find((entry) => entry.hosts.includes(url.hostname));
  if (refused) return { ok: false, reason: 'other_provider', message: refused.message };
  if (!provider.hostEditable && url.host !== provider.defaultHost) {
    const message = provider.selfHostedUnsupportedMessage ?? `Use ${provider.defaultHost}.`;
    return { ok: false, reason: 'self_hosted_unsupported', message };
  }
  return { ok: true, host: url.host };
}
