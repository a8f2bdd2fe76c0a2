/** A tiny cookie-keeping client for BFF integration tests: behaves like the SPA (CSRF header, JSON). */
export class TestApiClient {
  private cookies = new Map<string, string>();

  /** With a token, requests go as automation would: `Authorization: Bearer`, no cookie, no CSRF header. */
  constructor(
    readonly baseUrl: string,
    readonly bearerToken?: string,
  ) {}

  /** The same browser (its cookies) talking to another address: another BFF instance of a cluster. */
  at(baseUrl: string): TestApiClient {
    const other = new TestApiClient(baseUrl);
    other.cookies = this.cookies;
    return other;
  }

  get csrfToken(): string | undefined {
    return this.cookies.get('rc_csrf');
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    if (!this.csrfToken && method !== 'GET' && !this.bearerToken) await this.request('GET', '/api/auth/session');
    const res = await fetch(this.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.bearerToken ? { authorization: `Bearer ${this.bearerToken}` } : { cookie: this.cookieHeader() }),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' && this.csrfToken && !this.bearerToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (!name) continue;
      const value = rest.join('=');
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  async signIn(email: string, password: string) {
    const res = await this.request('POST', '/api/auth/sign-in', { email, password });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
    return res.body.user;
  }
}

export async function signedIn(baseUrl: string, who: 'admin' | 'dev'): Promise<TestApiClient> {
  const client = new TestApiClient(baseUrl);
  await client.signIn(`${who}@acme.test`, who);
  return client;
}
