import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../features/auth/components/require-session.tsx';
import { SignInPage } from '../features/auth/routes/sign-in-page.tsx';
import { useSessionUser } from '../features/auth/use-session-user.ts';
import { HostAuthorization } from '../features/connect/components/host-authorization.tsx';
import { EnvironmentPage } from '../features/environments/routes/environment-page.tsx';
import { EnvironmentsPage } from '../features/environments/routes/environments-page.tsx';
import { NewEnvironmentPage } from '../features/environments/routes/new-environment-page.tsx';
import { GitAuthenticationsPage } from '../features/git-authentications/routes/git-authentications-page.tsx';
import { RunnerPage } from '../features/runners/routes/runner-page.tsx';
import { RunnersPage } from '../features/runners/routes/runners-page.tsx';
import { RepositoryAccess } from '../features/scm-integrations/components/repository-access.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { RouteErrorPage } from './route-error-page.tsx';

/** Features do not know about each other or about the session's shape: this wires them. */
function RunnersRoute() {
  const user = useSessionUser();
  return <RunnersPage canManageRunners={user?.role === 'admin'} orgName={user?.orgName} />;
}

/** The runner page's repository access comes from the SCM integrations feature. */
function RunnerRoute() {
  const user = useSessionUser();
  return (
    <RunnerPage
      canManage={user?.role === 'admin'}
      repositoryAccess={(runner) => (
        <RepositoryAccess runner={runner} canManage={user?.role === 'admin'} />
      )}
    />
  );
}

/** New environment asks Connect whether the user may use the URL's host on the chosen runner. */
function NewEnvironmentRoute() {
  return <NewEnvironmentPage authorization={(props) => <HostAuthorization {...props} />} />;
}

export function createRouter() {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage />, errorElement: <RouteErrorPage standalone /> },
    {
      path: '/',
      element: (
        <RequireSession>
          <AppLayout />
        </RequireSession>
      ),
      errorElement: <RouteErrorPage standalone />,
      children: [
        {
          // A page that fails to render keeps the header and navigation around its error.
          errorElement: <RouteErrorPage />,
          children: [
            { index: true, element: <Navigate to="/settings/runners" replace /> },
            { path: 'settings', element: <Navigate to="/settings/runners" replace /> },
            { path: 'environments', element: <EnvironmentsPage /> },
            { path: 'environments/new', element: <NewEnvironmentRoute /> },
            { path: 'environments/:environmentId', element: <EnvironmentPage /> },
            { path: 'settings/runners', element: <RunnersRoute /> },
            { path: 'settings/git-authentications', element: <GitAuthenticationsPage /> },
            { path: 'settings/runners/:runnerId', element: <RunnerRoute /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}
