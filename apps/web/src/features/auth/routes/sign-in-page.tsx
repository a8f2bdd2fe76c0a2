import { useQuery } from '@tanstack/react-query';
import { Navigate, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { authQueries } from '../api/auth-queries.ts';
import { SignInForm } from '../components/sign-in-form.tsx';
import { SingleSignOnButtons } from '../components/single-sign-on-buttons.tsx';
import { safeNextPath } from '../safe-next-path.ts';

export function SignInPage() {
  useDocumentTitle('Sign in');
  const session = useQuery(authQueries.session());
  // A deployment nobody has set up yet: there is no account to sign in to.
  const setupNeeded = useQuery(authQueries.setupNeeded());
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get('next'));

  if (session.data?.user) return <Navigate to={next} replace />;
  if (setupNeeded.data === true) return <Navigate to="/setup" replace />;

  return (
    <main className="sign-in" id="main">
      <div className="sign-in__card">
        <p className="sign-in__brand">
          <span className="brand-mark" aria-hidden="true" />
          Runner Console
        </p>
        <h1 className="sign-in__title">Sign in to your organization</h1>
        <SingleSignOnButtons ssoError={searchParams.get('sso_error')} />
        <SignInForm />
      </div>
    </main>
  );
}
