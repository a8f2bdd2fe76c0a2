import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../features/auth/components/require-session.tsx';
import { SignInPage } from '../features/auth/routes/sign-in-page.tsx';
import { useSessionUser } from '../features/auth/use-session-user.ts';
import { RunnerPage } from '../features/runners/routes/runner-page.tsx';
import { RunnersPage } from '../features/runners/routes/runners-page.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { RouteErrorPage } from './route-error-page.tsx';

/** Features do not know about each other or about the session's shape: this wires them. */
function RunnersRoute() {
  const user = useSessionUser();
  return <RunnersPage canManageRunners={user?.role === 'admin'} orgName={user?.orgName} />;
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
            { path: 'settings/runners', element: <RunnersRoute /> },
            // Next issue: repositoryAccess={(runner) => <ScmIntegrations runner={runner} />}
            { path: 'settings/runners/:runnerId', element: <RunnerPage /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}
