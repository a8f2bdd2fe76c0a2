import type { ReactNode } from 'react';

export type StatusTone = 'success' | 'neutral' | 'info' | 'warning' | 'danger';

/** A small coloured label. The text carries the meaning; colour and dot only repeat it. */
export function StatusBadge({ tone, children }: { tone: StatusTone; children: ReactNode }) {
  return (
    <span className={`badge badge--${tone}`}>
      <span className="badge__dot" aria-hidden="true" />
      <span className="badge__label">{children}</span>
    </span>
  );
}
