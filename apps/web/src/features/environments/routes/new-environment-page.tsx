import { parseBitbucketContextUrl } from '@runner-console/scm-providers';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ChangeEvent, FormEvent, ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { runnerListQuery } from '../../../lib/runner-list-query.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useCreateEnvironment } from '../api/use-create-environment.ts';
import { describeRecognizedContext } from '../environment-labels.ts';
import '../../../styles/connect.css';

/** What the page hands to the authorization slot (filled by Connect, wired in the router). */
export interface AuthorizationSlotProps {
  runnerId: string;
  runnerName: string;
  runnerPublicUrl: string | null;
  host: string;
  /** A path back to this page with the form filled in, for Connect's same-tab path. */
  returnTo: string;
}

/** The hint names where links work: bitbucket.org, and the runner's own Bitbucket (the emulator). */
function defaultHint(siteOrigins: readonly string[]): string {
  const others = siteOrigins.filter((origin) => origin !== 'https://bitbucket.org');
  const where = ['bitbucket.org', ...others].join(' or ');
  return `A repository, branch, commit or pull request on ${where}, or a clone URL.`;
}
const EMPTY_URL_MESSAGE = 'Paste a Bitbucket repository, branch, commit or pull request URL.';

/**
 * New environment: a context URL and a runner. As the URL is typed, the page recognizes what it
 * points at and asks whether the user is connected to its host on that runner. The form's values
 * live in the address (`?contextUrl=…&runnerId=…` after Connect's same-tab path), so nothing typed
 * is lost on the way to Bitbucket and back.
 */
