import type { ScmProviderModule } from '../../provider-module.ts';
import { bitbucketDataCenterEntry } from './catalogue-entry.ts';
import { bitbucketDataCenterExampleUrl, claimOtherDataCenterLink, parseBitbucketDataCenterContextLink } from './context-url.ts';
import { bitbucketDataCenterScopeRules } from './scope-rules.ts';
import { bitbucketDataCenterTokenInput } from './token-input.ts';

/** Bitbucket Data Center, at any host a company runs it on. */
export const bitbucketDataCenterModule: ScmProviderModule = {
  id: 'bitbucket-data-center',
  entry: bitbucketDataCenterEntry,
  scopes: bitbucketDataCenterScopeRules,
  tokenInput: bitbucketDataCenterTokenInput,
  parseContextLink: parseBitbucketDataCenterContextLink,
  exampleUrl: bitbucketDataCenterExampleUrl,
  claimForeignLink: claimOtherDataCenterLink,
};
