import { randomBytes } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { freshDemoDatabase } from '../../../server/demo/demo-database.ts';
import { signV3 } from '../../../server/http/hubspot-signature.ts';
import { startServer } from '../../../server/http/start-server.ts';
import { unpackDeliveries } from '../../../server/webhooks/unpack-deliveries.ts';
import type { Benchmark, BenchResult } from '../benchmark.ts';
import { runOpenLoop, type OpenLoopReport } from '../open-loop-client.ts';
import { postgresBackendCpuMs } from '../postgres-cpu.ts';

/**
 * Issue #4's intake target: HubSpot-sized deliveries (100 events, signed v3) at a fixed rate on
 * loopback, acknowledged with p99 ≤ 20 ms, and no event lost. The load is open-loop (each request
 * leaves at its scheduled time whatever is still in flight, and latency counts from that time), so a
 * slow answer can't hide by delaying the next request (see ../open-loop-client.ts). The client runs in
 * a worker thread with its own event loop, so its work is not counted in the server's answers; its
 * requests are built and signed before the clock starts (a timestamp stays valid for 5 minutes), so
 * it takes as little as it can of the CPUs the server and Postgres share with it.
 *
 * Besides latency and throughput, each case reports the CPU a request cost: the server process (its
 * threads but the client's), Postgres's backends (from /proc, where Postgres runs on this machine) and
 * the client thread. On a shared machine those move much less with other load than latency does, and
 * their sum says what rate the machine could sustain at all (cores × 1000 ms ÷ CPU ms per request).
 */

const PORTAL_ID = 9_100_001;
/** The warm-up's deliveries go to a portal of their own, so they are not counted as the case's. */
const WARM_UP_PORTAL_ID = 9_100_002;
/**
 * Before each case, a short load the figures leave out: a freshly started server compiles its code,
 * opens its connections and prepares its statements on the first requests, which a server that has
 * been running (as HubSpot meets it) has long done. Slow enough never to leave a backlog behind.
 */
const WARM_UP = { rate: 100, seconds: 2 };
const EVENTS_PER_BATCH = 100;

type ClientJob = {
  role: 'webhook-intake-client';
  url: string;
  secret: string;
  portalId: number;
  rate: number;
  seconds: number;
};
/** What the client thread reports: the load's outcome and the CPU its own thread used while sending. */
type ClientReport = OpenLoopReport & { clientCpuMs: number };

const benchmark: Benchmark = {
  name: 'webhook-intake',
  description: `signed ${EVENTS_PER_BATCH}-event webhook batches at a fixed rate into the inbox (POST /webhooks/hubspot)`,
  async run(ctx) {
    // The target rate, and lower ones that show the acknowledgement latency short of saturation.
    const cases: { rate: number; seconds: number }[] = [
      { rate: 100, seconds: 10 },
      { rate: 300, seconds: 10 },
      { rate: 500, seconds: 10 },
      ...(ctx.full ? [{ rate: 500, seconds: 60 }] : []),
    ];
    const results: BenchResult[] = [];
    for (const c of cases) results.push(await runCase(c.rate, c.seconds, ctx.log));
    return results;
  },
};
export default benchmark;

