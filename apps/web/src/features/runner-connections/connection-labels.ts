import type { ProviderRevocation, RunnerConnection } from '@runner-console/contracts';
import { scmProviders } from '@runner-console/scm-providers';

/** "Bitbucket" for bitbucket.org; the host itself for a host no provider claims. */
export function providerNameOf(host: string): string {
  return scmProviders.find((provider) => provider.defaultHost === host)?.name ?? host;
}

/** Who a connection belongs to, for headings and dialogs: name, else e-mail, else "a former member". */
export function ownerOf(connection: Pick<RunnerConnection, 'userName' | 'userEmail'>): string {
  return connection.userName ?? connection.userEmail ?? 'a former member';
}

/** What a revoke did at the provider, in a sentence for the toast. */
export function describeProviderRevocation(outcome: ProviderRevocation | null, provider: string): string {
  switch (outcome) {
    case 'revoked':
      return `${provider} revoked the grant too.`;
    case 'failed':
      return `${provider} could not be asked to revoke it; the token is erased from the runner all the same.`;
    case 'not_supported':
      return `${provider} has no way to revoke it from here: the app authorization stays in the user’s ${provider} account until they remove it.`;
    default:
      return 'It was already gone.';
  }
}
