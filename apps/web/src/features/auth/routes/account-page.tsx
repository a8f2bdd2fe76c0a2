import { zodResolver } from '@hookform/resolvers/zod';
import { ChangePasswordRequest, newPasswordMinLength } from '@runner-console/contracts';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/ui/button.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { apiClient } from '../../../lib/api-client.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useSessionUser } from '../use-session-user.ts';
import { applyFieldErrors } from '../components/apply-field-errors.ts';

/** Settings › Account: who you are, and your own password. */
export function AccountPage() {
  useDocumentTitle('Account');
  const user = useSessionUser();
  const toast = useToast();
  const form = useForm({
    resolver: zodResolver(ChangePasswordRequest),
    mode: 'onTouched',
    defaultValues: { currentPassword: '', newPassword: '' },
  });
  const change = useMutation({
    mutationFn: (body: ChangePasswordRequest) => apiClient.call('changeOwnPassword', { body }),
    onSuccess: () => {
      form.reset();
      toast({
        title: 'Your password is changed',
        description: 'Your other sessions were signed out.',
        tone: 'success',
      });
    },
    onError: (error) => applyFieldErrors(form, error, ['currentPassword', 'newPassword']),
  });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit((body) => {
    if (!change.isPending) change.mutate(body);
  });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">Settings</p>
          <h1>Account</h1>
        </div>
      </header>
      {user ? (
        <section className="panel" aria-labelledby="account-details">
          <h2 id="account-details">You</h2>
          <dl className="details">
            <div className="details__row">
              <dt>Name</dt>
              <dd>{user.name}</dd>
            </div>
            <div className="details__row">
              <dt>Email</dt>
              <dd>{user.email}</dd>
            </div>
            <div className="details__row">
              <dt>Role</dt>
              <dd>
                {user.role === 'admin' ? 'Admin' : 'Member'} of {user.orgName}
              </dd>
            </div>
          </dl>
        </section>
      ) : null}
      <section aria-labelledby="change-password" className="panel">
        <h2 id="change-password">Change password</h2>
        <form className="form form--narrow" noValidate onSubmit={(event) => void onSubmit(event)}>
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={user?.email ?? ''}
            readOnly
            hidden
          />
          <PasswordField
            label="Current password"
            autoComplete="current-password"
            error={errors.currentPassword?.message}
            {...form.register('currentPassword')}
          />
          <PasswordField
            label="New password"
            autoComplete="new-password"
            hint={`At least ${newPasswordMinLength} characters. Your other sessions are signed out.`}
            error={errors.newPassword?.message}
            {...form.register('newPassword')}
          />
          {change.isError && !Object.keys(errors).length ? (
            <div className="form-alert" role="alert">
              {change.error.message}
            </div>
          ) : null}
          <div>
            <Button type="submit" variant="primary" pending={change.isPending}>
              Change password
            </Button>
          </div>
        </form>
      </section>
    </div>
  );
}
