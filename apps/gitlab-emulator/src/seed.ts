import path from 'node:path';
import { seedBareRepository, type SeedBranch } from '@runner-console/emulator-kit';
import { pathWithNamespace, type GitLabState, type Namespace, type Project, type User } from './state.ts';

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

/** acme/widgets: the same history as the other emulators' acme/widgets, so the hashes are the same too. */
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

const TOOLS_README = '# Tools\n\nBuild tools of the Acme platform team.\n';
/** acme/platform/tools, in a subgroup: main, and feature/lint with merge request !1. */
const TOOLS_BRANCHES: readonly SeedBranch[] = [
  { name: 'main', commits: [{ message: 'Initial commit\n', date: '2024-02-01T09:00:00+00:00', files: { 'README.md': TOOLS_README } }] },
  {
    name: 'feature/lint',
    from: 'main',
    commits: [
      {
        message: 'Add a lint script\n',
        date: '2024-02-02T11:00:00+00:00',
        files: { 'README.md': TOOLS_README, 'lint.sh': '#!/bin/sh\nnpx eslint .\n' },
      },
    ],
  },
];

/** Where a project's bare git folder lives: `{path_with_namespace}.git` under the repositories root. */
export function repositoryGitDir(reposRoot: string, project: Project): string {
  return path.join(reposRoot, ...pathWithNamespace(project).split('/').slice(0, -1), `${project.path}.git`);
}

/**
 * The development data: users alice and bob; group acme (alice Owner, bob Reporter) with the
 * subgroup acme/platform; private projects acme/widgets (main, feature/login, tag v1.0.0, merge
 * request !1 from feature/login) and acme/platform/tools (main, feature/lint, merge request !1);
 * bob's private fork bob/widgets (fix/typo, merge request !2 into acme/widgets). The git folders
 * are made once; the rest again at every start.
 */
export function seedGitLabData(state: GitLabState, reposRoot: string): void {
  const alice: User = { id: 1, username: 'alice', name: 'Alice', email: 'alice@acme.test', password: 'alice', createdAt: '2024-01-02T08:00:00.000Z' };
  const bob: User = { id: 2, username: 'bob', name: 'Bob', email: 'bob@acme.test', password: 'bob', createdAt: '2024-01-03T08:00:00.000Z' };
  state.users.set(alice.id, alice);
  state.users.set(bob.id, bob);
  const namespaces: Namespace[] = [
    { id: 1, name: 'Alice', path: 'alice', fullPath: 'alice', kind: 'user', parentId: null },
    { id: 2, name: 'Bob', path: 'bob', fullPath: 'bob', kind: 'user', parentId: null },
    { id: 3, name: 'Acme', path: 'acme', fullPath: 'acme', kind: 'group', parentId: null },
    { id: 4, name: 'Platform', path: 'platform', fullPath: 'acme/platform', kind: 'group', parentId: 3 },
  ];
  for (const namespace of namespaces) state.namespaces.set(namespace.id, namespace);
  const [, bobNamespace, acme, platform] = namespaces as [Namespace, Namespace, Namespace, Namespace];

  const widgets: Project = {
    id: 101,
    namespace: acme,
    name: 'Widgets',
    path: 'widgets',
    description: "Acme's widget library.",
    visibility: 'private',
    defaultBranch: 'main',
    forkedFromId: null,
    members: new Map([
      [alice.id, 50],
      [bob.id, 20],
    ]),
    createdAt: '2024-01-08T08:55:00.000Z',
  };
  const tools: Project = {
    id: 102,
    namespace: platform,
    name: 'Tools',
    path: 'tools',
    description: 'Build tools of the Acme platform team.',
    visibility: 'private',
    defaultBranch: 'main',
    forkedFromId: null,
    members: new Map([[alice.id, 50]]),
    createdAt: '2024-02-01T08:55:00.000Z',
  };
  const fork: Project = {
    id: 103,
    namespace: bobNamespace,
    name: 'Widgets',
    path: 'widgets',
    description: "Acme's widget library.",
    visibility: 'private',
    defaultBranch: 'main',
    forkedFromId: widgets.id,
    members: new Map([[bob.id, 50]]),
    createdAt: '2024-01-11T09:00:00.000Z',
  };
  for (const project of [widgets, tools, fork]) state.projects.set(project.id, project);

  const author = { name: 'Alice', email: 'alice@acme.test' };
  seedBareRepository(repositoryGitDir(reposRoot, widgets), author, WIDGETS_BRANCHES, 'main', [{ name: 'v1.0.0', branch: 'main' }]);
  seedBareRepository(repositoryGitDir(reposRoot, tools), author, TOOLS_BRANCHES, 'main');
  seedBareRepository(repositoryGitDir(reposRoot, fork), author, FORK_BRANCHES, 'main', [{ name: 'v1.0.0', branch: 'main' }]);

  state.mergeRequests.push(
    {
      id: 5001,
      iid: 1,
      projectId: widgets.id,
      sourceProjectId: widgets.id,
      title: 'Add login form',
      description: 'Adds a login form so that people can sign in to the widget catalogue.',
      authorId: alice.id,
      sourceBranch: 'feature/login',
      targetBranch: 'main',
      createdAt: '2024-01-10T14:05:00.000Z',
    },
    {
      id: 5002,
      iid: 2,
      projectId: widgets.id,
      sourceProjectId: fork.id,
      title: 'Fix a typo in the README',
      description: 'From my fork.',
      authorId: bob.id,
      sourceBranch: 'fix/typo',
      targetBranch: 'main',
      createdAt: '2024-01-11T09:20:00.000Z',
    },
    {
      id: 5003,
      iid: 1,
      projectId: tools.id,
      sourceProjectId: tools.id,
      title: 'Add a lint script',
      description: 'Runs ESLint over the platform tools.',
      authorId: alice.id,
      sourceBranch: 'feature/lint',
      targetBranch: 'main',
      createdAt: '2024-02-02T11:05:00.000Z',
    },
  );
}
