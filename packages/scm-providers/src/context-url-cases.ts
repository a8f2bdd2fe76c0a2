// The shape of each provider's corpus of context-URL cases (providers/<id>/context-url-cases.json).
// The package's corpus test checks every parser against it; the runner's resolve-ref test checks
// the `resolve` part against its ref resolution.
import type { ContextUrlRefusalReason, ContextUrlTarget } from './provider-module.ts';
import type { ScmProviderId } from './provider-ids.ts';

export type ContextUrlCase = {
  url: string;
  /** Where the case comes from: the provider's own pages, or a peer's suite (file and test name). */
  source: string;
  /** What the parser must answer: the repository path and target (provider, host, owner, repo are derived). */
  expect?: { repositoryPath: string[]; path?: string } & ContextUrlTarget;
  refusal?: ContextUrlRefusalReason;
  /** For an unresolved ref: the repository's branches and tags, and what the runner must pick (null: nothing). */
  resolve?: { branches: string[]; tags: string[]; to: { refType: 'branch' | 'tag' | 'commit'; ref: string; path?: string } | null };
};

export type ContextUrlCorpus = { provider: ScmProviderId; sources: string[]; cases: ContextUrlCase[] };

/** The host a provider's corpus is on: its cloud host, or its example host when it has none (self-hosted only). */
export function corpusHostOf(entry: { defaultHost: string; hostExample?: string }): string {
  return entry.defaultHost || entry.hostExample || '';
}
