import type { ScmProviderModule } from '../../provider-module.ts';
import { bitbucketEntry } from './catalogue-entry.ts';
import { bitbucketExampleUrl, claimBitbucketDataCenterLink, parseBitbucketContextLink } from './context-url.ts';
import { bitbucketScopeRules } from './scope-rules.ts';
import { bitbucketTokenInput } from './token-input.ts';

/** Bitbucket Cloud (bitbucket.org). Bitbucket Data Center will be a provider of its own. */
export const bitbucketModule: ScmProviderModule = {
  id: 'bitbucket',
  entry: bitbucketEntry,
  scopes: bitbucketScopeRules,
  tokenInput: bitbucketTokenInput,
  parseContextLink: parseBitbucketContextLink,
  exampleUrl: bitbucketExampleUrl,
  claimForeignLink: claimBitbucketDataCenterLink,
};
