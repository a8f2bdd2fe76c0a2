import type { Request } from 'express';
import type { Consumer, ConsumerStore } from '../store/consumer-store.ts';
import { readBasicCredentials } from '@runner-console/emulator-kit';
import { OAuthError } from './oauth-error.ts';
import { constantTimeEquals } from '@runner-console/emulator-kit';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * The client's credentials, from HTTP Basic or from `client_id`/`client_secret` form fields;
 * Bitbucket accepts both (https://developer.atlassian.com/cloud/bitbucket/oauth-2/).
 * RFC 6749 §2.3: a client must not use more than one method in a request.
 */
export function readClientCredentials(
  req: Request,
  form: Readonly<Record<string, string>>,
): ClientCredentials {
  const basic = readBasicCredentials(req);
  const hasFormCredentials = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic && hasFormCredentials) {
    throw new OAuthError(
      'invalid_request',
      'Send client credentials either with HTTP Basic or in the body, not both.',
    );
  }
  if (basic) return { clientId: basic.username, clientSecret: basic.password };
  if (req.get('authorization') !== undefined && !hasFormCredentials) {
    throw new OAuthError('unauthorized_client', 'Invalid OAuth client credentials');
  }
  if (form.client_id === undefined || form.client_secret === undefined) {
    throw new OAuthError(
      'unauthorized_client',
      'Client credentials are missing. Use HTTP Basic or client_id and client_secret.',
    );
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

/**
 * The consumer whose key and secret these are. Otherwise bitbucket.org answers
 * `400 {"error":"unauthorized_client","error_description":"Invalid OAuth client credentials"}`,
 * without saying which part was wrong.
 */
export function authenticateClient(
  consumers: ConsumerStore,
  credentials: ClientCredentials,
): Consumer {
  const consumer = consumers.findByKey(credentials.clientId);
  if (!consumer || !constantTimeEquals(consumer.secret, credentials.clientSecret)) {
    throw new OAuthError('unauthorized_client', 'Invalid OAuth client credentials');
  }
  return consumer;
}
