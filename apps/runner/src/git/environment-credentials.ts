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
  /** The provider host (bitbucket.org) whose token the environment may ask for. */
  host: string;
  /** The host git talks to (the clone URL's host, e.g. localhost:8082 for the emulator). */
  gitHost: string;
  secretSha256: string;
}

const environmentIdPattern = /^[A-Za-z0-9_-]{1,100}$/;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The per-environment secrets that let an environment's git credential helper ask the runner for
 * its user's current token, and nothing else: each environment has its own folder under
 * `${dataDir}/git-credentials/` (0700) with
 * - `secret`: the line `Authorization: Bearer <secret>` that the helper sends (0600);
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
      writePrivate(secretPath, `Authorization: Bearer ${secret}\n`, 0o600);
      writePrivate(path.join(folder, 'environment.json'), JSON.stringify({ ...record, secretSha256: sha256(secret) } satisfies EnvironmentCredentialRecord), 0o600);
      writePrivate(helperPath, helperScript({ environmentId: record.environmentId, socketPath: opts.socketPath, secretPath }), 0o700);
      return { helperPath };
    },
    /** The environment's record when `secret` is its secret; undefined otherwise (also for an unknown or malformed id). */
    authenticate(environmentId: string, secret: string): EnvironmentCredentialRecord | undefined {
      let record: EnvironmentCredentialRecord;
      try {
        record = JSON.parse(fs.readFileSync(path.join(folderOf(environmentId), 'environment.json'), 'utf8')) as EnvironmentCredentialRecord;
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
 * The git credential helper (https://git-scm.com/docs/gitcredentials#_custom_helpers), as a POSIX
 * sh script around curl: git starts it for every push and fetch, and a shell and curl start in a
 * few milliseconds where a Node process takes over a hundred (bench row "git push through the
 * credential helper"). It forwards git's request on stdin to the runner over the runner's Unix
 * socket, with the environment's secret read by curl from its file (never on a command line), and
 * prints the runner's answer for git. On a refusal it prints the runner's reason to stderr and
 * tells git to stop (`quit=1`), so the user reads why instead of a password prompt.
 */
function helperScript(opts: { environmentId: string; socketPath: string; secretPath: string }): string {
  const url = `http://runner/v1/environments/${opts.environmentId}/git-credentials`;
  return `#!/bin/sh
# Git credential helper written by Runner Console for environment ${opts.environmentId}.
# It holds no token: it asks the runner for the user's current one each time git needs it.
[ "$1" = get ] || { cat >/dev/null; exit 0; }
if ! command -v curl >/dev/null 2>&1; then
  echo "Runner Console: git needs curl to get your Bitbucket credentials from the runner. Install curl in this environment." >&2
  echo quit=1
  exit 0
fi
answer=$(curl --silent --show-error --max-time 30 --unix-socket ${shellQuote(opts.socketPath)} \\
  -H @${shellQuote(opts.secretPath)} -H 'Content-Type: text/plain' --data-binary @- \\
  --write-out '\\n%{http_code}' ${shellQuote(url)} 2>/dev/null)
status=$(printf '%s\\n' "$answer" | tail -n 1)
body=$(printf '%s\\n' "$answer" | sed '$d')
case "$status" in
  200) printf '%s\\n' "$body" ;;
  000|'') echo "Runner Console: the runner that holds your Bitbucket connection cannot be reached. Check that it is running, then try again." >&2; echo quit=1 ;;
  *) printf 'Runner Console: %s\\n' "$body" >&2; echo quit=1 ;;
esac
`;
}
