/** A ref a provider found: its name and type, the commit it points at, and the path after it. */
export interface FoundRef {
  ref: string;
  refType: 'branch' | 'tag' | 'commit';
  commit: string;
  path: string | null;
}

export interface RefLookups {
  findBranch(name: string): Promise<{ name: string; hash: string } | undefined>;
  findTag(name: string): Promise<{ name: string; hash: string } | undefined>;
  /** A commit by full or abbreviated hash: its full hash. */
  findCommit(hash: string): Promise<string | undefined>;
}

const SHORT_HASH = /^[0-9a-fA-F]{7,40}$/;

/**
 * Resolves an unresolved ref from a context URL (`/tree/feature/login/src`, `/src/v1.0/`): the
 * longest leading part of the segments that names a branch, else a tag, else a commit (the first
 * segment, if it is hex); the rest is a path. Longest first, as GitHub and Bitbucket do, so
 * `feature/login` wins over `feature`. Each try is one lookup; a URL has few segments.
 */
export async function resolveRefSegments(segments: readonly string[], lookups: RefLookups): Promise<FoundRef | null> {
  const candidates = segments.map((_, i) => segments.length - i).map((n) => ({ name: segments.slice(0, n).join('/'), rest: segments.slice(n).join('/') }));
  for (const { name, rest } of candidates) {
    const branch = await lookups.findBranch(name);
    if (branch) return { ref: branch.name, refType: 'branch', commit: branch.hash, path: rest || null };
    const tag = await lookups.findTag(name);
    if (tag) return { ref: tag.name, refType: 'tag', commit: tag.hash, path: rest || null };
  }
  const [first = '', ...rest] = segments;
  if (SHORT_HASH.test(first)) {
    const hash = await lookups.findCommit(first);
    if (hash) return { ref: first, refType: 'commit', commit: hash, path: rest.join('/') || null };
  }
  return null;
}
