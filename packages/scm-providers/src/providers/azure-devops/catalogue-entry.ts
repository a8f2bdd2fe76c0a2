import type { ScmProvider } from '../../scm-provider.ts';

// Icons are our own simple geometric marks on a 24×24 grid (no trademark artwork).

export const azureDevopsEntry: ScmProvider = {
  id: 'azure-devops',
  name: 'Azure DevOps',
  supported: false,
  unsupportedReason: 'Azure DevOps is not available yet.',
  defaultHost: 'dev.azure.com',
  hostEditable: true,
  icon: {
    viewBox: '0 0 24 24',
    // A hexagon with a square window.
    path: 'M12 2 21 7v10l-9 5-9-5V7ZM9 9v6h6V9Z',
  },
  docs: {
    oauthConsumerUrl:
      'https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/authentication-guidance',
  },
};
