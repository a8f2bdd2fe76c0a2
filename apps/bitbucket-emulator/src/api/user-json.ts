import type { User } from '../store/user-store.ts';
import { encodePathSegment, type ApiLinks } from './api-links.ts';
import type { BitbucketEmail, BitbucketUser } from '@runner-console/scm-providers/bitbucket-schema';

/** A user as it appears inside other objects (authors, owners). */
export function userSummaryJson(links: ApiLinks, user: User): BitbucketUser {
  return {
    display_name: user.displayName,
    links: {
      self: links.api(`/users/${encodePathSegment(user.uuid)}`),
      avatar: links.site(`/account/${user.username}/avatar/`),
      html: links.site(`/${encodePathSegment(user.uuid)}/`),
    },
    type: 'user',
    uuid: user.uuid,
    account_id: user.accountId,
    nickname: user.username,
  };
}

/** `GET /2.0/user`: the authenticated user, with the fields only they can see. */
export function currentUserJson(links: ApiLinks, user: User): BitbucketUser {
  const summary = userSummaryJson(links, user);
  return {
    ...summary,
    links: {
      ...summary.links,
      repositories: links.api(`/repositories/${encodePathSegment(user.uuid)}`),
    },
    created_on: user.createdOn,
    is_staff: false,
    account_status: 'active',
    has_2fa_enabled: false,
  };
}

/** An entry of `GET /2.0/user/emails`. Seeded users have one confirmed, primary address. */
export function emailJson(links: ApiLinks, user: User): BitbucketEmail {
  return {
    is_primary: true,
    is_confirmed: true,
    type: 'email',
    email: user.email,
    links: { self: links.api(`/user/emails/${encodeURIComponent(user.email)}`) },
  };
}
