import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type pg from 'pg';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { signV3 } from '../../../server/http/hubspot-signature.ts';
import { startServer } from '../../../server/http/start-server.ts';
import type { Benchmark, BenchResult, Metric } from '../benchmark.ts';
import { freshBenchDatabase } from '../bench-database.ts';
import { runClosedLoop, type ClosedLoopReport } from '../closed-loop-client.ts';
import { DEFAULT_NOW, DEFAULT_PORTAL_ID } from '../fixture-generator.ts';
import { seedGeneratedMirror } from '../seed-generated-mirror.ts';

/**
 * Issue #8's card API target: p99 ≤ 50 ms with 100 requests in flight at all times, on a portal of
 * 100,000 records. The portal is the fixture generator's, seeded straight into the mirror with its
 * events, then attributed (touches and credits, as the cards read them). The load is closed-loop: 100
 * connections each send a signed card read (deal, ticket and contact in turn, each for a record drawn
 * from every record of its type in the portal, in a random order) as soon as their previous answer
 * arrives, so there are always 100 requests in flight; latency counts from the moment a request leaves
 * to its last byte. The clients run in a worker thread with their own event loop and send pre-built,
 * pre-signed requests, so they take as little as they can of the CPU the server needs.
 *
 * Besides latency, each case reports the CPU each answer cost the server's thread, Postgres and the
 * clients (figures that move less than latency with other load on a shared machine), and the load
 * average around it.
 */

