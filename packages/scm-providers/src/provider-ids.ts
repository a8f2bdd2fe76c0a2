// The one declaration of which providers exist. contracts builds its zod enum from this list, the
// catalogue and the runner's adapter registry are keyed by it. Adding a provider starts here
// (docs/ARCHITECTURE.md › How to add a provider).

export const scmProviderIds = ['github', 'gitlab', 'bitbucket', 'bitbucket-data-center', 'azure-devops'] as const;

/** `bitbucket` is Bitbucket Cloud; `bitbucket-data-center` is Bitbucket Data Center (self-hosted). */
export type ScmProviderId = (typeof scmProviderIds)[number];
