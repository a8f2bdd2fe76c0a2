import { randomUUID } from 'node:crypto';
import { repositoryGitDir } from '../git/repository-paths.ts';
import { seedBareRepository, type SeedBranch } from '@runner-console/emulator-kit';
import type { Db } from './database.ts';
import { MetaStore } from './meta-store.ts';
import { RepositoryStore } from './repository-store.ts';
import { UserStore } from './user-store.ts';

const SEEDED_KEY = 'seeded_at';

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

/** acme/widgets: two commits on main, one more on feature/login. Dates are fixed, so hashes are too. */
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

/**
 * Seeds the development data on first start: users alice and bob, workspace acme owned by alice,
 * repository acme/widgets and its pull request #1. Idempotent: the git repository is created only
 * if missing, and the rows only if the data folder was never seeded.
 */
export function seedEmulatorData(db: Db, reposRoot: string): void {
  const alice = { name: 'Alice', email: 'alice@acme.test' };
  seedBareRepository(
    repositoryGitDir(reposRoot, 'acme', 'widgets'),
    alice,
    WIDGETS_BRANCHES,
    'main',
  );

  const meta = new MetaStore(db);
  if (meta.get(SEEDED_KEY) !== undefined) return;
  db.transaction(() => {
    seedRows(new UserStore(db), new RepositoryStore(db));
    meta.set(SEEDED_KEY, new Date().toISOString());
  })();
}

function seedRows(users: UserStore, repositories: RepositoryStore): void {
  const alice = users.create(newUser('alice', 'Alice', '2024-01-02T08:00:00.000000+00:00'));
  users.create(newUser('bob', 'Bob', '2024-01-03T08:00:00.000000+00:00'));

  const acme = repositories.createWorkspace({
    slug: 'acme',
    name: 'Acme',
    uuid: braced(randomUUID()),
    createdOn: '2024-01-02T08:05:00.000000+00:00',
  });
  repositories.addWorkspaceMember(acme.id, alice.id, 'owner');
  repositories.createRepository({
    workspaceId: acme.id,
    slug: 'widgets',
    name: 'widgets',
    uuid: braced(randomUUID()),
    description: "Acme's widget library.",
    isPrivate: true,
    mainbranch: 'main',
    language: 'typescript',
    project: { key: 'WID', name: 'Widgets', uuid: braced(randomUUID()) },
    createdOn: '2024-01-08T08:55:00.000000+00:00',
  });
  const widgets = repositories.findRepository('acme', 'widgets');
  if (!widgets) throw new Error('Seeding failed: acme/widgets was not created');
  repositories.createPullRequest({
    repositoryId: widgets.id,
    number: 1,
    title: 'Add login form',
    description: 'Adds a login form so that people can sign in to the widget catalogue.',
    state: 'OPEN',
    authorUserId: alice.id,
    sourceBranch: 'feature/login',
    destinationBranch: 'main',
    createdOn: '2024-01-10T14:05:00.000000+00:00',
    updatedOn: '2024-01-10T14:05:00.000000+00:00',
  });
}

/** A user as Bitbucket shows one: braced uuid, Atlassian account id, e-mail at acme.test. */
export function newUser(username: string, displayName: string, createdOn: string) {
  const uuid = randomUUID();
  return {
    username,
    displayName,
    email: `${username}@acme.test`,
    password: username,
    uuid: braced(uuid),
    // Atlassian account ids look like "557058:<uuid>".
    accountId: `557058:${uuid}`,
    createdOn,
  };
}

function braced(uuid: string): string {
  return `{${uuid}}`;
}
