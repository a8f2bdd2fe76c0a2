// Bundles the Node services (the emulators, BFF, runner) from TypeScript into plain ES modules with
// esbuild, so `npm start` runs them with bare `node`: no TypeScript loader in the running process.
// Under `node --import tsx` the BFF sat at 184 MB peak RSS at idle and showed GC pauses under load;
// bundled it idles near 120 MB (bench row 6a). For the BFF and the emulator, workspace packages
// (@runner-console/*) are bundled in and every other package stays an import resolved from
// node_modules at run time (native modules such as better-sqlite3 must).
// The runner is different: it is installed on customers' machines as one file, so its bundle
// (apps/runner/dist/runner.mjs) carries every dependency and runs with bare `node` ≥ 20 and no
// node_modules. The BFF serves that same file at /downloads/runner.mjs, `npm start` runs it as the
// Local runner, and apps/runner/Dockerfile copies it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Entry point and bundle of each service. Each bundle sits in its app's dist/, next to src/, so
 * paths the code resolves from its own location (the BFF's apps/web/dist) stay the same. */
export const services = {
  'bitbucket-emulator': { entry: 'apps/bitbucket-emulator/src/server.ts', bundle: 'apps/bitbucket-emulator/dist/server.mjs' },
  'github-emulator': { entry: 'apps/github-emulator/src/server.ts', bundle: 'apps/github-emulator/dist/server.mjs' },
  'gitlab-emulator': { entry: 'apps/gitlab-emulator/src/server.ts', bundle: 'apps/gitlab-emulator/dist/server.mjs' },
  'bitbucket-dc-emulator': { entry: 'apps/bitbucket-dc-emulator/src/server.ts', bundle: 'apps/bitbucket-dc-emulator/dist/server.mjs' },
  'azure-devops-emulator': { entry: 'apps/azure-devops-emulator/src/server.ts', bundle: 'apps/azure-devops-emulator/dist/server.mjs' },
  bff: { entry: 'apps/bff/src/server.ts', bundle: 'apps/bff/dist/server.mjs' },
  runner: { entry: 'apps/runner/src/main.ts', bundle: 'apps/runner/dist/runner.mjs', selfContained: true },
};

/** The installable runner file: what /downloads/runner.mjs serves. */
export const runnerBundle = path.join(repoRoot, services.runner.bundle);

/** Newest modification time of any file under dir (node_modules and dist/ skipped). */
export function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const externalPackages = {
  name: 'external-packages',
  setup(build) {
    // Bare specifiers (not ./, ../ or absolute) other than our own workspace packages.
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@runner-console/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Builds each service whose sources (its app's src/ or any package) are newer than its bundle.
 * Safe when several processes start at once (parallel test workers): each writes a private
 * temporary file and renames it into place, so a reader never sees half a bundle.
 */
export async function buildServicesIfStale(names = Object.keys(services)) {
  const packagesMtime = newestMtime(path.join(repoRoot, 'packages'));
  const stale = names.filter((name) => {
    const { entry, bundle } = services[name];
    const out = path.join(repoRoot, bundle);
    if (!fs.existsSync(out)) return true;
    const sources = Math.max(packagesMtime, newestMtime(path.join(repoRoot, path.dirname(path.dirname(entry)), 'src')));
    return fs.statSync(out).mtimeMs < sources;
  });
  if (stale.length === 0) return;
  const { build } = await import('esbuild');
  await Promise.all(
    stale.map(async (name) => {
      const { entry, bundle, selfContained } = services[name];
      const out = path.join(repoRoot, bundle);
      const result = await build({
        entryPoints: [path.join(repoRoot, entry)],
        outfile: out,
        bundle: true,
        write: false,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // The runner file travels alone: its map stays beside the build, and the file names none.
        sourcemap: selfContained ? 'external' : 'linked',
        plugins: selfContained ? [] : [externalPackages],
        // CommonJS dependencies (express, ws, pino) call require() for Node's built-ins, which an ES
        // module does not have: give the bundle one.
        banner: selfContained
          ? { js: "#!/usr/bin/env node\nimport { createRequire as __runnerCreateRequire } from 'node:module';\nconst require = __runnerCreateRequire(import.meta.url);" }
          : undefined,
        legalComments: selfContained ? 'linked' : undefined,
        logLevel: 'error',
      });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      for (const file of result.outputFiles) {
        const tmp = `${file.path}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, file.contents, { mode: selfContained && file.path.endsWith('.mjs') ? 0o755 : 0o644 });
        fs.renameSync(tmp, file.path);
      }
    }),
  );
}

/** `node` arguments that run a service's bundle (after buildServicesIfStale). The bundle is not
 * minified and names each source file in a comment, so stack traces stay readable without
 * --enable-source-maps (which loads every map at start-up); the .map file is there for debuggers. */
export function serviceCommand(name) {
  return [path.join(repoRoot, services[name].bundle)];
}
