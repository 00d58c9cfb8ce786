import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import { signV3 } from '../../../server/http/hubspot-signature.ts';
import { startServer } from '../../../server/http/start-server.ts';
import type { Benchmark, BenchResult, Metric } from '../benchmark.ts';
import { freshBenchDatabase } from '../bench-database.ts';
import { DEFAULT_NOW, DEFAULT_PORTAL_ID } from '../fixture-generator.ts';
import { seedGeneratedMirror } from '../seed-generated-mirror.ts';

/**
 * Issue #8's card API target: p99 ≤ 50 ms with 100 requests in flight at all times, on a portal of
 * 100,000 records. The portal is the fixture generator's, seeded straight into the mirror with its
 * events, then attributed (touches and credits, as the cards read them). The load is closed-loop: 100
 * clients each send a signed card read (deal, ticket or contact, a random record of the portal) as
 * soon as their previous answer arrives, so there are always 100 requests in flight; latency counts
 * from the moment a request leaves to its last byte. The clients run in a worker thread with their own
 * event loop, so their work is not counted in the server's answers.
 */

/** The generator gives 1.45 records a contact: 69k contacts ≈ 100k records. */
const CONTACTS = 69_000;
/** The target's 100 in flight; HubSpot's own cap of 20 per app and account; one at a time (the service time). */
const CONCURRENCIES = [100, 20, 1];
const WARMUP_S = 3;
const SAMPLE_IDS = 500;
const ENDPOINTS = ['deal', 'ticket', 'contact'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

type ClientJob = {
  role: 'card-api-client';
  baseUrl: string;
  secret: string;
  portalId: number;
  ids: Record<Endpoint, number[]>;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
};
type ClientReport = {
  latenciesMs: Record<Endpoint, number[]>;
  ok: number;
  refused: number;
  failed: number;
  maxBytes: number;
  elapsedMs: number;
};

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
    const sample = async (table: string) =>
      (
        await database.pool.query<{ id: number }>(
          // The table name is one of the three fixed names below.
          `SELECT id FROM ${table} WHERE portal_id = $1 AND NOT archived ORDER BY random() LIMIT $2`,
          [DEFAULT_PORTAL_ID, SAMPLE_IDS],
        )
      ).rows.map((r) => r.id);
    const ids = { deal: await sample('deals'), ticket: await sample('tickets'), contact: await sample('contacts') };

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
        const report = await new Promise<ClientReport>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: job });
          worker.once('message', (message: ClientReport) => resolve(message));
          worker.once('error', reject);
        });
        const all = ENDPOINTS.flatMap((e) => report.latenciesMs[e]);
        const ms = (value: number): Metric => ({ value: round(value), unit: 'ms', better: 'lower' });
        log(
          `answered ${report.ok}, refused ${report.refused}, failed ${report.failed}; largest answer ${report.maxBytes} B`,
        );
        results.push({
          case: `${records.toLocaleString('en')} records, ${concurrency} in flight, ${seconds} s`,
          metrics: {
            'p50 ms': ms(percentile(all, 50)),
            'p95 ms': ms(percentile(all, 95)),
            'p99 ms': ms(percentile(all, 99)),
            'max ms': ms(Math.max(...all)),
            'requests/s': { value: round((all.length / report.elapsedMs) * 1000), unit: '', better: 'higher' },
            ...Object.fromEntries(ENDPOINTS.map((e) => [`${e} p99 ms`, ms(percentile(report.latenciesMs[e], 99))])),
            'not ok': { value: report.refused + report.failed, unit: '', better: 'lower' },
            'largest answer kB': { value: round(report.maxBytes / 1000), unit: 'kB', better: 'lower' },
          },
          notes:
            'target p99 ≤ 50 ms at 100 in flight; closed loop, latency from send to last byte; reads evaluate the record live',
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

// ---- The load clients (run in the worker thread) ------------------------------------------------

async function runClients(job: ClientJob): Promise<ClientReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.baseUrl);
  const report: ClientReport = {
    latenciesMs: { deal: [], ticket: [], contact: [] },
    ok: 0,
    refused: 0,
    failed: 0,
    maxBytes: 0,
    elapsedMs: 0,
  };
  const send = (endpoint: Endpoint, objectId: number) =>
    new Promise<{ ok: boolean | undefined; bytes: number }>((resolve) => {
      const path = `/cards/v1/${endpoint}`;
      const body = JSON.stringify({ portalId: job.portalId, userId: 42, userEmail: 'bench@example.com', objectId });
      const timestamp = Date.now();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-hubspot-signature-v3': signV3('POST', `${job.baseUrl}${path}`, body, timestamp, job.secret),
            'x-hubspot-request-timestamp': String(timestamp),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let ok: boolean | undefined;
            try {
              ok = res.statusCode === 200 ? (JSON.parse(text) as { ok: boolean }).ok : undefined;
            } catch {
              ok = undefined;
            }
            resolve({ ok, bytes: Buffer.byteLength(text) });
          });
        },
      );
      req.once('error', () => resolve({ ok: undefined, bytes: 0 }));
      req.end(body);
    });

  const started = performance.now();
  const measureFrom = started + job.warmupSeconds * 1000;
  const stopAt = measureFrom + job.seconds * 1000;
  let seq = 0;
  const client = async () => {
    while (performance.now() < stopAt) {
      const endpoint = ENDPOINTS[seq++ % ENDPOINTS.length]!;
      const ids = job.ids[endpoint];
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const sentAt = performance.now();
      const answer = await send(endpoint, id);
      if (sentAt < measureFrom) continue;
      report.maxBytes = Math.max(report.maxBytes, answer.bytes);
      if (answer.ok === true) {
        report.ok++;
        report.latenciesMs[endpoint].push(performance.now() - sentAt);
      } else if (answer.ok === false) report.refused++;
      else report.failed++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  report.elapsedMs = performance.now() - measureFrom;
  agent.destroy();
  return report;
}

if (!isMainThread && (workerData as ClientJob | undefined)?.role === 'card-api-client') {
  runClients(workerData as ClientJob).then((report) => parentPort!.postMessage(report));
}
