import { useEffect, useRef } from 'react';
import type { MouseEvent, RefObject } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useNavigationType } from 'react-router';
import { Button } from '../components/ui/button.tsx';
import { useToast } from '../components/ui/toast.tsx';
import { useSignOut } from '../features/auth/api/use-sign-out.ts';
import { useEnvironmentLiveUpdates } from '../features/environments/api/use-environment-live-updates.ts';
import { useSessionUser } from '../features/auth/use-session-user.ts';
import { useRunnerLiveUpdates } from '../features/runners/api/use-runner-live-updates.ts';
import { useSessionCheckOnEventLoss } from './use-session-check-on-event-loss.ts';

/**
 * Settings pages after Runners and Git authentications. Single sign-on and API tokens go here too
 * (admins only), each a line.
 */
const settingsPages: { path: string; label: string; adminOnly: boolean }[] = [
  { path: '/settings/members', label: 'Members', adminOnly: true },
  { path: '/settings/single-sign-on', label: 'Single sign-on', adminOnly: true },
  { path: '/settings/api-tokens', label: 'API tokens', adminOnly: true },
  { path: '/settings/audit-log', label: 'Audit log', adminOnly: true },
  { path: '/settings/account', label: 'Account', adminOnly: false },
];

/** The signed-in frame: header, navigation, main content; and the app-wide live updates. */
export function AppLayout() {
  const user = useSessionUser();
  const mainRef = useRef<HTMLElement>(null);
  const signOut = useSignOut();
  const navigate = useNavigate();
  const toast = useToast();

  useRunnerLiveUpdates();
  useEnvironmentLiveUpdates();
  useSessionCheckOnEventLoss();
  useFocusMainOnNavigation(mainRef);

  if (!user) return null;

  function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    mainRef.current?.focus();
  }

  function handleSignOut() {
    signOut.mutate(undefined, {
      onSuccess: () => void navigate('/sign-in', { replace: true }),
      onError: (error) =>
        toast({ title: 'You are still signed in', description: error.message, tone: 'error' }),
    });
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header__brand">
          <Link to="/" className="app-header__product">
            <span className="brand-mark" aria-hidden="true" />
            Runner Console
          </Link>
          <span className="app-header__org">
            <span className="visually-hidden">Organization: </span>
            {user.orgName}
          </span>
        </div>
        <div className="app-header__user">
          <span
            className="app-header__email"
            title={`${user.name} (${user.role === 'admin' ? 'admin' : 'member'})`}
          >
            <span className="visually-hidden">Signed in as </span>
            {user.email}
          </span>
          <Button variant="ghost" onClick={handleSignOut} pending={signOut.isPending}>
            Sign out
          </Button>
        </div>
      </header>
      <div className="app-body">
        <nav className="side-nav" aria-label="Main">
          <ul aria-label="Environments">
            <li>
              <NavLink to="/environments/new" className="side-nav__link">
                New environment
              </NavLink>
            </li>
            <li>
              {/* `end`: the New environment page is not also "Environments". */}
              <NavLink to="/environments" end className="side-nav__link">
                Environments
              </NavLink>
            </li>
          </ul>
          <p className="side-nav__group" id="side-nav-settings">
            Settings
          </p>
          <ul aria-labelledby="side-nav-settings">
            <li>
              <NavLink to="/settings/runners" className="side-nav__link">
                Runners
              </NavLink>
            </li>
            <li>
              <NavLink to="/settings/git-authentications" className="side-nav__link">
                Git authentications
              </NavLink>
            </li>
            {settingsPages
              .filter((page) => !page.adminOnly || user.role === 'admin')
              .map((page) => (
                <li key={page.path}>
                  <NavLink to={page.path} className="side-nav__link">
                    {page.label}
                  </NavLink>
                </li>
              ))}
          </ul>
          <p className="side-nav__group" id="side-nav-developers">
            Developers
          </p>
          <ul aria-labelledby="side-nav-developers">
            <li>
              {/* A page of the BFF, not of the SPA: a plain link loads it. */}
              <a href="/api/docs" className="side-nav__link">
                API reference
              </a>
            </li>
          </ul>
        </nav>
        <main className="app-main" id="main" ref={mainRef} tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/**
 * After a link or back/forward navigation, focus moves to the new content, as on a page load.
 * Redirects (replace) keep focus where it is, so the first Tab still reaches "Skip to content".
 * A new page opens at its top, as on a page load: focusing main must not scroll it (main is taller
 * than the window, so the browser would scroll its top edge up, and the header off screen).
 */
function useFocusMainOnNavigation(mainRef: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const navigationType = useNavigationType();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    if (navigationType === 'PUSH') window.scrollTo(0, 0);
    if (navigationType !== 'REPLACE') mainRef.current?.focus({ preventScroll: true });
  }, [pathname, navigationType, mainRef]);
}
