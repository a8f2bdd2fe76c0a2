import { GitCommandError, runGit } from './git-cli.ts';

export interface CommitInfo {
  hash: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** ISO 8601 with offset, as `git log --format=%aI` prints it ("2024-01-09T10:30:00+00:00"). */
  date: string;
  message: string;
}

export interface BranchHead {
  name: string;
  commit: CommitInfo;
}

/** A tag and the commit it points to (annotated tags are peeled). */
export interface TagRef {
  name: string;
  commitHash: string;
}

const FIELD = '%00';
const RECORD = '%1e';
const HEX_HASH = /^[0-9a-f]{4,40}$/i;

const BRANCH_FORMAT = [
  '%(refname:lstrip=2)',
  '%(objectname)',
  '%(parent)',
  '%(authorname)',
  '%(authoremail)',
  '%(authordate:iso-strict)',
  '%(contents)',
].join(FIELD);

const COMMIT_FORMAT = ['%H', '%P', '%an', '%ae', '%aI', '%B'].join('%x00');

/** Reads branches and commits of a bare repository with the git CLI. */
export class GitReader {
  async listBranches(gitDir: string): Promise<BranchHead[]> {
    const output = await runGit(
      ['for-each-ref', `--format=${BRANCH_FORMAT}${RECORD}`, 'refs/heads/'],
      { gitDir },
    );
    return output
      .split('\x1e')
      .map((record) => record.replace(/^\n/, ''))
      .filter((record) => record.length > 0)
      .map(parseBranchRecord);
  }

  async findBranch(gitDir: string, name: string): Promise<BranchHead | undefined> {
    const branches = await this.listBranches(gitDir);
    return branches.find((branch) => branch.name === name);
  }

  /** Tags by name, each with the commit it points to. */
  async listTags(gitDir: string): Promise<TagRef[]> {
    const output = await runGit(
      ['for-each-ref', '--format=%(refname:lstrip=2)%00%(objectname)%00%(*objectname)', 'refs/tags/'],
      { gitDir },
    );
    return output
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const [name = '', object = '', peeled = ''] = line.split('\0');
        return { name, commitHash: peeled || object };
      });
  }

  /**
   * A commit named by a hash, a branch or a tag (as GitHub's `commits/{ref}` accepts); undefined
   * when nothing matches. Names are looked up as refs only, never as revision expressions.
   */
  async resolveCommit(gitDir: string, ref: string): Promise<CommitInfo | undefined> {
    const byHash = await this.findCommit(gitDir, ref);
    if (byHash) return byHash;
    const branch = await this.findBranch(gitDir, ref);
    if (branch) return branch.commit;
    const tag = (await this.listTags(gitDir)).find((candidate) => candidate.name === ref);
    return tag ? this.findCommit(gitDir, tag.commitHash) : undefined;
  }

  /** A commit by full or abbreviated hash; undefined when unknown or ambiguous. */
  async findCommit(gitDir: string, hash: string): Promise<CommitInfo | undefined> {
    if (!HEX_HASH.test(hash)) return undefined;
    try {
      const output = await runGit(['show', '-s', `--format=${COMMIT_FORMAT}`, `${hash}^{commit}`], {
        gitDir,
      });
      return parseCommitFields(output.replace(/\n$/, '').split('\0'));
    } catch (error) {
      if (error instanceof GitCommandError) return undefined;
      throw error;
    }
  }
}

function parseBranchRecord(record: string): BranchHead {
  const [
    name = '',
    hash = '',
    parents = '',
    authorName = '',
    authorEmail = '',
    date = '',
    message = '',
  ] = record.split('\0');
  return {
    name,
    commit: {
      hash,
      parents: splitParents(parents),
      authorName,
      authorEmail: authorEmail.replace(/^<|>$/g, ''),
      date,
      message,
    },
  };
}

function parseCommitFields(fields: string[]): CommitInfo {
  const [hash = '', parents = '', authorName = '', authorEmail = '', date = '', message = ''] =
    fields;
  return { hash, parents: splitParents(parents), authorName, authorEmail, date, message };
}

function splitParents(value: string): string[] {
  return value.split(' ').filter((parent) => parent.length > 0);
}