export function NewEnvironmentPage({
  authorization,
}: {
  authorization: (props: AuthorizationSlotProps) => ReactNode;
}) {
  useDocumentTitle('New environment');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const runnerSelectId = useId();
  const runners = useQuery(runnerListQuery());
  const create = useCreateEnvironment();

  const [contextUrl, setContextUrl] = useState(() => searchParams.get('contextUrl') ?? '');
  const [chosenRunnerId, setChosenRunnerId] = useState(() => searchParams.get('runnerId'));
  const [emptyUrlError, setEmptyUrlError] = useState(false);

  const activeRunners = runners.data?.runners.filter((r) => r.phase === 'active') ?? [];
  const runner = activeRunners.find((r) => r.id === chosenRunnerId) ?? activeRunners[0] ?? null;

  // Links on the origin the runner's configuration serves Bitbucket from (the emulator under
  // `npm start`) are bitbucket.org links on that runner.
  const siteOrigins = (runner?.providerSites ?? [])
    .filter((site) => site.host === 'bitbucket.org')
    .map((site) => site.origin);
  const parseOptions = { siteOrigins };
  const debouncedUrl = useDebouncedValue(contextUrl.trim(), 300);
  const recognition = debouncedUrl ? parseBitbucketContextUrl(debouncedUrl, parseOptions) : null;
  const host = recognition
    ? recognition.ok
      ? recognition.context.host
      : recognition.reason === 'not_a_repository'
        ? (recognition.host ?? null)
        : null
    : null;

  const authentication = useQuery({
    ...hostAuthenticationQueries.check(runner?.id ?? '', host ?? ''),
    enabled: Boolean(runner && host),
  });
  const notConnected =
    authentication.data !== undefined &&
    (!authentication.data.integrationAvailable || !authentication.data.authenticated);

  const submitError = create.error;
  const serverFieldError = isApiRequestError(submitError)
    ? submitError.fields.contextUrl
    : undefined;
  // A URL the page already knows cannot work (another host, not a link, not a repository): its one
  // message is the field's error, saying what is wrong, and Create waits for a URL that can.
  const urlCannotWork = recognition !== null && !recognition.ok;
  const fieldError = emptyUrlError
    ? EMPTY_URL_MESSAGE
    : (serverFieldError ?? (recognition && !recognition.ok ? recognition.message : undefined));
  const pageError = submitError && !fieldError ? submitError : null;

  const returnTo = `/environments/new?${new URLSearchParams({
    contextUrl: contextUrl.trim(),
    ...(runner ? { runnerId: runner.id } : {}),
  }).toString()}`;

  function handleUrlChange(event: ChangeEvent<HTMLInputElement>) {
    setContextUrl(event.target.value);
    setEmptyUrlError(false);
    if (create.error) create.reset();
  }

  function handleRunnerChange(event: ChangeEvent<HTMLSelectElement>) {
    setChosenRunnerId(event.target.value);
    if (create.error) create.reset();
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const url = contextUrl.trim();
    if (!url) {
      setEmptyUrlError(true);
      return;
    }
    // Enter pressed before the typed URL was checked: check it now, and send only one that can work.
    const parsed = parseBitbucketContextUrl(url, parseOptions);
    if (!runner || !parsed.ok) return;
    const submittedHost = parsed.context.host;
    const runnerId = runner.id;
    create.mutate(
      { contextUrl: url, runnerId },
      {
        onSuccess: (environment) =>
          void navigate(`/environments/${encodeURIComponent(environment.id)}`),
        onError: (error) => {
          // Not connected, connection revoked, integration removed: the panel must show it now.
          if (isApiRequestError(error) && error.status < 500) {
            void queryClient.invalidateQueries({
              queryKey: hostAuthenticationQueries.check(runnerId, submittedHost).queryKey,
            });
          }
        },
      },
    );
  }

  // One message at a time: the server's error replaces the green "Repository acme/nope".
  let hint: ReactNode = defaultHint(siteOrigins);
  if (fieldError) {
    hint = undefined;
  } else if (recognition?.ok) {
    hint = (
      <span className="recognized-context">{describeRecognizedContext(recognition.context)}</span>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">Environments</p>
          <h1>New environment</h1>
          <p className="page-header__lead">
            Start from a Bitbucket repository, branch, commit or pull request. The runner clones it
            with your own Bitbucket account.
          </p>
        </div>
      </header>

      <form className="form environment-form" onSubmit={submit} noValidate>
        <TextField
          label="Context URL"
          name="contextUrl"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://bitbucket.org/workspace/repository"
          value={contextUrl}
          onChange={handleUrlChange}
          hint={hint ? <span aria-live="polite">{hint}</span> : undefined}
          error={fieldError}
        />

        <div className="field">
          <label className="field__label" htmlFor={runnerSelectId}>
            Runner
          </label>
          <QueryState
            query={runners}
            loading="Loading runners…"
            errorTitle="Runners could not be loaded"
          />
          {runners.data ? (
            activeRunners.length > 0 ? (
              <select
                id={runnerSelectId}
                className="select"
                value={runner?.id ?? ''}
                onChange={handleRunnerChange}
              >
                {activeRunners.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            ) : (
              <p className="note" id={runnerSelectId}>
                No runner is active right now. Ask an admin of your organization to start one.
              </p>
            )
          ) : null}
        </div>

        {runner && host
          ? authorization({
              runnerId: runner.id,
              runnerName: runner.name,
              runnerPublicUrl: runner.publicUrl,
              host,
              returnTo,
            })
          : null}

        {pageError ? (
          <ErrorPanel
            title="The environment was not created"
            message={pageError.message}
            onRetry={() => submit()}
            retrying={create.isPending}
          />
        ) : null}

        <div className="form-actions">
          <Button
            type="submit"
            variant="primary"
            pending={create.isPending}
            disabled={!runner || notConnected || urlCannotWork}
          >
            Create environment
          </Button>
          <p role="status" className="muted">
            {create.isPending && runner
              ? `${runner.name} is reading the URL with your Bitbucket account…`
              : notConnected && authentication.data?.integrationAvailable
                ? 'Connect Bitbucket above, then create the environment.'
                : ''}
          </p>
        </div>
        <p>
          <Link to="/environments">Your environments</Link>
        </p>
      </form>
    </div>
  );
}
