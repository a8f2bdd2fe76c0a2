import type { ScmProvider } from '../../scm-provider.ts';

// Icons are our own simple geometric marks on a 24×24 grid (no trademark artwork).

export const gitlabEntry: ScmProvider = {
  id: 'gitlab',
  name: 'GitLab',
  supported: false,
  unsupportedReason: 'GitLab is not available yet.',
  defaultHost: 'gitlab.com',
  hostEditable: true,
  icon: {
    viewBox: '0 0 24 24',
    // A head with two ears, pointing down.
    path: 'M12 21.5 2 13.5 4.5 3l3 7.5h9l3-7.5 2.5 10.5Z',
  },
  docs: {
    oauthConsumerUrl: 'https://docs.gitlab.com/integration/oauth_provider/',
  },
};
