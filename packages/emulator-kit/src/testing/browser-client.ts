/**
 * A tiny browser for driving the emulator's HTML forms with fetch: it keeps cookies, never
 * follows redirects by itself, and reads hidden form fields.
 */
export class BrowserClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async get(pathOrUrl: string): Promise<Response> {
    return this.request(pathOrUrl, { method: 'GET' });
  }

  async postForm(
    pathOrUrl: string,
    fields: Record<string, string | readonly string[]>,
  ): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
    }
    return this.request(pathOrUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Follows same-origin redirects until a page (or a redirect elsewhere) answers. */
  async followRedirects(response: Response): Promise<Response> {
    let current = response;
    for (let hop = 0; hop < 10 && isRedirect(current); hop += 1) {
      const location = new URL(current.headers.get('location') ?? '', this.baseUrl);
      if (location.origin !== new URL(this.baseUrl).origin) return current;
      current = await this.get(location.href);
    }
    return current;
  }

  private async request(pathOrUrl: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    const response = await fetch(new URL(pathOrUrl, this.baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) this.storeCookie(cookie);
    return response;
  }

  private storeCookie(header: string): void {
    const [pair = ''] = header.split(';');
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header))
      this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

export function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400;
}

/** The attributes of every `<input>` on a page, in order. */
export function readInputs(page: string): Array<Record<string, string>> {
  return [...page.matchAll(/<input\b([^>]*)>/g)].map((match) => {
    const attributes: Record<string, string> = {};
    for (const attribute of (match[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
      attributes[attribute[1] ?? ''] = unescapeHtml(attribute[2] ?? '');
    }
    return attributes;
  });
}

/** The hidden inputs of a page's forms, by name (last one wins). */
export function readHiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of readInputs(page)) {
    if (input.type === 'hidden' && input.name) fields[input.name] = input.value ?? '';
  }
  return fields;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
