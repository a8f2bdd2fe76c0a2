import path from 'node:path';
import { seedBareRepository, type SeedBranch } from '@runner-console/emulator-kit';
import type { DataCenterState, Repository } from './state.ts';

const README_V1 = "# Widgets\n\nAcme's widget library.\n";
const README_V2 = `${README_V1}\n## Development\n\n    npm install\n    npm test\n`;
const GITIGNORE = 'node_modules/\ndist/\n';
const PACKAGE_JSON = `${JSON.stringify({ name: '@acme/widgets', version: '0.1.0', type: 'module' }, null, 2)}\n`;
const WIDGETS_TS = 'export interface Widget {\n  id: string;\n  name: string;\n}\n\nexport const widgets: Widget[] = [];\n';
const LOGIN_TS =
  'export function renderLoginForm(): string {\n  return \'<form method="post"><input name="username"><button>Log in</button></form>\';\n}\n';
const MAIN_FILES = { 'README.md': README_V2, '.gitignore': GITIGNORE, 'package.json': PACKAGE_JSON, 'src/widgets.ts': WIDGETS_TS };

/** ACME/widgets: the same history as the other emulators' acme/widgets, so the hashes are the same too. */
const WIDGETS_BRANCHES: readonly SeedBranch[] = [
  {
    name: 'main',
    commits: [
      { message: 'Initial commit\n', date: '2024-01-08T09:00:00+00:00', files: { 'README.md': README_V1, '.gitignore': GITIGNORE } },
      { message: 'Add widget registry\n', date: '2024-01-09T10:30:00+00:00', files: MAIN_FILES },
    ],
  },
  {
    name: 'feature/login',
    from: 'main',
    commits: [{ message: 'Add login form\n', date: '2024-01-10T14:00:00+00:00', files: { ...MAIN_FILES, 'src/login.ts': LOGIN_TS } }],
  },
];

/** ~BOB/widgets, bob's fork: ACME's branches plus fix/typo. */
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

/** A repository's bare git folder: `{project key, lower case}/{slug}.git`, as /scm/{key}/{slug}.git names it. */
export function repositoryGitDir(reposRoot: string, repository: Pick<Repository, 'projectKey' | 'slug'>): string {
  return path.join(reposRoot, repository.projectKey.toLowerCase(), `${repository.slug}.git`);
}

/**
 * The development data (DESIGN.md › Providers): users alice and bob (each password is the user
 * name), project ACME with repository widgets (main, feature/login, tag v1.0.0, pull request 1 from
 * feature/login into main), and bob's personal fork ~BOB/widgets with pull request 2 from fix/typo.
 */
export function seedDataCenter(state: DataCenterState, reposRoot: string): void {
  state.users.set(1, { id: 1, name: 'alice', slug: 'alice', displayName: 'Alice', emailAddress: 'alice@acme.test', password: 'alice' });
  state.users.set(2, { id: 2, name: 'bob', slug: 'bob', displayName: 'Bob', emailAddress: 'bob@acme.test', password: 'bob' });
  state.projects.set('ACME', { id: 1, key: 'ACME', name: 'Acme', type: 'NORMAL', ownerId: null });
  state.projects.set('~BOB', { id: 2, key: '~BOB', name: 'Bob', type: 'PERSONAL', ownerId: 2 });
  const widgets: Repository = {
    id: 1,
    projectKey: 'ACME',
    slug: 'widgets',
    name: 'widgets',
    description: "Acme's widget library.",
    defaultBranch: 'main',
    originId: null,
    access: new Map([
      [1, 'REPO_ADMIN'],
      [2, 'REPO_READ'],
    ]),
  };
  const fork: Repository = {
    id: 2,
    projectKey: '~BOB',
    slug: 'widgets',
    name: 'widgets',
    description: "Acme's widget library.",
    defaultBranch: 'main',
    originId: 1,
    access: new Map([
      [2, 'REPO_ADMIN'],
      [1, 'REPO_READ'],
    ]),
  };
  state.repositories.set(widgets.id, widgets);
  state.repositories.set(fork.id, fork);
  const author = { name: 'Alice', email: 'alice@acme.test' };
  seedBareRepository(repositoryGitDir(reposRoot, widgets), author, WIDGETS_BRANCHES, 'main', [{ name: 'v1.0.0', branch: 'main' }]);
  seedBareRepository(repositoryGitDir(reposRoot, fork), author, FORK_BRANCHES, 'main', [{ name: 'v1.0.0', branch: 'main' }]);
  state.pullRequests.push(
    { id: 1, repositoryId: 1, title: 'Add login form', description: 'Adds a login form so that people can sign in to the widget catalogue.', authorId: 1, fromRepositoryId: 1, fromBranch: 'feature/login', toBranch: 'main', createdDate: Date.parse('2024-01-10T14:05:00Z') },
    { id: 2, repositoryId: 1, title: 'Fix a typo in the README', description: 'From my fork.', authorId: 2, fromRepositoryId: 2, fromBranch: 'fix/typo', toBranch: 'main', createdDate: Date.parse('2024-01-11T09:20:00Z') },
  );
}
