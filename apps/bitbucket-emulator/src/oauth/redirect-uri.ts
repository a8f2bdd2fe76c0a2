/**
 * Whether a redirect_uri may be used for a consumer. Bitbucket requires it to start with the
 * consumer's callback URL (https://developer.atlassian.com/cloud/bitbucket/oauth-2/). The
 * emulator compares normalised URLs and also requires the same origin, so that a callback such
 * as `https://app.test` cannot be stretched to `https://app.test.evil.example`.
 */
export function redirectUriMatchesCallback(
  redirectUri: string,
  callbackUrl: string | null,
): boolean {
  if (callbackUrl === null) return false;
  const redirect = parseUrl(redirectUri);
  const callback = parseUrl(callbackUrl);
  if (!redirect || !callback || redirect.hash !== '') return false;
  return redirect.origin === callback.origin && redirect.href.startsWith(callback.href);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