/** The generator gives 1.45 records a contact: 69k contacts ≈ 100k records. */
const CONTACTS = 69_000;
/** The target's 100 in flight; HubSpot's own cap of 20 per app and account; one at a time (the service time). */
const CONCURRENCIES = [100, 20, 1];
const WARMUP_S = 3;
const ENDPOINTS = ['deal', 'ticket', 'contact'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const TABLES: Record<Endpoint, string> = { deal: 'deals', ticket: 'tickets', contact: 'contacts' };

type ClientJob = {
  role: 'card-api-client';
  baseUrl: string;
  secret: string;
  portalId: number;
  /** Every record of each type that a card can show (not archived). */
  ids: Record<Endpoint, number[]>;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
};
type ClientReport = ClosedLoopReport & { clientCpuMs: number };
/** Sent by the client thread when the warm-up is over, so the server's counters start with its own. */
type MeasureStart = { measuring: true };

const benchmark: Benchmark = {
  name: 'card-api',
  description: `signed card reads (deal, ticket, contact) with ${CONCURRENCIES.join(', ')} in flight on a 100k-record portal; target p99 ≤ 50 ms at 100`,
  async run(ctx) {
    return runCases(ctx.full ? 60 : 15, ctx.log);
  },
};
export default benchmark;

async function runCases(seconds: number, log: (message: string) => void): Promise<BenchResult[]> {
  const database = await freshBenchDatabase('closed_loop_bench_cards');
  try {
    log(`seeding ${CONTACTS.toLocaleString('en')} contacts and their records…`);
    const counts = await seedGeneratedMirror(database.pool, { contacts: CONTACTS, seed: 8, events: true });
    const records = counts.contacts + counts.companies + counts.deals + counts.tickets;
    log(`${records.toLocaleString('en')} records seeded; attributing…`);
    await attributePortal(database.pool, DEFAULT_PORTAL_ID, { now: new Date(DEFAULT_NOW) });
    await database.settle();
    const all = async (endpoint: Endpoint) =>
      (
        await database.pool.query<{ id: number }>(
          // The table name is one of the three fixed names of TABLES.
          `SELECT id FROM ${TABLES[endpoint]} WHERE portal_id = $1 AND NOT archived ORDER BY id`,
          [DEFAULT_PORTAL_ID],
        )
      ).rows.map((r) => r.id);
    const ids = { deal: await all('deal'), ticket: await all('ticket'), contact: await all('contact') };
    const sampled = ENDPOINTS.map((e) => `${ids[e].length.toLocaleString('en')} ${TABLES[e]}`).join(', ');
    log(`requests drawn from all ${sampled}`);

    const server = await startServer({
      port: 0,
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: database.url },
      context: { redisPrefix: `bench:${randomBytes(4).toString('hex')}` },
    });
    try {
      const results: BenchResult[] = [];
      for (const concurrency of CONCURRENCIES) {
        log(`${concurrency} clients for ${seconds} s (after ${WARMUP_S} s of warm-up)…`);
        const job: ClientJob = {
          role: 'card-api-client',
          baseUrl: server.url,
          secret: server.env.HUBSPOT_CLIENT_SECRET,
          portalId: DEFAULT_PORTAL_ID,
          ids,
          concurrency,
          seconds,
          warmupSeconds: WARMUP_S,
        };
        const loadBefore = loadavg()[0]!;
        let serverCpu = process.threadCpuUsage();
        let postgresCpu: Promise<Map<number, number> | undefined> = Promise.resolve(undefined);
        const report = await new Promise<ClientReport>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: job });
          worker.on('message', (message: ClientReport | MeasureStart) => {
            if ('measuring' in message) {
              serverCpu = process.threadCpuUsage();
              postgresCpu = postgresCpuByBackend(database.pool);
            } else resolve(message);
          });
          worker.once('error', reject);
        });
        const serverCpuMs = cpuMs(process.threadCpuUsage(serverCpu));
        const postgresMs = postgresCpuSince(await postgresCpu, await postgresCpuByBackend(database.pool));
        const loadAfter = loadavg()[0]!;
        const latencies = report.latenciesMs.flat();
        const answered = latencies.length;
        const ms = (value: number): Metric => ({ value: round(value), unit: 'ms', better: 'lower' });
        const perAnswer = (value: number): Metric => ({ value: round3(value / answered), unit: 'ms', better: 'lower' });
        log(
          `answered ${report.ok}, refused ${report.refused}, failed ${report.failed}; largest answer ${report.maxBytes} B; load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`,
        );
        results.push({
          case: `${records.toLocaleString('en')} records, ${concurrency} in flight, ${seconds} s`,
          metrics: {
            'p50 ms': ms(percentile(latencies, 50)),
            'p95 ms': ms(percentile(latencies, 95)),
            'p99 ms': ms(percentile(latencies, 99)),
            // Not Math.max(...latencies): a 60-s case has more answers than a call takes arguments.
            'max ms': ms(latencies.reduce((max, l) => (l > max ? l : max), 0)),
            'requests/s': { value: round((answered / report.elapsedMs) * 1000), unit: '', better: 'higher' },
            ...Object.fromEntries(ENDPOINTS.map((e, i) => [`${e} p99 ms`, ms(percentile(report.latenciesMs[i]!, 99))])),
            'not ok': { value: report.refused + report.failed, unit: '', better: 'lower' },
            'largest answer kB': { value: round(report.maxBytes / 1000), unit: 'kB', better: 'lower' },
            'server CPU ms/answer': perAnswer(serverCpuMs),
            ...(postgresMs === undefined ? {} : { 'Postgres CPU ms/answer': perAnswer(postgresMs) }),
            'client CPU ms/answer': perAnswer(report.clientCpuMs),
            'load average before': { value: loadBefore, unit: '', better: 'lower' },
            'load average after': { value: loadAfter, unit: '', better: 'lower' },
          },
          notes: `target p99 ≤ 50 ms at 100 in flight; closed loop, latency from send to last byte; reads evaluate the record live; records drawn from all ${sampled}`,
        });
      }
      return results;
    } finally {
      await server.close();
    }
  } finally {
    await database.drop();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/**
 * CPU time (ms, user + system) each Postgres backend connected to the bench database has used so far,
 * by process id, from /proc; undefined where Postgres does not run on this Linux machine. Per backend,
 * because the server's pool closes idle connections and opens new ones during a case: the sum of the
 * live ones could go down. Clock ticks are 10 ms.
 */
async function postgresCpuByBackend(db: pg.Pool): Promise<Map<number, number> | undefined> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  const byPid = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      return undefined;
    }
  }
  return byPid;
}

