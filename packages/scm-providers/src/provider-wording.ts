// Sentences the apps show that name a provider or its own words for things: made here from the
// provider's catalogue entry, so that no code outside a provider's folders names a provider.
import type { ScmProvider } from './scm-provider.ts';

/** "Enter the Client ID (Bitbucket calls it Key).", or "Enter the Client ID." where the provider says Client ID too. */
export function clientIdMissingMessage(provider: ScmProvider | undefined): string {
  return missing('Client ID', provider, provider?.oauth?.clientIdLabel);
}

/** "Enter the Client Secret (Bitbucket calls it Secret).", or "Enter the Client Secret." */
export function clientSecretMissingMessage(provider: ScmProvider | undefined): string {
  return missing('Client Secret', provider, provider?.oauth?.clientSecretLabel);
}

function missing(ours: string, provider: ScmProvider | undefined, theirs: string | undefined): string {
  return provider && theirs && theirs.toLowerCase() !== ours.toLowerCase() ? `Enter the ${ours} (${provider.name} calls it ${theirs}).` : `Enter the ${ours}.`;
}

/** "an API token", "a personal access token": what the provider calls its tokens, with its article. */
export function apiTokenLabelWithArticle(provider: ScmProvider | undefined): string {
  return withIndefiniteArticle(provider?.apiTokens?.label ?? 'API token');
}

/** "an HTTP access token", "a personal access token": a noun phrase with the article it is read with. */
export function withIndefiniteArticle(label: string): string {
  // An initialism is read letter by letter: "an HTTP access token", "an API token".
  const initialism = /^[A-Z]{2,}\b/.test(label);
  const vowelSound = initialism ? /^[AEFHILMNORSX]/.test(label) : /^[aeiou]/i.test(label);
  return `${vowelSound ? 'an' : 'a'} ${label}`;
}

/** "Pull request #1", or the provider's own words ("Merge request !1"). */
export function pullRequestLabel(provider: ScmProvider | undefined, id: number): string {
  const wording = provider?.pullRequestWording ?? { name: 'Pull request', numberPrefix: '#' };
  return `${wording.name} ${wording.numberPrefix}${id}`;
}

/** "Pull request", or the provider's own name for one ("Merge request"). */
export function pullRequestName(provider: ScmProvider | undefined): string {
  return provider?.pullRequestWording?.name ?? 'Pull request';
}
