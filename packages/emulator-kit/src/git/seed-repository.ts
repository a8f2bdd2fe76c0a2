import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runGitSync } from './git-cli.ts';

export interface SeedCommit {
  message: string;
  /** Fixed so that the seeded hashes are the same on every machine. */
  date: string;
  /** The full tree of the commit: path → content. */
  files: Readonly<Record<string, string>>;
}

export interface SeedBranch {
  name: string;
  /** Commits in order; the first one's parent is `from`'s head, or none. */
  commits: readonly SeedCommit[];
  from?: string;
}

/** A lightweight tag on a seeded branch's head. */
export interface SeedTag {
  name: string;
  branch: string;
}

export interface SeedAuthor {
  name: string;
  email: string;
}

/**
 * Creates a bare repository with the given branches, built with git plumbing (no working tree).
 * It is written to a temporary folder first and renamed into place, so a crash never leaves a
 * half-seeded repository behind. Does nothing if the repository already exists.
 */
export function seedBareRepository(
  gitDir: string,
  author: SeedAuthor,
  branches: readonly SeedBranch[],
  head: string,
  tags: readonly SeedTag[] = [],
): void {
  if (existsSync(gitDir)) return;
  mkdirSync(path.dirname(gitDir), { recursive: true });
  const staging = mkdtempSync(`${gitDir}.seeding-`);
  try {
    runGitSync(['init', '--quiet', '--bare', `--initial-branch=${head}`], { gitDir: staging });
    const heads = new Map<string, string>();
    for (const branch of branches) {
      let parent = branch.from === undefined ? undefined : heads.get(branch.from);
      for (const commit of branch.commits) parent = writeCommit(staging, author, commit, parent);
      if (parent === undefined) throw new Error(`Seed branch ${branch.name} has no commits`);
      runGitSync(['update-ref', `refs/heads/${branch.name}`, parent], { gitDir: staging });
      heads.set(branch.name, parent);
    }
    for (const tag of tags) {
      const target = heads.get(tag.branch);
      if (target === undefined) throw new Error(`Seed tag ${tag.name} names no seeded branch`);
      runGitSync(['update-ref', `refs/tags/${tag.name}`, target], { gitDir: staging });
    }
    renameSync(staging, gitDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function writeCommit(
  gitDir: string,
  author: SeedAuthor,
  commit: SeedCommit,
  parent: string | undefined,
): string {
  const tree = writeTree(gitDir, commit.files);
  const parentArgs = parent === undefined ? [] : ['-p', parent];
  const env = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: commit.date,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_COMMITTER_DATE: commit.date,
  };
  return runGitSync(['commit-tree', tree, ...parentArgs], {
    gitDir,
    input: commit.message,
    env,
  }).trim();
}

/** Writes a (nested) tree object for a flat path → content map and returns its hash. */
function writeTree(gitDir: string, files: Readonly<Record<string, string>>): string {
  const blobs = new Map<string, string>();
  const directories = new Map<string, Record<string, string>>();
  for (const [filePath, content] of Object.entries(files)) {
    const [first = '', ...rest] = filePath.split('/');
    if (rest.length === 0) {
      blobs.set(
        first,
        runGitSync(['hash-object', '-w', '--stdin'], { gitDir, input: content }).trim(),
      );
    } else {
      const directory = directories.get(first) ?? {};
      directory[rest.join('/')] = content;
      directories.set(first, directory);
    }
  }
  const entries = [
    ...[...blobs].map(([name, hash]) => `100644 blob ${hash}\t${name}`),
    ...[...directories].map(
      ([name, contents]) => `040000 tree ${writeTree(gitDir, contents)}\t${name}`,
    ),
  ];
  return runGitSync(['mktree'], { gitDir, input: `${entries.join('\n')}\n` }).trim();
}
