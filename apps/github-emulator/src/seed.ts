import path from 'node:path';
import { seedBareRepository, type SeedBranch } from '@runner-console/emulator-kit';
import type { Account, GitHubState, Repository } from './state.ts';

const README_V1 = "# Widgets\n\nAcme's widget library.\n";
const README_V2 = `${README_V1}\n## Development\n\n    npm install\n    npm test\n`;
const GITIGNORE = 'node_modules/\ndist/\n';
const PACKAGE_JSON = `${JSON.stringify({ name: '@acme/widgets', version: '0.1.0', type: 'module' }, null, 2)}\n`;
const WIDGETS_TS =
  'export interface Widget {\n  id: string;\n  name: string;\n}\n\nexport const widgets: Widget[] = [];\n';
const LOGIN_TS =
  'export function renderLoginForm(): string {\n  return \'<form method="post"><input name="username"><button>Log in</button></form>\';\n}\n';
const MAIN_FILES = {
  'README.md': README_V2,
  '.gitignore': GITIGNORE,
  'package.json': PACKAGE_JSON,
  'src/widgets.ts': WIDGETS_TS,
};

/** acme/widgets: the same history as the Bitbucket emulator's, so the hashes are the same too. */
const WIDGETS_BRANCHES: readonly SeedBranch[] = [
  {
    name: 'main',
    commits: [
      {
        message: 'Initial commit\n',
        date: '2024-01-08T09:00:00+00:00',
        files: { 'README.md': README_V1, '.gitignore': GITIGNORE },
      },
      { message: 'Add widget registry\n', date: '2024-01-09T10:30:00+00:00', files: MAIN_FILES },
    ],
  },
  {
    name: 'feature/login',
    from: 'main',
    commits: [
      {
        message: 'Add login form\n',
        date: '2024-01-10T14:00:00+00:00',
        files: { ...MAIN_FILES, 'src/login.ts': LOGIN_TS },
      },
    ],
  },
];

/** bob/widgets, a fork: acme's branches plus fix/typo. */
const FORK_BRANCHES: readonly SeedBranch[] = [
  ...WIDGETS_BRANCHES,
  {
    name: 'fix/typo',
    from: 'main',
    commits: [
      {
        message: 'Fix a typo in the README\n',
        date: '2024-01-11T09:15:00+00:00',
        files: { ...MAIN_FILES, 'README.md': README_V2.replace("Acme's widget library.", "Acme's widget library, for everyone.") },
      },
    ],
  },
];

/** Where a repository's bare git folder lives: `{owner}/{name}.git` under the repositories root. */
export function repositoryGitDir(reposRoot: string, repository: Repository): string {
  return path.join(reposRoot, repository.owner.login, `${repository.name}.git`);
}

/**
 * The development data: users alice and bob, organization acme (alice admin, bob reader),
 * private acme/widgets (main, feature/login, tag v1.0.0, pull request 1 from feature/login),
 * and bob's private fork bob/widgets (fix/typo, pull request 2 into acme/widgets). The git
 * folders are created once; the rest is made again at every start.
 */
export function seedGitHubData(state: GitHubState, reposRoot: string): void {
  const alice = { id: 1, login: 'alice', name: 'Alice', email: 'alice@acme.test', password: 'alice', createdAt: '2024-01-02T08:00:00Z' };
  const bob = { id: 2, login: 'bob', name: 'Bob', email: 'bob@acme.test', password: 'bob', createdAt: '2024-01-03T08:00:00Z' };
  state.users.set(alice.id, alice);
  state.users.set(bob.id, bob);
  const acme: Account = { id: 3, login: 'acme', type: 'Organization' };
  state.accounts.set('alice', { id: alice.id, login: 'alice', type: 'User' });
  state.accounts.set('bob', { id: bob.id, login: 'bob', type: 'User' });
  state.accounts.set('acme', acme);

  const widgets: Repository = {
    id: 101,
    owner: acme,
    name: 'widgets',
    description: "Acme's widget library.",
    private: true,
    defaultBranch: 'main',
    parentId: null,
    collaborators: new Map([
      [alice.id, 'admin'],
      [bob.id, 'read'],
    ]),
    createdAt: '2024-01-08T08:55:00Z',
  };
  const fork: Repository = {
    id: 102,
    owner: state.accounts.get('bob') as Account,
    name: 'widgets',
    description: "Acme's widget library.",
    private: true,
    defaultBranch: 'main',
    parentId: widgets.id,
    collaborators: new Map([[bob.id, 'admin']]),
    createdAt: '2024-01-11T09:00:00Z',
  };
  state.repositories.set(widgets.id, widgets);
  state.repositories.set(fork.id, fork);

  const author = { name: 'Alice', email: 'alice@acme.test' };
  seedBareRepository(repositoryGitDir(reposRoot, widgets), author, WIDGETS_BRANCHES, 'main', [
    { name: 'v1.0.0', branch: 'main' },
  ]);
  seedBareRepository(repositoryGitDir(reposRoot, fork), author, FORK_BRANCHES, 'main', [
    { name: 'v1.0.0', branch: 'main' },
  ]);

  state.pulls.push(
    {
      id: 5001,
      repositoryId: widgets.id,
      number: 1,
      title: 'Add login form',
      body: 'Adds a login form so that people can sign in to the widget catalogue.',
      userId: alice.id,
      headRepositoryId: widgets.id,
      headRef: 'feature/login',
      baseRef: 'main',
      createdAt: '2024-01-10T14:05:00Z',
    },
    {
      id: 5002,
      repositoryId: widgets.id,
      number: 2,
      title: 'Fix a typo in the README',
      body: 'From my fork.',
      userId: bob.id,
      headRepositoryId: fork.id,
      headRef: 'fix/typo',
      baseRef: 'main',
      createdAt: '2024-01-11T09:20:00Z',
    },
  );
}
