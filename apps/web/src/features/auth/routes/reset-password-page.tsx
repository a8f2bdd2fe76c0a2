import { zodResolver } from '@hookform/resolvers/zod';
import { CompletePasswordResetRequest, newPasswordMinLength } from '@runner-console/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { apiClient, isApiRequestError } from '../../../lib/api-client.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { AuthCard } from '../components/auth-card.tsx';
import { applyFieldErrors } from '../components/apply-field-errors.ts';
import { useLinkToken } from '../use-link-token.ts';

/** A password reset link from an admin: set a new password, then sign in with it. */
export function ResetPasswordPage() {
  useDocumentTitle('Set a new password');
  const token = useLinkToken();
  const preview = useQuery({
    queryKey: ['password-reset-preview', token],
    queryFn: ({ signal }) => apiClient.call('previewPasswordReset', { body: { token }, signal }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
  });
  const form = useForm({
    resolver: zodResolver(CompletePasswordResetRequest),
    mode: 'onTouched',
    defaultValues: { token, password: '' },
  });
  const complete = useMutation({
    mutationFn: (password: string) =>
      apiClient.call('completePasswordReset', { body: { token, password } }),
    onError: (error) => applyFieldErrors(form, error, ['password']),
  });
  const { errors } = form.formState;

  if (!token) {
    return (
      <AuthCard title="Set a new password">
        <ErrorPanel
          title="This link is incomplete"
          message="Open the whole link your admin sent, including the part after #."
        />
      </AuthCard>
    );
  }
  if (complete.isSuccess) {
    return (
      <AuthCard title="Your password is set">
        <p role="status">Sign in with your new password. Your other sessions were signed out.</p>
        <Link className="button button--primary button--block" to="/sign-in">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  if (preview.isPending) {
    return (
      <main className="centered-page" id="main">
        <LoadingStatus>Checking the link…</LoadingStatus>
      </main>
    );
  }
  if (preview.isError) {
    const gone = isApiRequestError(preview.error) && preview.error.status === 404;
    return (
      <AuthCard title="Set a new password">
        <ErrorPanel
          title={gone ? 'This link does not work any more' : 'The link could not be checked'}
          message={preview.error.message}
          {...(gone ? {} : { onRetry: () => void preview.refetch(), retrying: preview.isFetching })}
        />
      </AuthCard>
    );
  }
  const onSubmit = form.handleSubmit(({ password }) => {
    if (!complete.isPending) complete.mutate(password);
  });
  return (
    <AuthCard
      title="Set a new password"
      lead={<p>For {preview.data.email}. The link works once.</p>}
    >
      <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
        <input
          type="email"
          name="email"
          autoComplete="username"
          value={preview.data.email}
          readOnly
          hidden
        />
        <PasswordField
          label="New password"
          autoComplete="new-password"
          hint={`At least ${newPasswordMinLength} characters.`}
          error={errors.password?.message}
          {...form.register('password')}
        />
        {complete.isError && !errors.password ? (
          <div className="form-alert" role="alert">
            {complete.error.message}
          </div>
        ) : null}
        <Button
          type="submit"
          variant="primary"
          className="button--block"
          pending={complete.isPending}
        >
          Set password
        </Button>
      </form>
    </AuthCard>
  );
}
