import type { GitAuthentication } from '@runner-console/contracts';
import { useState } from 'react';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogTrigger,
} from '../../../components/ui/alert-dialog.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useDisconnectGitAuthentication } from '../api/use-disconnect-git-authentication.ts';
import { findScmProviderByHost, getScmProvider } from '@runner-console/scm-providers';
import { providerNameOf } from '../git-authentication-labels.ts';

/** Disconnect one connection, after a confirmation that says what it does and does not do. */
export function DisconnectButton({
  authentication,
  appAuthorizationsUrl,
}: {
  authentication: GitAuthentication;
  appAuthorizationsUrl: string;
}) {
  const [open, setOpen] = useState(false);
  const disconnect = useDisconnectGitAuthentication();
  const toast = useToast();
  const provider = providerNameOf(authentication);
  const catalogued = authentication.provider ? getScmProvider(authentication.provider) : findScmProviderByHost(authentication.host);
  // This connection's own page when the BFF names one (null: there is none to link); the list's otherwise.
  const authorizationsUrl = authentication.appAuthorizationsUrl === undefined ? appAuthorizationsUrl : authentication.appAuthorizationsUrl;
  const apiTokens = catalogued?.apiTokens;
  // Providers with a revoke endpoint: the runner revokes the grant there after deleting the token.
  const revokesAtProvider = Boolean(catalogued?.oauth?.revokeEndpoint);
  const what = `${provider} (${authentication.accountName}) on ${authentication.runnerName}`;

  function confirm() {
    disconnect.mutate(authentication, {
      onSuccess: () => {
        setOpen(false);
        toast({ title: `${provider} disconnected`, description: `${what} was removed.`, tone: 'success' });
      },
    });
  }

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (disconnect.isPending) return;
        setOpen(next);
        if (!next) disconnect.reset();
      }}
    >
      <AlertDialogTrigger>
        <Button variant="secondary">
          Disconnect<span className="visually-hidden"> {what}</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent
        title={`Disconnect ${provider}?`}
        busy={disconnect.isPending}
        description={
          <>
            {authentication.method === 'api_token' ? (
              <p>
                Runner Console deletes your {apiTokens?.label ?? 'API token'} from the runner. The
                token itself keeps working until it expires: revoke it on{' '}
                <a href={apiTokens?.createUrl} target="_blank" rel="noreferrer noopener">
                  {apiTokens?.createPageLabel ?? `${provider}’s token page`}
                </a>{' '}
                if nothing else uses it.
              </p>
            ) : revokesAtProvider ? (
              <p>
                Runner Console deletes the token from the runner and revokes the app&apos;s access on{' '}
                {provider}.
              </p>
            ) : (
              <p>
                {provider} has no endpoint to revoke access, so Runner Console deletes the token from
                the runner. To remove the app&apos;s access on {provider} too,{' '}
                {authorizationsUrl ? (
                  <>
                    open{' '}
                    <a href={authorizationsUrl} target="_blank" rel="noreferrer noopener">
                      {provider}&apos;s app authorizations page
                    </a>
                    .
                  </>
                ) : (
                  <>revoke it in your {provider} account&apos;s settings, under {authentication.host}.</>
                )}
              </p>
            )}
            <p>
              {authentication.runnerName} can no longer use {authentication.accountName}&apos;s
              account until you connect again.
            </p>
          </>
        }
      >
        {disconnect.error ? (
          <p className="form-alert" role="alert">
            {disconnect.error.message}
          </p>
        ) : null}
        <div className="dialog__actions">
          <AlertDialogCancel>
            <Button variant="secondary">Cancel</Button>
          </AlertDialogCancel>
          <Button variant="danger" onClick={confirm} pending={disconnect.isPending}>
            Disconnect
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  );
}

