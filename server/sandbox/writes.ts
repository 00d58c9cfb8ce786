/**
 * Every call that is not a GET on a HubSpot route, plus OAuth token grants, in order: what the app
 * sent, when (sandbox clock), with which token and app, and what it got back. Tests assert on it to
 * know exactly which calls the app made. `kind` tells writes from POST-shaped reads (search, batch
 * read, association reads) and from token grants.
 */
export type WriteKind = 'write' | 'read' | 'oauth';

export type WriteRecord = {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  kind: WriteKind;
  token?: string;
  appId?: number;
  clientId?: string;
};

export type WriteFilter = { kind?: WriteKind; method?: string; pathPrefix?: string; since?: number };

export class WriteLog {
  private readonly records: WriteRecord[] = [];
  private seq = 0;

  add(record: Omit<WriteRecord, 'seq'>): WriteRecord {
    const full = { seq: ++this.seq, ...record };
    this.records.push(full);
    return full;
  }

  list(filter: WriteFilter = {}): WriteRecord[] {
    return this.records.filter(
      (r) =>
        (filter.kind === undefined || r.kind === filter.kind) &&
        (filter.method === undefined || r.method === filter.method.toUpperCase()) &&
        (filter.pathPrefix === undefined || r.path.startsWith(filter.pathPrefix)) &&
        (filter.since === undefined || r.seq > filter.since),
    );
  }

  get size(): number {
    return this.records.length;
  }

  clear(): void {
    this.records.length = 0;
  }
}

/** POST routes that only read, so a test can count the app's real writes. */
const READ_POSTS = [/\/batch\/read$/, /\/search$/];

export function kindOf(method: string, path: string): WriteKind {
  if (path.startsWith('/oauth/')) return 'oauth';
  return method === 'POST' && READ_POSTS.some((re) => re.test(path)) ? 'read' : 'write';
}

const SECRET_FIELDS = new Set(['client_secret']);

/** The body as logged: form secrets masked. */
export function loggedBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '***' : v]));
}
