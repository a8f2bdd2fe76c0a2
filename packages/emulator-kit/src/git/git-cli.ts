import { execFile, execFileSync } from 'node:child_process';

/**
 * The environment every git process of the emulator runs with: no system or user config
 * (so a developer's ~/.gitconfig cannot change behaviour), no prompts, stable output.
 */
export function gitEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

export interface GitOptions {
  gitDir: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

export class GitCommandError extends Error {
  override name = 'GitCommandError';
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed: ${stderr.trim()}`);
  }
}

/** Runs git against a bare repository and returns its stdout. */
export function runGit(args: readonly string[], options: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [`--git-dir=${options.gitDir}`, ...args],
      { env: gitEnvironment(options.env), maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) =>
        error ? reject(new GitCommandError(args, stderr)) : resolve(stdout),
    );
    // git may exit before reading its input (for example on an unknown revision); that is not an error here.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
  });
}

/** Synchronous variant, used only while seeding at start-up. */
export function runGitSync(args: readonly string[], options: GitOptions): string {
  try {
    return execFileSync('git', [`--git-dir=${options.gitDir}`, ...args], {
      env: gitEnvironment(options.env),
      input: options.input ?? '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new GitCommandError(args, typeof stderr === 'string' ? stderr : String(error));
  }
}
