import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Router, type Response } from 'express';
import type { Logger } from '../logger.ts';

/**
 * The runner file this BFF serves, and its SHA-256, computed again only when the file changed (a
 * rebuild). The start command carries the digest (runner-service.ts), so a file changed on its way,
 * or on this server after the command was shown, fails the check on the runner's machine.
 */
export function createRunnerBundle(bundleFile: string) {
  let cached: { mtimeMs: number; size: number; sha256: string } | undefined;
  return {
    file: bundleFile,
    digest(): { sha256: string } | undefined {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(bundleFile);
      } catch {
        return undefined;
      }
      if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
        cached = { mtimeMs: stat.mtimeMs, size: stat.size, sha256: createHash('sha256').update(fs.readFileSync(bundleFile)).digest('hex') };
      }
      return cached;
    },
  };
}
export type RunnerBundle = ReturnType<typeof createRunnerBundle>;

/**
 * `/downloads/runner.mjs`: the installable runner, one self-contained file built by
 * scripts/build-services.mjs, and `/downloads/runner.mjs.sha256` in `sha256sum -c` format (kept for
 * scripts and mirrors; the dashboard's start command carries the digest itself). Public, like any agent download: the file holds no
 * secret, and a runner needs its token to do anything.
 */
export function createRunnerDownloadRoutes(bundle: RunnerBundle, log: Logger): Router {
  const router = Router();
  const bundleFile = bundle.file;
  const digest = () => bundle.digest();

  const notBuilt = (res: Response) => {
    log.warn({ bundleFile }, 'the runner file is not built; run `node scripts/build-services.mjs` or `npm start`');
    res
      .status(404)
      .type('text/plain')
      .set('Cache-Control', 'no-store')
      .send('The runner file has not been built on this server. Ask the Runner Console operator to build it (npm start builds it).\n');
  };

  router.get('/downloads/runner.mjs', (_req, res) => {
    const d = digest();
    if (!d) return notBuilt(res);
    res
      .set('Cache-Control', 'no-cache')
      .set('Content-Disposition', 'attachment; filename="runner.mjs"')
      .set('X-Content-SHA256', d.sha256)
      .type('text/javascript')
      .sendFile(bundleFile);
  });

  router.get('/downloads/runner.mjs.sha256', (_req, res) => {
    const d = digest();
    if (!d) return notBuilt(res);
    res.set('Cache-Control', 'no-cache').type('text/plain').send(`${d.sha256}  runner.mjs\n`);
  });
  return router;
}
