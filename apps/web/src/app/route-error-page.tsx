import { Component } from 'react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { Location } from 'react-router';
import { Button } from '../components/ui/button.tsx';
import { useDocumentTitle } from '../lib/use-document-title.ts';

/** Shown when rendering a page throws: say so plainly and offer a way on. */
export function RouteErrorPage({ standalone = false }: { standalone?: boolean }) {
  useDocumentTitle('Something went wrong');
  const panel = (
    <div className="error-panel" role="alert">
      <p className="error-panel__title">Something went wrong on this page</p>
      <p className="error-panel__message">
        Reload the page to try again. If it keeps happening, tell your administrator what you were
        doing.
      </p>
      <div className="error-panel__actions">
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload page
        </Button>
        <Link to="/settings/runners">Go to Runners</Link>
      </div>
    </div>
  );
  // Inside the layout the panel sits in its <main>; on its own it needs one.
  return standalone ? (
    <main className="centered-page" id="main">
      {panel}
    </main>
  ) : (
    <div className="page">{panel}</div>
  );
}

/** Renders RouteErrorPage in place of children that threw while rendering, until the next navigation. */
export function RouteErrorBoundary({
  standalone = false,
  children,
}: {
  standalone?: boolean;
  children: ReactNode;
}) {
  const location = useLocation();
  return (
    <ErrorBoundary location={location} fallback={<RouteErrorPage standalone={standalone} />}>
      {children}
    </ErrorBoundary>
  );
}

interface ErrorBoundaryProps {
  location: Location;
  fallback: ReactNode;
  children: ReactNode;
}

interface ErrorBoundaryState {
  failed: boolean;
  location: Location;
}

class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false, location: this.props.location };

  static getDerivedStateFromError(): Partial<ErrorBoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(
    props: ErrorBoundaryProps,
    state: ErrorBoundaryState,
  ): Partial<ErrorBoundaryState> | null {
    // A navigation renders the (new) page again rather than the old error.
    return props.location === state.location ? null : { failed: false, location: props.location };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
