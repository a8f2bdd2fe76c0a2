import { useQuery } from '@tanstack/react-query';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { ssoSettingsQueries } from '../api/sso-settings-queries.ts';
import { SsoSettingsForm } from '../components/sso-settings-form.tsx';

/** Settings › Single sign-on (admins): one OpenID Connect provider for the organization. */
export function SingleSignOnPage() {
  useDocumentTitle('Single sign-on');
  const query = useQuery(ssoSettingsQueries.detail());
  const settings = query.data;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">Settings</p>
          <h1>Single sign-on</h1>
          <p className="page-header__lead">
            Let people sign in through your company’s identity provider with OpenID Connect (Okta,
            Microsoft Entra ID, Google Workspace, Keycloak, …).
          </p>
        </div>
      </header>
      <QueryState query={query} loading="Loading single sign-on settings…" errorTitle="Single sign-on settings could not be loaded" />
      {settings ? (
        <>
          <section className="panel" aria-labelledby="sso-register-heading">
            <h2 id="sso-register-heading">1. Register Runner Console at your provider</h2>
            <p className="muted">
              Create a web application (confidential client, authorization code flow) with the scopes
              openid, email and profile, and this redirect URI:
            </p>
            <CopyField label="Redirect URI" value={settings.redirectUri} multiline />
          </section>
          <section className="panel" aria-labelledby="sso-settings-heading">
            <h2 id="sso-settings-heading">2. {settings.configured ? 'Settings' : 'Connect your provider'}</h2>
            {settings.configured ? (
              <p className="muted">
                On: the sign-in page offers “Sign in with {settings.displayName}”
                {settings.requireSso ? ', and members can sign in only that way.' : '.'}
              </p>
            ) : null}
            <SsoSettingsForm key={settings.updatedAt ?? 'new'} settings={settings} />
          </section>
        </>
      ) : null}
    </div>
  );
}