async function runCase(rate: number, seconds: number, log: (message: string) => void): Promise<BenchResult> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = await freshDemoDatabase(serverUrl, 'closed_loop_bench_webhooks');
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await db.query(`INSERT INTO portals (portal_id) VALUES ($1), ($2)`, [PORTAL_ID, WARM_UP_PORTAL_ID]);
  const server = await startServer({
    port: 0,
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    context: { redisPrefix: `bench:${randomBytes(4).toString('hex')}` },
  });
  try {
    const target = { url: `${server.url}/webhooks/hubspot`, secret: server.env.HUBSPOT_CLIENT_SECRET };
    log(`warming up: ${WARM_UP.rate} requests/s for ${WARM_UP.seconds} s…`);
    const warmUp = await startClient({ ...target, portalId: WARM_UP_PORTAL_ID, ...WARM_UP });
    await warmUp.run();
    log(`${rate} requests/s × ${EVENTS_PER_BATCH} events for ${seconds} s…`);
    const client = await startClient({ ...target, portalId: PORTAL_ID, rate, seconds });
    const cpuBefore = process.cpuUsage();
    const postgresBefore = await postgresBackendCpuMs(server.context.db);
    const report = await client.run();
    const processCpu = process.cpuUsage(cpuBefore);
    const postgresAfter = await postgresBackendCpuMs(server.context.db);
    const ok = report.statuses['200'] ?? 0;
    const failed = report.errors + Object.entries(report.statuses).reduce((n, [s, c]) => n + (s === '200' ? 0 : c), 0);
    // What the drain does first, off HubSpot's clock: move the deliveries' events into the inbox. Timed
    // after the load, alone, so it says what the per-event work costs that the intake no longer does.
    const unpackStarted = performance.now();
    const unpacked = await unpackDeliveries(server.context.db, PORTAL_ID, server.env.HUBSPOT_APP_ID);
    const unpackMs = performance.now() - unpackStarted;
    const stored = Number(
      (await db.query(`SELECT count(*) AS n FROM webhook_inbox WHERE portal_id = $1`, [PORTAL_ID])).rows[0].n,
    );
    const drains = Number(
      (
        await db.query(`SELECT count(*) AS n FROM job_intents WHERE portal_id = $1 AND name = 'webhooks.drain'`, [
          PORTAL_ID,
        ])
      ).rows[0].n,
    );
    const expected = ok * EVENTS_PER_BATCH;
    const sorted = report.latenciesMs.toSorted((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
    const lost = expected - stored;
    const perRequest = (ms: number) => round(ms / Math.max(1, ok));
    const serverCpuMs = (processCpu.user + processCpu.system) / 1000 - report.clientCpuMs;
    const cpu: BenchResult['metrics'] = {
      'server CPU/req': { value: perRequest(serverCpuMs), unit: 'ms', better: 'lower' },
      ...(postgresBefore === undefined || postgresAfter === undefined
        ? {}
        : {
            'postgres CPU/req': { value: perRequest(postgresAfter - postgresBefore), unit: 'ms', better: 'lower' },
          }),
      'client CPU/req': { value: perRequest(report.clientCpuMs), unit: 'ms', better: 'lower' },
    };
    log(
      `stored ${stored} of ${expected} acknowledged events (the drain moved ${unpacked.deliveries} deliveries into the inbox in ${Math.round(unpackMs)} ms); ${drains} drain intents; statuses ${JSON.stringify(report.statuses)}, ${report.errors} unanswered; at most ${report.connections} in flight`,
    );
    return {
      case: `${rate}/s × ${seconds} s`,
      metrics: {
        'p50 ms': { value: round(at(50)), unit: 'ms', better: 'lower' },
        'p95 ms': { value: round(at(95)), unit: 'ms', better: 'lower' },
        'p99 ms': { value: round(at(99)), unit: 'ms', better: 'lower' },
        'max ms': { value: round(sorted.at(-1) ?? NaN), unit: 'ms', better: 'lower' },
        'requests/s': { value: round((ok / report.elapsedMs) * 1000), unit: '', better: 'higher' },
        'events/s': { value: round((stored / report.elapsedMs) * 1000), unit: '', better: 'higher' },
        failed: { value: failed, unit: '', better: 'lower' },
        'lost events': { value: lost, unit: '', better: 'lower' },
        'drain: events into inbox/s': {
          value: Math.round((unpacked.events / unpackMs) * 1000),
          unit: '',
          better: 'higher',
        },
        ...cpu,
      },
      notes: `target p99 ≤ 20 ms; ${drains} webhooks.drain intents for ${ok} requests (coalesced; no worker drains them during the load); at most ${report.connections} requests in flight`,
    };
  } finally {
    await server.close();
    await db.end();
  }
}

/**
 * A load client in a worker thread: resolves once its requests are built (not counted), and `run`
 * sends them and resolves with the report.
 */
async function startClient(options: Omit<ClientJob, 'role'>): Promise<{ run(): Promise<ClientReport> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'webhook-intake-client', ...options } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    run: () =>
      new Promise<ClientReport>((resolve, reject) => {
        worker.once('message', (report: ClientReport) => {
          resolve(report);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.postMessage('go');
      }),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// ---- The load client (runs in the worker thread) ------------------------------------------------

/** HubSpot-shaped deliveries, each a whole signed HTTP request, built before the clock starts. */
function buildRequests(job: ClientJob): Buffer[] {
  const url = new URL(job.url);
  let nextEventId = 1;
  return Array.from({ length: job.rate * job.seconds }, () => {
    const body = JSON.stringify(
      Array.from({ length: EVENTS_PER_BATCH }, () => ({
        eventId: nextEventId++,
        subscriptionId: 7,
        portalId: job.portalId,
        appId: 1_000_001,
        occurredAt: Date.now(),
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: 10_000 + (nextEventId % 5_000),
        propertyName: 'dealstage',
        propertyValue: 'contractsent',
        changeSource: 'CRM_UI',
        sourceId: 'userId:501',
      })),
    );
    const timestamp = Date.now();
    const head = [
      `POST ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-HubSpot-Signature-v3: ${signV3('POST', job.url, body, timestamp, job.secret)}`,
      `X-HubSpot-Request-Timestamp: ${timestamp}`,
    ].join('\r\n');
    return Buffer.from(`${head}\r\n\r\n${body}`);
  });
}

async function runClient(job: ClientJob): Promise<ClientReport> {
  const url = new URL(job.url);
  const requests = buildRequests(job);
  parentPort!.postMessage('built');
  await new Promise((resolve) => parentPort!.once('message', resolve));
  const cpuBefore = process.threadCpuUsage();
  const report = await runOpenLoop({ host: url.hostname, port: Number(url.port), requests, ratePerSecond: job.rate });
  const cpu = process.threadCpuUsage(cpuBefore);
  return { ...report, clientCpuMs: (cpu.user + cpu.system) / 1000 };
}

if (!isMainThread && (workerData as ClientJob | undefined)?.role === 'webhook-intake-client') {
  runClient(workerData as ClientJob).then((report) => parentPort!.postMessage(report));
}
