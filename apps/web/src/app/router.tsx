import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Outlet, Route, Routes } from 'react-router';
import { LoadingStatus } from '../components/ui/loading-status.tsx';
import { RequireSession } from '../features/auth/components/require-session.tsx';
import { useSessionUser } from '../features/auth/use-session-user.ts';
import { describeAuditEntry } from '../features/scm-integrations/integration-labels.ts';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { RouteErrorBoundary } from './route-error-page.tsx';

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
const ConnectAction = lazy(() =>
  import('../features/connect/components/connect-action.tsx').then((m) => ({
    default: m.ConnectAction,
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
const AddProviderStep = lazy(() =>
  import('../features/scm-integrations/components/add-provider-step.tsx').then((m) => ({
    default: m.AddProviderStep,
  })),
);
const RunnerConnections = lazy(() =>
  import('../features/runner-connections/components/runner-connections.tsx').then((m) => ({
    default: m.RunnerConnections,
  })),
);
const RepositoryAccess = lazy(() =>
  import('../features/scm-integrations/components/repository-access.tsx').then((m) => ({
    default: m.RepositoryAccess,
  })),
);

const SetupPage = lazy(() =>
  import('../features/auth/routes/setup-page.tsx').then((m) => ({ default: m.SetupPage })),
);
const JoinPage = lazy(() =>
  import('../features/auth/routes/join-page.tsx').then((m) => ({ default: m.JoinPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/auth/routes/reset-password-page.tsx').then((m) => ({
    default: m.ResetPasswordPage,
  })),
);
const AccountPage = lazy(() =>
  import('../features/auth/routes/account-page.tsx').then((m) => ({ default: m.AccountPage })),
);
const MembersPage = lazy(() =>
  import('../features/members/routes/members-page.tsx').then((m) => ({ default: m.MembersPage })),
);
const AuditLogPage = lazy(() =>
  import('../features/audit-log/routes/audit-log-page.tsx').then((m) => ({
    default: m.AuditLogPage,
  })),
);
const ApiTokensPage = lazy(() =>
  import('../features/api-tokens/routes/api-tokens-page.tsx').then((m) => ({ default: m.ApiTokensPage })),
);
const SingleSignOnPage = lazy(() =>
  import('../features/single-sign-on/routes/single-sign-on-page.tsx').then((m) => ({ default: m.SingleSignOnPage })),
);

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingStatus>Loading…</LoadingStatus>}>{children}</Suspense>;
}

/**
 * Each role starts where its work is: admins on Settings › Runners, members on New environment
 * (they cannot set up runners, so that page would only tell them so).
 */
function HomeRedirect() {
  const user = useSessionUser();
  return <Navigate to={user?.role === 'admin' ? '/settings/runners' : '/environments/new'} replace />;
}

/** Features do not know about each other or about the session's shape: this wires them. */
function RunnersRoute() {
  const user = useSessionUser();
  return (
    <RunnersPage
      canManageRunners={user?.role === 'admin'}
      orgName={user?.orgName}
      configureAccess={(props) => (
        <Page>
          <AddProviderStep {...props} />
        </Page>
      )}
    />
  );
}

/** The runner page's repository access comes from the SCM integrations feature, its Connections (admins) from runner-connections. */
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
      developerConnections={
        user?.role === 'admin'
          ? (runner) => (
              <Page>
                <RunnerConnections runner={runner} />
              </Page>
            )
          : undefined
      }
    />
  );
}

/** Git authentications offers Connect for each runner and provider the user is not connected to. */
function GitAuthenticationsRoute() {
  return (
    <GitAuthenticationsPage
      connectAction={(props) => (
        <Page>
          <ConnectAction {...props} />
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

function MembersRoute() {
  const user = useSessionUser();
  return <MembersPage currentUserId={user?.id} canManage={user?.role === 'admin'} />;
}

/** Runner entries are described by the SCM integrations feature, which records them. */
function AuditLogRoute() {
  const user = useSessionUser();
  return <AuditLogPage canView={user?.role === 'admin'} describeRunnerEntry={describeAuditEntry} />;
}

/** Pages outside the app frame (no session needed): their own error boundary and loading state. */
function Standalone({ children }: { children: ReactNode }) {
  return (
    <RouteErrorBoundary standalone>
      <Page>{children}</Page>
    </RouteErrorBoundary>
  );
}

/**
 * The routes, in react-router's declarative mode: the app has no loaders or actions, so the data
 * router (createBrowserRouter, about 16 KB gzip more on every page) would bring nothing. Each
 * RouteErrorBoundary does what a route's errorElement did: a page that fails to render shows the
 * error panel, and the next navigation tries again.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/sign-in"
        element={
          <RouteErrorBoundary standalone>
            <Page>
              <SignInPage />
            </Page>
          </RouteErrorBoundary>
        }
      />
      <Route
        path="/setup"
        element={
          <Standalone>
            <SetupPage />
          </Standalone>
        }
      />
      <Route
        path="/join"
        element={
          <Standalone>
            <JoinPage />
          </Standalone>
        }
      />
      <Route
        path="/reset-password"
        element={
          <Standalone>
            <ResetPasswordPage />
          </Standalone>
        }
      />
      <Route
        path="/"
        element={
          <RouteErrorBoundary standalone>
            <RequireSession>
              <AppLayout />
            </RequireSession>
          </RouteErrorBoundary>
        }
      >
        {/* A page that fails to render keeps the header and navigation around its error. */}
        <Route
          element={
            <RouteErrorBoundary>
              <Outlet />
            </RouteErrorBoundary>
          }
        >
          <Route index element={<HomeRedirect />} />
          <Route path="settings" element={<Navigate to="/settings/runners" replace />} />
          <Route
            path="environments"
            element={
              <Page>
                <EnvironmentsPage />
              </Page>
            }
          />
          <Route
            path="environments/new"
            element={
              <Page>
                <NewEnvironmentRoute />
              </Page>
            }
          />
          <Route
            path="environments/:environmentId"
            element={
              <Page>
                <EnvironmentPage />
              </Page>
            }
          />
          <Route
            path="settings/runners"
            element={
              <Page>
                <RunnersRoute />
              </Page>
            }
          />
          <Route
            path="settings/git-authentications"
            element={
              <Page>
                <GitAuthenticationsRoute />
              </Page>
            }
          />
          <Route
            path="settings/members"
            element={
              <Page>
                <MembersRoute />
              </Page>
            }
          />
          <Route
            path="settings/single-sign-on"
            element={
              <Page>
                <SingleSignOnPage />
              </Page>
            }
          />
          <Route
            path="settings/api-tokens"
            element={
              <Page>
                <ApiTokensPage />
              </Page>
            }
          />
          <Route
            path="settings/audit-log"
            element={
              <Page>
                <AuditLogRoute />
              </Page>
            }
          />
          <Route
            path="settings/account"
            element={
              <Page>
                <AccountPage />
              </Page>
            }
          />
          <Route
            path="settings/runners/:runnerId"
            element={
              <Page>
                <RunnerRoute />
              </Page>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
