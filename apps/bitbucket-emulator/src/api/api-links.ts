/**
 * Builds the URLs inside API responses. Bitbucket splits them between api.bitbucket.org
 * (`/2.0/…`) and bitbucket.org (web pages, git); the emulator serves both from one origin.
 */
export class ApiLinks {
  constructor(readonly publicUrl: string) {}

  api(path: string): { href: string } {
    return { href: `${this.publicUrl}/2.0${path}` };
  }

  site(path: string): { href: string } {
    return { href: `${this.publicUrl}${path}` };
  }

  /** `https://{username}@bitbucket.org/{workspace}/{repo}.git`, as Bitbucket shows a signed-in user. */
  cloneHttps(fullName: string, username: string | undefined): string {
    const url = new URL(`${this.publicUrl}/${fullName}.git`);
    if (username) url.username = username;
    return url.href;
  }
}

/** Braced uuids appear percent-encoded in Bitbucket's links (`%7B…%7D`). */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value);
}
