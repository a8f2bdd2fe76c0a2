import type { ScmProviderModule } from '../../provider-module.ts';
import { gitlabEntry } from './catalogue-entry.ts';
import { gitlabExampleUrl, parseGitlabContextLink } from './context-url.ts';
import { gitlabScopeRules } from './scope-rules.ts';
import { gitlabTokenInput } from './token-input.ts';

/** gitlab.com and self-managed GitLab. */
export const gitlabModule: ScmProviderModule = {
  id: 'gitlab',
  entry: gitlabEntry,
  scopes: gitlabScopeRules,
  tokenInput: gitlabTokenInput,
  parseContextLink: parseGitlabContextLink,
  exampleUrl: gitlabExampleUrl,
};
