import { findProviderModule, getScmProvider, parseContextUrl, servedHostsOf, type ServedHost } from '@runner-console/scm-providers';
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
import { servedHostsQuery } from '../api/served-hosts-query.ts';
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

/** The hint names where links work: the served hosts, and the origins that stand for them (the emulators). */
function defaultHint(served: readonly ServedHost[]): string {
  const where = served.flatMap((entry) => [entry.host, ...(entry.origins ?? []).filter((origin) => origin !== `https://${entry.host}`)]);
  if (where.length === 0) return 'A repository, branch, tag, commit or pull request URL, or a clone URL.';
  return `A repository, branch, tag, commit or pull request on ${where.join(' or ')}, or a clone URL.`;
}
const EMPTY_URL_MESSAGE = 'Paste a repository, branch, tag, commit or pull request URL.';

/**
 * New environment: a context URL and a runner. As the URL is typed, the page recognizes what it
 * points at and asks whether the user is connected to its host on that runner. The form's values
 * live in the address (`?contextUrl=…&runnerId=…` after Connect's same-tab path), so nothing typed
 * is lost on the way to the provider and back.
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

  // Links on the hosts the runner's integrations serve, and on the origins its configuration gives
  // for them (the emulators under `npm start`), are read by their provider's parser. Until the
  // integrations are known, the cloud hosts of the supported providers are.
  const servedHosts = useQuery({ ...servedHostsQuery(runner ?? { id: '', providerSites: [] }), enabled: Boolean(runner) });
  const parseOptions = { served: servedHosts.data ?? servedHostsOf({ sites: runner?.providerSites ?? [] }) };
  const debouncedUrl = useDebouncedValue(contextUrl.trim(), 300);
  const recognition = debouncedUrl ? parseContextUrl(debouncedUrl, parseOptions) : null;
  // The provider of the link as typed, else of the first host the runner serves: names in the texts.
  const providerId = recognition?.ok ? recognition.context.provider : parseOptions.served[0]?.provider;
  const providerName = providerId ? getScmProvider(providerId).name : 'your provider';
  const firstServed = parseOptions.served[0];
  const placeholder = (firstServed && findProviderModule(firstServed.provider)?.exampleUrl) ?? 'https://host/owner/repository';
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
    const parsed = parseContextUrl(url, parseOptions);
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
  let hint: ReactNode = defaultHint(parseOptions.served);
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
            Start from a repository, branch, tag, commit or pull request. The runner clones it with
            your own account on its host.
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
          placeholder={placeholder}
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
              ? `${runner.name} is reading the URL with your ${providerName} account…`
              : notConnected && authentication.data?.integrationAvailable
                ? `Connect ${providerName} above, then create the environment.`
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
