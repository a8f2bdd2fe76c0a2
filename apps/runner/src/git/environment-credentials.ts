import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Which user and integration an environment pushes as. Kept on disk (mode 0600) next to the
 * environment's helper, so `git push` keeps working across runner restarts. It holds no token:
 * only the hash of the environment's own secret.
 */
export interface EnvironmentCredentialRecord {
  environmentId: string;
  userId: string;
  integrationId: string;
  /** The provider host (bitbucket.org, github.com, …) whose token the environment may ask for. */
  host: string;
  /** The host git talks to (the configured site's host, e.g. localhost:8082 for the emulator). */
  gitHost: string;
  /**
   * The protocol git talks to it with: https, or http where the configured site is http (the local
   * emulator). Records written before it existed have none and are read as https.
   */
  gitProtocol: 'https' | 'http';
  secretSha256: string;
}

const environmentIdPattern = /^[A-Za-z0-9_-]{1,100}$/;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The per-environment secrets that let an environment's git credential helper ask the runner for
 * its user's current token, and nothing else: each environment has its own folder under
 * `${dataDir}/git-credentials/` (0700) with
 * - `secret`: the environment's secret, which the helper sends with each request (0600);
 * - `helper`: the credential helper script git runs (0700; it holds paths, no secret);
 * - `environment.json`: the record above (0600).
 * None of these is inside the workspace, and none holds a provider token.
 */
export function createEnvironmentCredentials(opts: { dataDir: string; socketPath: string }) {
  // Absolute: the helper's path is written into the clone's .git/config, and git runs it from there.
  const root = path.resolve(opts.dataDir, 'git-credentials');
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });

  function folderOf(environmentId: string): string {
    if (!environmentIdPattern.test(environmentId)) throw new Error('That is not an environment id.');
    return path.join(root, environmentId);
  }

  // Existing environments' helpers get the current socket path: it moves when the data folder is too
  // deep for a socket and XDG_RUNTIME_DIR changes, or from an earlier runner's fallback folder.
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !environmentIdPattern.test(entry.name)) continue;
    const folder = path.join(root, entry.name);
    const helperPath = path.join(folder, 'helper');
    if (!fs.existsSync(helperPath)) continue;
    const script = helperScript({ environmentId: entry.name, socketPath: opts.socketPath, secretPath: path.join(folder, 'secret') });
    if (fs.readFileSync(helperPath, 'utf8') !== script) writePrivate(helperPath, script, 0o700);
  }

  return {
    root,
    /** Creates (or replaces) the environment's secret and helper; answers the helper's path. */
    register(record: Omit<EnvironmentCredentialRecord, 'secretSha256'>): { helperPath: string } {
      const folder = folderOf(record.environmentId);
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      fs.chmodSync(folder, 0o700);
      const secret = randomBytes(32).toString('base64url');
      const secretPath = path.join(folder, 'secret');
      const helperPath = path.join(folder, 'helper');
      writePrivate(secretPath, `${secret}\n`, 0o600);
      writePrivate(path.join(folder, 'environment.json'), JSON.stringify({ ...record, secretSha256: sha256(secret) } satisfies EnvironmentCredentialRecord), 0o600);
      writePrivate(helperPath, helperScript({ environmentId: record.environmentId, socketPath: opts.socketPath, secretPath }), 0o700);
      return { helperPath };
    },
    /** The environment's record when `secret` is its secret; undefined otherwise (also for an unknown or malformed id). */
    authenticate(environmentId: string, secret: string): EnvironmentCredentialRecord | undefined {
      let record: EnvironmentCredentialRecord;
      try {
        const stored = JSON.parse(fs.readFileSync(path.join(folderOf(environmentId), 'environment.json'), 'utf8')) as Partial<EnvironmentCredentialRecord>;
        record = { ...stored, gitProtocol: stored.gitProtocol ?? 'https' } as EnvironmentCredentialRecord;
      } catch {
        return undefined;
      }
      const expected = Buffer.from(record.secretSha256, 'hex');
      const actual = Buffer.from(sha256(secret), 'hex');
      return expected.length === actual.length && timingSafeEqual(expected, actual) ? record : undefined;
    },
    /** Removes the environment's secret and helper (when the environment is deleted). */
    forget(environmentId: string): void {
      fs.rmSync(folderOf(environmentId), { recursive: true, force: true });
    },
  };
}
export type EnvironmentCredentials = ReturnType<typeof createEnvironmentCredentials>;

function writePrivate(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

/** Single-quotes a value for sh. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The git credential helper (https://git-scm.com/docs/gitcredentials#_custom_helpers): a POSIX sh
 * script around git's own `git credential-cache` client, which git starts for every push and
 * fetch. A shell and git start in a few milliseconds, where curl takes about 30 and Node over a
 * hundred (bench row 7). It sends the environment's id and secret (read by the shell from its
 * file, never on a command line), then git's request, to the runner's socket, and prints the
 * answer for git. Only `get` goes to the runner: the client would start a real cache daemon on the
 * socket for `store` if the runner were down. On a refusal it prints the runner's reason to stderr
 * and tells git to stop (`quit=1`), so the user reads why instead of a password prompt.
 */
function helperScript(opts: { environmentId: string; socketPath: string; secretPath: string }): string {
  return `#!/bin/sh
# Git credential helper written by Runner Console for environment ${opts.environmentId}.
# It holds no token: it asks the runner for the user's current one each time git needs it.
[ "$1" = get ] || exit 0
IFS= read -r secret < ${shellQuote(opts.secretPath)} || :
# git's request is read with shell builtins, and sent in a here-document: no process but git's client.
request=
while IFS= read -r line && [ -n "$line" ]; do request="$request$line
"; done
answer=$(git credential-cache --socket ${shellQuote(opts.socketPath)} get 2>/dev/null <<REQUEST
environment=${opts.environmentId}
secret=$secret
$request
REQUEST
)
case "$answer" in
  runner-console-error=*)
    printf 'Runner Console: %s\\n' "\${answer#runner-console-error=}" >&2
    echo quit=1 ;;
  *password=*) printf '%s\\n' "$answer" ;;
  *)
    echo "Runner Console: the runner that holds your connection to the provider cannot be reached. Check that it is running, then try again." >&2
    echo quit=1 ;;
esac
`;
}
