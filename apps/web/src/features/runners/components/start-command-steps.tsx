import { CopyField } from '../../../components/ui/copy-field.tsx';

/**
 * The start command and, beside it, the token it asks for. The token is pasted at the command's
 * prompt rather than written into it, so it lands neither in shell history nor on a command line
 * (the command keeps it in runner.token, mode 0600).
 */
export function StartCommandSteps({ startCommand, runnerToken }: { startCommand: string; runnerToken: string }) {
  return (
    <ol className="start-steps">
      <li>
        <p>
          Run this command in an empty folder on the runner’s machine (it needs Node.js 20 or later
          and git). It downloads the runner, checks it against the SHA-256 in the command, and
          starts it.
        </p>
        <CopyField label="Start command" value={startCommand} multiline />
      </li>
      <li>
        <p>
          When it asks for the runner token, paste this one. It is not shown as you paste, and
          stays out of your shell history: the command keeps it in <code>runner.token</code>{' '}
          (readable by you only).
        </p>
        <CopyField label="Runner token" value={runnerToken} />
      </li>
    </ol>
  );
}
