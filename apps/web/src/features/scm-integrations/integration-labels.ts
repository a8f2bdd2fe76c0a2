import type { AuditEntry, ScmIntegration } from '@runner-console/contracts';
import { getScmProvider } from '@runner-console/scm-providers';
import type { StatusTone } from '../../components/ui/status-badge.tsx';

/** The Edit modal's title and description, shared by the row's Edit and the picker's Edit offer. */
export function editIntegrationDialogText(integration: Pick<ScmIntegration, 'provider' | 'host'>): {
  title: string;
  description: string;
} {
  const providerName = getScmProvider(integration.provider).name;
  return {
    title: `Edit ${providerName} integration`,
    description: `Change the OAuth app this runner uses for ${providerName} (${integration.host}).`,
  };
}

/** What the row's status says, in words an admin acts on. */
export function describeValidation(
  integration: Pick<ScmIntegration, 'validation' | 'secretNeedsReentry'>,
  providerName: string,
): { label: string; tone: StatusTone } {
  // After a key rotation the old secret keeps working until it is re-entered: a to-do, not a fault.
  if (integration.secretNeedsReentry) return { label: 'Re-enter the secret', tone: 'warning' };
  switch (integration.validation.status) {
    case 'valid':
      return { label: 'Valid', tone: 'success' };
    case 'invalid_credentials':
      return { label: 'Wrong key or secret', tone: 'danger' };
    case 'runner_offline':
      return { label: 'Runner offline', tone: 'warning' };
    case 'provider_unreachable':
      return { label: `${providerName} unreachable`, tone: 'warning' };
    case 'pending':
      return { label: 'Validating…', tone: 'info' };
    case 'needs_new_secret':
      return { label: 'Re-enter the secret', tone: 'warning' };
    case 'oauth_disabled':
      return { label: 'OAuth off', tone: 'neutral' };
    case 'not_validated':
      return { label: 'Not validated', tone: 'neutral' };
    case 'callback_url_changed':
      return { label: 'Callback URL changed', tone: 'danger' };
  }
}

const CHANGE_LABELS: Record<string, string> = {
  oauth_enabled: 'turned OAuth on',
  oauth_disabled: 'turned OAuth off',
  pat_enabled: 'turned personal access tokens on',
  pat_disabled: 'turned personal access tokens off (deleting the tokens developers entered)',
  client_id_changed: 'changed the Client ID',
  secret_replaced: 'replaced the secret',
  callback_url_confirmed: 'confirmed the new callback URL',
};

/**
 * One audit entry as a sentence without its actor: "added Bitbucket (bitbucket.org)",
 * "changed Bitbucket (bitbucket.org): turned OAuth off, replaced the secret". Only known facts
 * are read from `details`; secrets are never in it, and nothing else from it is shown raw.
 */
export function describeAuditEntry(
  entry: Pick<AuditEntry, 'action' | 'target' | 'details'>,
): string {
  switch (entry.action) {
    case 'integration.created':
      return `added ${entry.target}`;
    case 'integration.deleted':
      return `deleted ${entry.target}`;
    case 'integration.updated': {
      const changes = Array.isArray(entry.details.changes) ? entry.details.changes : [];
      const words = changes
        .filter((change): change is string => typeof change === 'string')
        .map((change) => CHANGE_LABELS[change] ?? change.replaceAll('_', ' '));
      return words.length
        ? `changed ${entry.target}: ${words.join(', ')}`
        : `saved ${entry.target} without changes`;
    }
    case 'runner.created':
      return `set up the runner ${entry.target}`;
    case 'runner.renamed':
      return `renamed the runner ${typeof entry.details.from === 'string' ? `${entry.details.from} ` : ''}to ${entry.target}`;
    case 'runner.token_replaced':
      return `made a new token for ${entry.target} (the old one stopped working)`;
    case 'runner.public_url_changed':
      return `changed the public URL of ${entry.target} to ${typeof entry.details.to === 'string' ? entry.details.to : 'another URL'}`;
    case 'runner.key_rotated':
      return `rotated the key of ${entry.target}`;
    case 'integration.validation_failed': {
      const outcome =
        entry.details.kept === 'current secret' ? 'the current ones stayed' : 'nothing was saved';
      return entry.details.status === 'provider_unreachable'
        ? `could not have a Key and Secret for ${entry.target} checked (provider unreachable); ${outcome}`
        : `entered a Key and Secret for ${entry.target} that were refused; ${outcome}`;
    }
    case 'git_authentication.disconnected':
      return `disconnected their ${entry.target} account`;
    case 'git_authentication.revoked': {
      // An admin's revoke in Runner › Connections: whose connection, and what the provider did.
      const whose = typeof entry.details.userEmail === 'string' ? `${entry.details.userEmail}’s` : 'a former member’s';
      const atProvider =
        entry.details.atProvider === 'revoked'
          ? ' (also revoked at the provider)'
          : entry.details.atProvider === 'failed'
            ? ' (the provider could not be asked to revoke it)'
            : '';
      return `revoked ${whose} ${entry.target} connection${atProvider}`;
    }
    case 'git_authentication.member_erased': {
      const count = typeof entry.details.erased === 'number' ? entry.details.erased : 0;
      const late = entry.details.deliveredOnReconnect === true ? ', when the runner connected again' : '';
      return `erased the connections of removed member ${entry.target} (${count === 1 ? '1 token' : `${count} tokens`}${late})`;
    }
    case 'git_authentication.connected':
      return `connected their ${entry.target} account`;
    case 'git_authentication.refused': {
      // A Connect link opened in someone else's browser: nothing was stored.
      const owner = typeof entry.details.flowOwner === 'string' ? entry.details.flowOwner : 'a member';
      const where = typeof entry.details.finishedBy === 'string' ? entry.details.finishedBy : 'another browser';
      return `refused a Connect started by ${owner} and finished by ${where}: ${entry.target} was not connected`;
    }
    default:
      return `${entry.action.replaceAll(/[._]/g, ' ')}: ${entry.target}`;
  }
}
