/**
 * Git's ref-name rules (git check-ref-format), plus no leading `-` so a branch or tag can never be
 * read as an option by a git command line: no control characters, space, ~ ^ : ? * [ \, `..` or
 * `@{`, no empty component, and no component or end that git refuses (`.lock`, leading `.`,
 * trailing `.` or `/`). https://git-scm.com/docs/git-check-ref-format
 */
export function isValidBranchName(name: string): boolean {
  return (
    name !== '' &&
    name !== '@' &&
    !name.startsWith('-') &&
    !Array.from(name).some((char) => char <= ' ' || char === '\x7f') &&
    !/[~^:?*[\\]/.test(name) &&
    !name.includes('..') &&
    !name.includes('@{') &&
    !name.endsWith('.') &&
    name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'))
  );
}

/** Tags follow the same rules as branches. */
export const isValidTagName = isValidBranchName;

/** An abbreviated or full SHA-1 commit name, as links carry it. */
export const COMMIT_PATTERN = /^[0-9a-fA-F]{7,40}$/;
export const FULL_COMMIT_PATTERN = /^[0-9a-fA-F]{40}$/;
