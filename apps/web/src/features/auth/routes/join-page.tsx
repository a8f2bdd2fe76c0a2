import { zodResolver } from '@hookform/resolvers/zod';
import {
  AcceptInvitationRequest,
  newPasswordMinLength,
  type AcceptInvitationRequest as AcceptBody,
} from '@runner-console/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { apiClient, isApiRequestError } from '../../../lib/api-client.ts';
import { formatDate } from '../../../lib/format-time.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { authQueries } from '../api/auth-queries.ts';
import { useSignOut } from '../api/use-sign-out.ts';
import { useStartSession } from '../api/use-start-session.ts';
import { AuthCard } from '../components/auth-card.tsx';
import { applyFieldErrors } from '../components/apply-field-errors.ts';
import { useLinkToken } from '../use-link-token.ts';

/**
 * An invitation link: the invitee sets their name and password, or joins through the
 * organization's single sign-on ("Join with <name>"; the only way for a member invitation when the
 * organization requires single sign-on), and is signed in.
 */
export function JoinPage() {
  useDocumentTitle('Join your organization');
  const token = useLinkToken();
  const session = useQuery(authQueries.session());
  const signOut = useSignOut();
  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: ({ signal }) => apiClient.call('previewInvitation', { body: { token }, signal }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
  });
  const startSession = useStartSession();
  const navigate = useNavigate();
  const form = useForm({
    resolver: zodResolver(AcceptInvitationRequest),
    mode: 'onTouched',
    defaultValues: { token, name: '', password: '' },
  });
  const accept = useMutation({
    mutationFn: (body: AcceptBody) => apiClient.call('acceptInvitation', { body }),
    onSuccess: (next) => {
      startSession(next);
      void navigate('/', { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error, ['name', 'password']),
  });
  // Single sign-on: the token goes in a request body (never a URL); the answer is the identity
  // provider's address, and the browser leaves for it. It comes back to the dashboard, or to the
  // sign-in page saying why not.
  const joinWithSso = useMutation({
    mutationFn: () => apiClient.call('startInvitationSingleSignOn', { body: { token } }),
    onSuccess: ({ redirectTo }) => window.location.assign(redirectTo),
  });
  const { errors } = form.formState;

  if (!token) {
    return (
      <AuthCard title="Join your organization">
        <ErrorPanel
          title="This link is incomplete"
          message="Open the whole invitation link you were sent, including the part after #."
        />
      </AuthCard>
    );
  }
  if (preview.isPending || session.isPending) {
    return (
      <main className="centered-page" id="main">
        <LoadingStatus>Checking the invitation…</LoadingStatus>
      </main>
    );
  }
  if (preview.isError) {
    const gone = isApiRequestError(preview.error) && preview.error.status === 404;
    return (
      <AuthCard title="Join your organization">
        <ErrorPanel
          title={
            gone ? 'This invitation does not work any more' : 'The invitation could not be checked'
          }
          message={preview.error.message}
          {...(gone ? {} : { onRetry: () => void preview.refetch(), retrying: preview.isFetching })}
        >
          <p>
            <Link to="/sign-in">Sign in</Link> if you already have an account.
          </p>
        </ErrorPanel>
      </AuthCard>
    );
  }
  const invitation = preview.data;
  const signedInAs = session.data?.user;
  const onSubmit = form.handleSubmit((body) => {
    if (!accept.isPending) accept.mutate({ ...body, token });
  });

  return (
    <AuthCard
      title={`Join ${invitation.orgName}`}
      lead={
        <p>
          You are invited as {invitation.role === 'admin' ? 'an admin' : 'a member'} with the e-mail{' '}
          <strong>{invitation.email}</strong>. The invitation works once, until{' '}
          {formatDate(invitation.expiresAt)}.
        </p>
      }
    >
      {signedInAs ? (
        <div className="callout callout--warning" role="note">
          <p className="callout__title">You are signed in as {signedInAs.email}</p>
          <p>Sign out first: this invitation makes a new account for {invitation.email}.</p>
          <Button onClick={() => signOut.mutate()} pending={signOut.isPending}>
            Sign out
          </Button>
        </div>
      ) : (
        <>
          {invitation.singleSignOn ? (
            <div className="sign-in__sso">
              <Button
                variant={invitation.singleSignOn.required ? 'primary' : 'secondary'}
                className="button--block"
                pending={joinWithSso.isPending || joinWithSso.isSuccess}
                onClick={() => {
                  if (!joinWithSso.isPending && !joinWithSso.isSuccess) joinWithSso.mutate();
                }}
              >
                Join with {invitation.singleSignOn.displayName}
              </Button>
              {joinWithSso.isError ? (
                <div className="form-alert" role="alert">
                  {joinWithSso.error.message}
                </div>
              ) : null}
              {invitation.singleSignOn.required ? (
                <p>
                  {invitation.orgName} signs in with {invitation.singleSignOn.displayName}. Sign in
                  there as <strong>{invitation.email}</strong>.
                </p>
              ) : (
                <p className="sign-in__divider">or with a name and password</p>
              )}
            </div>
          ) : null}
          {invitation.singleSignOn?.required ? null : (
            <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
              <input
                type="email"
                name="email"
                autoComplete="username"
                value={invitation.email}
                readOnly
                hidden
              />
              <TextField
                label="Your name"
                autoComplete="name"
                error={errors.name?.message}
                {...form.register('name')}
              />
              <PasswordField
                label="Password"
                autoComplete="new-password"
                hint={`At least ${newPasswordMinLength} characters.`}
                error={errors.password?.message}
                {...form.register('password')}
              />
              {accept.isError && !Object.keys(errors).length ? (
                <div className="form-alert" role="alert">
                  {accept.error.message}
                </div>
              ) : null}
              <Button
                type="submit"
                variant="primary"
                className="button--block"
                pending={accept.isPending}
              >
                Join {invitation.orgName}
              </Button>
            </form>
          )}
        </>
      )}
    </AuthCard>
  );
}
