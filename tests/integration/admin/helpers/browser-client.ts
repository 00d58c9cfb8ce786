/**
 * A minimal browser for HTTP-level tests: keeps cookies per name (as set by Set-Cookie, host-only),
 * sends them back, and never follows redirects on its own so each hop can be checked.
 */
export class CookieClient {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header seen, as received, to check its attributes. */
  readonly setCookieHeaders: string[] = [];

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      this.setCookieHeaders.push(header);
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(url, { headers });
  }

  postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }

  /** Follows redirects hop by hop, with cookies, until a non-redirect answer. */
  async follow(url: string, maxHops = 6): Promise<{ response: Response; hops: string[] }> {
    const hops = [url];
    let response = await this.get(url);
    while (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      if (hops.length > maxHops) throw new Error(`more than ${maxHops} redirects from ${url}`);
      const next = new URL(response.headers.get('location')!, hops.at(-1)).toString();
      hops.push(next);
      response = await this.get(next);
    }
    return { response, hops };
  }
}

/** The page's CSRF token, as its script reads it. */
export function csrfTokenOf(page: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)"\s*\/?>/.exec(page);
  if (!match) throw new Error('the page carries no CSRF token');
  return match[1]!;
}
