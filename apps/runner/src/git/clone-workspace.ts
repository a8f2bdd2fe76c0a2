import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gitConfigEnv, gitProtocolConfig, type CloneTarget } from './clone-target.ts';

/**
 * Clone a checked target (cloneTargetFor: the URL built from the runner's own endpoints, ref and
 * commit validated) into the runner's workspace folder and check out its ref. The token goes to git
 * through GIT_CONFIG_* environment variables as an HTTP header (Basic, with the provider's git user
 * name: the adapter's gitUsername), for the remote's origin only, never on the command line or in the
 * remote URL, so it is not visible in `ps` or `.git/config`. `protocol.allow` lets git speak the
 * remote's protocol and nothing else.
 *
 * With `credentialHelper`, the clone then gets that helper for its remote's origin, so a plain
 * `git push` (or fetch) in the workspace asks the runner for the user's current token.
 */
export async function cloneWorkspace(opts: {
  workspaceDir: string;
  target: CloneTarget;
  author: { name: string; email: string | null };
  accessToken: string;
  credentialHelper?: string;
  /** The provider's git user name for the token (the adapter's gitUsername). */
  gitUsername: string;
  /** A CA bundle file for git (http.sslCAInfo): the system's authorities and the configured extra ones. */
  caBundleFile?: string | null;
  timeoutMs?: number;
}): Promise<void> {
  const { workspaceDir, target } = opts;
  fs.rmSync(workspaceDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(workspaceDir), { recursive: true, mode: 0o700 });
  const basic = Buffer.from(`${opts.gitUsername}:${opts.accessToken}`).toString('base64');
  const caPairs: [string, string][] = opts.caBundleFile ? [['http.sslCAInfo', opts.caBundleFile]] : [];
  const env = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    // http.<url>.* applies to that origin only (https://git-scm.com/docs/git-config#Documentation/git-config.txt-httplturlgt).
    ...gitConfigEnv([...gitProtocolConfig(target.remote), ...caPairs, [`http.${target.remote.origin}/.extraHeader`, `Authorization: Basic ${basic}`]]),
    // GIT_SSL_CAINFO, when the runner's own environment has one, outranks http.sslCAInfo
    // (https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslCAInfo): the bundle must win.
    ...(opts.caBundleFile ? { GIT_SSL_CAINFO: opts.caBundleFile } : {}),
  };
  // `--branch` takes a tag too (a detached HEAD at the tag).
  const branchArgs = target.refType === 'commit' ? ['--no-checkout'] : ['--branch', target.ref];
  await git(['clone', '--quiet', ...branchArgs, '--', target.url, workspaceDir], undefined, env, opts.timeoutMs);
  if (target.refType === 'commit') await git(['checkout', '--quiet', '--detach', target.commit, '--'], workspaceDir, env, opts.timeoutMs);
  // A commit viewed on its branch: that branch, at that commit (it still tracks the remote branch).
  // The commit is checked hex, never an option.
  if (target.pinCommit) await git(['reset', '--quiet', '--hard', target.commit], workspaceDir, env, opts.timeoutMs);
  if (opts.caBundleFile) await git(['config', '--', 'http.sslCAInfo', opts.caBundleFile], workspaceDir, env);
  // `--` first: a name that starts with "-" is a value, not an option.
  await git(['config', '--', 'user.name', opts.author.name], workspaceDir, env);
  if (opts.author.email) await git(['config', '--', 'user.email', opts.author.email], workspaceDir, env);
  if (opts.credentialHelper) await configureCredentialHelper(workspaceDir, target.url, opts.credentialHelper);
}

/**
 * Makes git ask `helperPath` for credentials for the clone URL's origin, and only for it: the empty
 * value first drops any helper configured globally for that origin
 * (https://git-scm.com/docs/gitcredentials#_custom_helpers). The helper holds no token.
 */
export async function configureCredentialHelper(workspaceDir: string, cloneUrl: string, helperPath: string): Promise<void> {
  const origin = new URL(cloneUrl).origin;
  const key = `credential.${origin}.helper`;
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
  await git(['config', '--unset-all', key], workspaceDir, env).catch(() => undefined);
  await git(['config', '--add', key, ''], workspaceDir, env);
  await git(['config', '--add', key, `!'${helperPath.replace(/'/g, `'\\''`)}'`], workspaceDir, env);
}

export function git(args: string[], cwd: string | undefined, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`git could not start: ${e.message}. Install git on the runner.`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim());
      else reject(new Error(`git ${args[0]} failed: ${err.trim().split('\n').slice(-2).join(' ') || `exit code ${code}`}`));
    });
  });
}
