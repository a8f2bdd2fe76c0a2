import { zodResolver } from '@hookform/resolvers/zod';
import { SetupRequest, newPasswordMinLength } from '@runner-console/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useNavigate } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { apiClient } from '../../../lib/api-client.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { authQueries } from '../api/auth-queries.ts';
import { useStartSession } from '../api/use-start-session.ts';
import { AuthCard } from '../components/auth-card.tsx';
import { applyFieldErrors } from '../components/apply-field-errors.ts';

const fields = ['orgName', 'name', 'email', 'password', 'code'] as const;

/** First-run set-up: the organization and its first admin, with the one-time code from the log. */
export function SetupPage() {
  useDocumentTitle('Set up Runner Console');
  const needed = useQuery(authQueries.setupNeeded());
  const startSession = useStartSession();
  const navigate = useNavigate();
  const form = useForm({
    resolver: zodResolver(SetupRequest),
    mode: 'onTouched',
    defaultValues: { orgName: '', name: '', email: '', password: '', code: '' },
  });
  const setup = useMutation({
    mutationFn: (body: SetupRequest) => apiClient.call('completeSetup', { body }),
    onSuccess: (session) => {
      startSession(session);
      void navigate('/settings/members', { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error, fields),
  });
  const { errors } = form.formState;

  if (needed.isPending) {
    return (
      <main className="centered-page" id="main">
        <LoadingStatus>Loading…</LoadingStatus>
      </main>
    );
  }
  if (needed.isError) {
    return (
      <main className="centered-page" id="main">
        <ErrorPanel
          title="Runner Console could not be reached"
          message={needed.error.message}
          onRetry={() => void needed.refetch()}
          retrying={needed.isFetching}
        />
      </main>
    );
  }
  // Set up already (here or on another instance): this page no longer exists.
  if (!needed.data && !setup.isSuccess) return <Navigate to="/sign-in" replace />;

  const onSubmit = form.handleSubmit((body) => {
    if (!setup.isPending) setup.mutate(body);
  });

  return (
    <AuthCard
      title="Set up Runner Console"
      lead={
        <p>
          Create your organization and its first admin account. The set-up code is in the log of
          Runner Console's server, on the line that holds <q>set-up code</q> (with{' '}
          <code>npm start</code>, it is also printed when it starts).
        </p>
      }
    >
      <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
        <TextField
          label="Organization name"
          autoComplete="organization"
          error={errors.orgName?.message}
          {...form.register('orgName')}
        />
        <TextField
          label="Your name"
          autoComplete="name"
          error={errors.name?.message}
          {...form.register('name')}
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          error={errors.email?.message}
          {...form.register('email')}
        />
        <PasswordField
          label="Password"
          autoComplete="new-password"
          hint={`At least ${newPasswordMinLength} characters. A few unrelated words make a good password.`}
          error={errors.password?.message}
          {...form.register('password')}
        />
        <TextField
          label="Set-up code"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="characters"
          hint="Like ABCD-EFGH-JKLM-NPQR."
          error={errors.code?.message}
          {...form.register('code')}
        />
        {setup.isError && !Object.keys(errors).length ? (
          <div className="form-alert" role="alert">
            {setup.error.message}
          </div>
        ) : null}
        <Button type="submit" variant="primary" className="button--block" pending={setup.isPending}>
          Create organization
        </Button>
        <p className="muted">
          Already set up? <Link to="/sign-in">Sign in</Link>
        </p>
      </form>
    </AuthCard>
  );
}
