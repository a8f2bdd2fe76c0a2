import path from 'node:path';
import { seedBareRepository, type SeedBranch } from '@runner-console/emulator-kit';
import type { EmulatorState } from './state.ts';

const README_V1 = "# Widgets\n\nAcme's widget library.\n";
const README_V2 = `${README_V1}\n## Development\n\n    npm install\n    npm test\n`;
const GITIGNORE = 'node_modules/\ndist/\n';
const PACKAGE_JSON = `${JSON.stringify({ name: '@acme/widgets', version: '0.1.0', type: 'module' }, null, 2)}\n`;
const WIDGETS_TS = 'export interface Widget {\n  id: string;\n  name: string;\n}\n\nexport const widgets: Widget[] = [];\n';
const LOGIN_TS = 'export function renderLoginForm(): string {\n  return \'<form method="post"><input name="username"><button>Log in</button></form>\';\n}\n';
const MAIN_FILES = { 'README.md': README_V2, '.gitignore': GITIGNORE, 'package.json': PACKAGE_JSON, 'src/widgets.ts': WIDGETS_TS };

/** acme/widgets/widgets: the same history as the other emulators' acme/widgets, so the hashes are the same too. */
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

/** The git folders, created once under `reposRoot/{org}/{project}/{repo}.git`. */
export function seedRepositories(state: EmulatorState, reposRoot: string): void {
  for (const repository of state.repositories) {
    const gitDir = path.join(reposRoot, repository.organization, repository.project.name, `${repository.name}.git`);
    seedBareRepository(gitDir, { name: 'Alice', email: 'alice@acme.test' }, WIDGETS_BRANCHES, 'main', [{ name: 'v1.0.0', branch: 'main' }]);
  }
}
