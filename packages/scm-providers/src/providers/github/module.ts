import type { ScmProviderModule } from '../../provider-module.ts';
import { githubEntry } from './catalogue-entry.ts';
import { githubExampleUrl, parseGithubContextLink } from './context-url.ts';
import { githubScopeRules } from './scope-rules.ts';
import { githubTokenInput } from './token-input.ts';

/** github.com and GitHub Enterprise Server. */
export const githubModule: ScmProviderModule = {
  id: 'github',
  entry: githubEntry,
  scopes: githubScopeRules,
  tokenInput: githubTokenInput,
  parseContextLink: parseGithubContextLink,
  exampleUrl: githubExampleUrl,
};
