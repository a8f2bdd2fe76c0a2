import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Button } from '../components/ui/button.tsx';
import { useDocumentTitle } from '../lib/use-document-title.ts';

/** Shown when rendering a page throws: say so plainly and offer a way on. */
export function RouteErrorPage({ standalone = false }: { standalone?: boolean }) {
  useDocumentTitle('Something went wrong');
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : null;
  const panel = (
    <div className="error-panel" role="alert">
      <p className="error-panel__title">Something went wrong on this page</p>
      <p className="error-panel__message">
        Reload the page to try again. If it keeps happening, tell your administrator what you were
        doing.
        {detail ? ` (${detail})` : null}
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
