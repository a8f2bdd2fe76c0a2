import type { ScmProvider } from '../../scm-provider.ts';

// Azure DevOps' resource (application) id in Microsoft Entra ID, which its delegated scopes are
// written under: https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth
export const AZURE_DEVOPS_RESOURCE_ID = '499b84ac-1321-427f-aa17-267ca6975798';

// https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/oauth#scopes
const codeWrite = { scope: 'vso.code_write', checkbox: 'Azure DevOps › vso.code_write (Delegated)', reason: 'clone, push and start from pull requests' } as const;

export const azureDevopsEntry: ScmProvider = {
  id: 'azure-devops',
  name: 'Azure DevOps',
  // The runner's adapter: apps/runner/src/providers/azure-devops/.
  supported: true,
  defaultHost: 'dev.azure.com',
  // dev.azure.com, or Azure DevOps Server at any host and collection path (tokens only).
  hostEditable: true,
  icon: {
    viewBox: '0 0 24 24',
    // A hexagon with a square window.
    path: 'M12 2 21 7v10l-9 5-9-5V7ZM9 9v6h6V9Z',
  },
  docs: {
    oauthConsumerUrl: 'https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth',
    // Where a user removes the apps they consented to.
    appAuthorizationsUrl: 'https://myapps.microsoft.com',
    scopesUrl: 'https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/oauth#scopes',
  },
  // Microsoft stopped registering Azure DevOps OAuth apps in April 2025: Microsoft Entra ID is the
  // OAuth a new integration uses (https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/azure-devops-oauth).
  oauthClientKinds: [
    {
      id: 'entra_app',
      label: 'Microsoft Entra app registration',
      summary: 'Developers sign in with their Microsoft Entra work account; tokens last about an hour and renew themselves.',
      // Absolute: the app is registered in the Microsoft Entra admin center, not on the host.
      registerPath: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
      steps: [
        'In the Microsoft Entra admin center (or the Azure portal), open App registrations › New registration. Supported account types: accounts in this organizational directory only.',
        'Under Redirect URI choose the Web platform and paste the Callback URL from this form.',
        'Register, then copy the Application (client) ID and the Directory (tenant) ID from the Overview page into the fields here.',
        'Open Certificates & secrets › New client secret, and copy its Value (not the Secret ID) into Client secret. Note when it expires: Validate fails after that.',
        'Open API permissions › Add a permission › Azure DevOps › Delegated permissions, tick vso.code_write, and Grant admin consent (or let each developer consent when they connect).',
      ],
      installPath: null,
      permissions: [{ name: 'Azure DevOps › vso.code_write', access: 'Delegated', reason: 'clone, push and read pull requests as the developer' }],
    },
  ],
  oauth: {
    // On the tenant's authority (https://login.microsoftonline.com/{tenant}); the runner finds
    // the endpoints through OpenID discovery of the tenant's issuer.
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
    authorizePath: '/oauth2/v2.0/authorize',
    tokenPath: '/oauth2/v2.0/token',
    apiBasePath: '',
    // Entra has no revocation endpoint for an app's delegated grant: users remove the app on their apps page.
    revokeEndpoint: null,
    requiredScopes: [codeWrite],
    clientIdLabel: 'Application (client) ID',
    clientSecretLabel: 'Client secret value',
    tenant: {
      label: 'Directory (tenant) ID',
      help: 'The app registration’s Directory (tenant) ID, its domain (contoso.onmicrosoft.com) or its issuer URL (https://login.microsoftonline.com/{tenant}/v2.0).',
      authority: 'https://login.microsoftonline.com',
    },
  },
  selfManaged: {
    name: 'Azure DevOps Server',
    oauth: false,
    virtualDirectory: {
      label: 'Collection path',
      example: 'DefaultCollection',
      help: 'The collection’s path on the server, as in https://tfs.acme.internal/DefaultCollection. Azure DevOps Server takes personal access tokens only.',
    },
  },
  // https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate
  apiTokens: {
    label: 'personal access token',
    createPageLabel: 'Azure DevOps’ personal access token page',
    createUrl: 'https://dev.azure.com/_usersSettings/tokens',
    docsUrl: 'https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate',
    requiredScopes: [{ scope: 'vso.code_write', checkbox: 'Code › Read & write', reason: 'clone, push and start from pull requests' }],
    // PATs last at most a year.
    maxLifetimeDays: 365,
    // Any user name works with a PAT as the password; REST takes Basic with an empty one.
    gitUsername: 'pat',
    restUsername: 'basic',
  },
};
