import { zodResolver } from '@hookform/resolvers/zod';
import { SignInRequest } from '@runner-console/contracts';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/ui/button.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useSignIn } from '../api/use-sign-in.ts';

/** E-mail and password. On success the session query holds the user and the page moves on. */
export function SignInForm() {
  const signIn = useSignIn();
  const form = useForm({
    resolver: zodResolver(SignInRequest),
    mode: 'onTouched',
    defaultValues: { email: '', password: '' },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((credentials) => {
    if (signIn.isPending) return;
    signIn.mutate(credentials, {
      onError: (error) => {
        const fields = isApiRequestError(error) ? error.fields : {};
        if (fields.email) form.setError('email', { message: fields.email });
        if (fields.password) form.setError('password', { message: fields.password });
        if (isApiRequestError(error) && error.code === 'unauthenticated') {
          form.resetField('password');
          form.setFocus('password');
        }
      },
    });
  });

  return (
    <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        spellCheck={false}
        autoCapitalize="none"
        error={errors.email?.message}
        {...form.register('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...form.register('password')}
      />
      {signIn.isError ? (
        <div className="form-alert" role="alert">
          {signIn.error.message}
        </div>
      ) : null}
      <Button type="submit" variant="primary" className="button--block" pending={signIn.isPending}>
        Sign in
      </Button>
    </form>
  );
}
