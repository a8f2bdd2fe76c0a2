import type { ReactNode } from 'react';

/** The centred card of the pages outside the app frame: sign-in, set-up, invitation, password reset. */
export function AuthCard({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="sign-in" id="main">
      <div className="sign-in__card">
        <p className="sign-in__brand">
          <span className="brand-mark" aria-hidden="true" />
          Runner Console
        </p>
        <h1 className="sign-in__title">{title}</h1>
        {lead ? <div className="sign-in__lead">{lead}</div> : null}
        {children}
      </div>
    </main>
  );
}
