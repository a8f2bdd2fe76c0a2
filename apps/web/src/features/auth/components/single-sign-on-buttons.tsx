import { useQuery } from '@tanstack/react-query';
import { SsoErrorCode, ssoErrorMessages } from '@runner-console/contracts';
import { authQueries } from '../api/auth-queries.ts';

/**
 * "Sign in with <provider>" for each organization that set up single sign-on: a plain link, since
 * the sign-in is a chain of browser navigations (Runner Console → provider → back). `ssoError` is
 * why the last attempt ended here; only the fixed messages are shown, never text from the URL.
 */
export function SingleSignOnButtons({ ssoError }: { ssoError: string | null }) {
  const options = useQuery(authQueries.signInOptions());
  const error = SsoErrorCode.safeParse(ssoError);
  const choices = options.data?.singleSignOn ?? [];
  return (
    <>
      {error.success ? (
        <div className="form-alert" role="alert">
          {ssoErrorMessages[error.data]}
        </div>
      ) : null}
      {choices.length > 0 ? (
        <div className="sign-in__sso">
          {choices.map((choice) => (
            <a
              key={choice.orgId}
              className="button button--secondary button--block"
              href={`/api/auth/sso/start?${new URLSearchParams({ org: choice.orgId })}`}
            >
              Sign in with {choice.displayName}
              {choices.length > 1 ? ` (${choice.orgName})` : ''}
            </a>
          ))}
          <p className="sign-in__divider">or with your password</p>
        </div>
      ) : null}
    </>
  );
}
