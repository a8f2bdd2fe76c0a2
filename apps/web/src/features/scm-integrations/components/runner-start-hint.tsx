import type { Runner } from '@runner-console/contracts';
import { Link } from 'react-router';

/** How to bring this runner online: the Local runner starts with the project; others with their own command. */
export function RunnerStartHint({ runner }: { runner: Runner }) {
  if (runner.kind === 'local') {
    return (
      <p>
        Start it from the Runner Console project folder with <code>npm start</code>, then open this
        dialog again.
      </p>
    );
  }
  return (
    <p>
      Start it on its machine with the start command you got when you set it up in{' '}
      <Link to="/settings/runners">Settings › Runners</Link>. If you no longer have its token, set
      up a new runner there. Once it shows as active, open this dialog again.
    </p>
  );
}
