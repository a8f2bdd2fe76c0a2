import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { LoadingStatus } from '../components/ui/loading-status.tsx';
import { RequireSession } from '../features/auth/components/require-session.tsx';
import { useSessionUser } from '../features/auth/use-session-user.ts';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { RouteErrorPage } from './route-error-page.tsx';

// Each page is its own chunk, loaded when first visited: a page does not ship the code of the others
// (the sign-in form, the Connect flow, the provider modal and its sealing library).
const SignInPage = lazy(() =>
  import('../features/auth/routes/sign-in-page.tsx').then((m) => ({ default: m.SignInPage })),
);
const HostAuthorization = lazy(() =>
  import('../features/connect/components/host-authorization.tsx').then((m) => ({
    default: m.HostAuthorization,
  })),
);
const EnvironmentPage = lazy(() =>
  import('../features/environments/routes/environment-page.tsx').then((m) => ({
    default: m.EnvironmentPage,
  })),
);
const EnvironmentsPage = lazy(() =>
  import('../features/environments/routes/environments-page.tsx').then((m) => ({
    default: m.EnvironmentsPage,
  })),
);
const NewEnvironmentPage = lazy(() =>
  import('../features/environments/routes/new-environment-page.tsx').then((m) => ({
    default: m.NewEnvironmentPage,
  })),
);
const GitAuthenticationsPage = lazy(() =>
  import('../features/git-authentications/routes/git-authentications-page.tsx').then((m) => ({
    default: m.GitAuthenticationsPage,
  })),
);
const RunnerPage = lazy(() =>
  import('../features/runners/routes/runner-page.tsx').then((m) => ({ default: m.RunnerPage })),
);
const RunnersPage = lazy(() =>
  import('../features/runners/routes/runners-page.tsx').then((m) => ({ default: m.RunnersPage })),
);
const RepositoryAccess = lazy(() =>
  import('../features/scm-integrations/components/repository-access.tsx').then((m) => ({
    default: m.RepositoryAccess,
  })),
);

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingStatus>Loading…</LoadingStatus>}>{children}</Suspense>;
}

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
        <Page>
          <RepositoryAccess runner={runner} canManage={user?.role === 'admin'} />
        </Page>
      )}
    />
  );
}

/** New environment asks Connect whether the user may use the URL's host on the chosen runner. */
function NewEnvironmentRoute() {
  return (
    <NewEnvironmentPage
      authorization={(props) => (
        <Page>
          <HostAuthorization {...props} />
        </Page>
      )}
    />
  );
}

export function createRouter() {
  return createBrowserRouter([
    {
      path: '/sign-in',
      element: (
        <Page>
          <SignInPage />
        </Page>
      ),
      errorElement: <RouteErrorPage standalone />,
    },
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
            {
              path: 'environments',
              element: (
                <Page>
                  <EnvironmentsPage />
                </Page>
              ),
            },
            {
              path: 'environments/new',
              element: (
                <Page>
                  <NewEnvironmentRoute />
                </Page>
              ),
            },
            {
              path: 'environments/:environmentId',
              element: (
                <Page>
                  <EnvironmentPage />
                </Page>
              ),
            },
            {
              path: 'settings/runners',
              element: (
                <Page>
                  <RunnersRoute />
                </Page>
              ),
            },
            {
              path: 'settings/git-authentications',
              element: (
                <Page>
                  <GitAuthenticationsPage />
                </Page>
              ),
            },
            {
              path: 'settings/runners/:runnerId',
              element: (
                <Page>
                  <RunnerRoute />
                </Page>
              ),
            },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}
