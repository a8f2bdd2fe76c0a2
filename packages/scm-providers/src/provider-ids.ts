// The one declaration of which providers exist. contracts builds its zod enum from this list, the
// catalogue and the runner's adapter registry are keyed by it. Adding a provider starts here
// (docs/ARCHITECTURE.md › How to add a provider).

export const scmProviderIds = ['github', 'gitlab', 'bitbucket', 'azure-devops'] as const;

/** `bitbucket` is Bitbucket Cloud; Bitbucket Data Center will get its own id. */
export type ScmProviderId = (typeof scmProviderIds)[number];
