import type { ScmProviderId } from '@runner-console/contracts';
import { getScmProvider } from '@runner-console/scm-providers';

/** The provider's mark, decorative: its name is always written next to it. */
export function ProviderIcon({ providerId }: { providerId: ScmProviderId }) {
  const { icon } = getScmProvider(providerId);
  return (
    <svg className="provider-icon" viewBox={icon.viewBox} aria-hidden="true" focusable="false">
      <path d={icon.path} fill="currentColor" />
    </svg>
  );
}

/** "Bitbucket (bitbucket.org)": how rows, buttons and the audit log name an integration. */
export function integrationName(integration: { provider: ScmProviderId; host: string }): string {
  return `${getScmProvider(integration.provider).name} (${integration.host})`;
}