/** What the backends used between two readings; a backend that closed in between loses its share (an idle one). */
function postgresCpuSince(
  before: Map<number, number> | undefined,
  after: Map<number, number> | undefined,
): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

// ---- The load clients (run in the worker thread) ------------------------------------------------

/** Requests signed before a case, per second of it: more than the server answers, so none waits. */
const SIGNED_PER_SECOND = 6_000;

/**
 * Signed requests, deal, ticket and contact in turn, each for the next record of its type in a random
 * order of all of them (a new order once all were asked for). All of a case's requests are built and
 * signed before it starts, as HubSpot's proxy would have signed them moments before (well inside the
 * 5-minute window), into one buffer, so the clients spend their time sending: no signing, and no
 * garbage for the collector to pause them over. A case that sends more starts again from the first.
 */
function signedRequests(job: ClientJob): () => { kind: number; bytes: Buffer } {
  const url = new URL(job.baseUrl);
  const orders = ENDPOINTS.map((e) => ({ ids: job.ids[e], order: [] as number[], at: 0 }));
  const nextId = (kind: number) => {
    const o = orders[kind]!;
    if (o.at >= o.order.length) {
      o.order = shuffled(o.ids);
      o.at = 0;
    }
    return o.order[o.at++]!;
  };
  const count = (job.warmupSeconds + job.seconds) * SIGNED_PER_SECOND;
  const timestamp = Date.now();
  const parts: Buffer[] = [];
  const ends = new Uint32Array(count);
  let length = 0;
  for (let i = 0; i < count; i++) {
    const kind = i % ENDPOINTS.length;
    const path = `/cards/v1/${ENDPOINTS[kind]}`;
    const body = JSON.stringify({
      portalId: job.portalId,
      userId: 42,
      userEmail: 'bench@example.com',
      objectId: nextId(kind),
    });
    const signature = signV3('POST', `${job.baseUrl}${path}`, body, timestamp, job.secret);
    const head = [
      `POST ${path} HTTP/1.1`,
      `host: ${url.host}`,
      'content-type: application/json',
      `content-length: ${Buffer.byteLength(body)}`,
      `x-hubspot-signature-v3: ${signature}`,
      `x-hubspot-request-timestamp: ${timestamp}`,
    ].join('\r\n');
    const bytes = Buffer.from(`${head}\r\n\r\n${body}`, 'utf8');
    parts.push(bytes);
    length += bytes.length;
    ends[i] = length;
  }
  const all = Buffer.concat(parts, length);
  parts.length = 0;
  let at = 0;
  return () => {
    if (at >= count) at = 0;
    const request = { kind: at % ENDPOINTS.length, bytes: all.subarray(at === 0 ? 0 : ends[at - 1], ends[at]) };
    at++;
    return request;
  };
}

function shuffled(values: readonly number[]): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every card answer is `{"ok":…` first (routes/cards.ts); a 200 without data is a refusal. */
const OK_START = Buffer.from('{"ok":true', 'utf8');

async function runClients(job: ClientJob): Promise<ClientReport> {
  const url = new URL(job.baseUrl);
  const next = signedRequests(job);
  let cpu = process.threadCpuUsage();
  const report = await runClosedLoop({
    host: url.hostname,
    port: Number(url.port),
    concurrency: job.concurrency,
    warmupMs: job.warmupSeconds * 1000,
    measureMs: job.seconds * 1000,
    kinds: ENDPOINTS.length,
    next,
    classify: (status, body) =>
      status !== 200 ? 'failed' : body.subarray(0, OK_START.length).equals(OK_START) ? 'ok' : 'refused',
    onMeasureStart: () => {
      cpu = process.threadCpuUsage();
      parentPort!.postMessage({ measuring: true } satisfies MeasureStart);
    },
  });
  return { ...report, clientCpuMs: cpuMs(process.threadCpuUsage(cpu)) };
}

if (!isMainThread && (workerData as ClientJob | undefined)?.role === 'card-api-client') {
  runClients(workerData as ClientJob).then((report) => parentPort!.postMessage(report));
}
