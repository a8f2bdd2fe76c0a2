import type { ReactNode } from 'react';
import { Button } from './button.tsx';

/** An error in place of content that failed to load, with the next step (Retry) at hand. */
export function ErrorPanel({
  title,
  message,
  onRetry,
  retrying = false,
  children,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="error-panel" role="alert">
      <p className="error-panel__title">{title}</p>
      <p className="error-panel__message">{message}</p>
      {onRetry || children ? (
        <div className="error-panel__actions">
          {onRetry ? (
            <Button onClick={onRetry} pending={retrying}>
              Retry
            </Button>
          ) : null}
          {children}
        </div>
      ) : null}
    </div>
  );
}
