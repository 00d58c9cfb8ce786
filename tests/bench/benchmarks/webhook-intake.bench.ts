import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { freshDemoDatabase } from '../../../server/demo/demo-database.ts';
import { signV3 } from '../../../server/http/hubspot-signature.ts';
import { startServer } from '../../../server/http/start-server.ts';
import type { Benchmark, BenchResult } from '../benchmark.ts';

/**
 * Issue #4's intake target: HubSpot-sized deliveries (100 events, signed v3) at a fixed rate on
 * loopback, acknowledged with p99 ≤ 20 ms, and no event lost. The load is open-loop (each request
 * leaves at its scheduled time whatever is still in flight, and latency counts from that time), so a
 * slow answer can't hide by delaying the next request. The client runs in a worker thread with its own
 * event loop, so its work is not counted in the server's answers.
 */

const PORTAL_ID = 9_100_001;
const EVENTS_PER_BATCH = 100;

type ClientJob = { role: 'webhook-intake-client'; url: string; secret: string; rate: number; seconds: number };
type ClientReport = {
  latenciesMs: number[];
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  elapsedMs: number;
};

const benchmark: Benchmark = {
  name: 'webhook-intake',
  description: `signed ${EVENTS_PER_BATCH}-event webhook batches at a fixed rate into the inbox (POST /webhooks/hubspot)`,
  async run(ctx) {
    // The target rate, and a lower one that shows the acknowledgement latency when not saturated.
    const cases: { rate: number; seconds: number }[] = [
      { rate: 100, seconds: 10 },
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
  await db.query(`INSERT INTO portals (portal_id) VALUES ($1)`, [PORTAL_ID]);
  const server = await startServer({
    port: 0,
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    context: { redisPrefix: `bench:${randomBytes(4).toString('hex')}` },
  });
  try {
    log(`${rate} requests/s × ${EVENTS_PER_BATCH} events for ${seconds} s…`);
    const job: ClientJob = {
      role: 'webhook-intake-client',
      url: `${server.url}/webhooks/hubspot`,
      secret: server.env.HUBSPOT_CLIENT_SECRET,
      rate,
      seconds,
    };
    const report = await new Promise<ClientReport>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: job });
      worker.once('message', (message: ClientReport) => resolve(message));
      worker.once('error', reject);
    });
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
    const expected = report.ok * EVENTS_PER_BATCH;
    const sorted = report.latenciesMs.toSorted((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
    const lost = expected - stored;
    log(
      `stored ${stored} of ${expected} acknowledged events; ${drains} drain intents; statuses ${JSON.stringify(report.statuses)}`,
    );
    return {
      case: `${rate}/s × ${seconds} s`,
      metrics: {
        'p50 ms': { value: round(at(50)), unit: 'ms', better: 'lower' },
        'p95 ms': { value: round(at(95)), unit: 'ms', better: 'lower' },
        'p99 ms': { value: round(at(99)), unit: 'ms', better: 'lower' },
        'max ms': { value: round(sorted.at(-1) ?? NaN), unit: 'ms', better: 'lower' },
        'requests/s': { value: round((report.ok / report.elapsedMs) * 1000), unit: '', better: 'higher' },
        'events/s': { value: round((stored / report.elapsedMs) * 1000), unit: '', better: 'higher' },
        failed: { value: report.failed, unit: '', better: 'lower' },
        'lost events': { value: lost, unit: '', better: 'lower' },
      },
      notes: `target p99 ≤ 20 ms; ${drains} webhooks.drain intents for ${report.ok} requests (coalesced per second)`,
    };
  } finally {
    await server.close();
    await db.end();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// ---- The load client (runs in the worker thread) ------------------------------------------------

async function runClient(job: ClientJob): Promise<ClientReport> {
  const total = job.rate * job.seconds;
  const url = new URL(job.url);
  let nextEventId = 1;
  // Bodies are built before the clock starts; signatures when each request leaves (timestamps age).
  const bodies = Array.from({ length: total }, () =>
    JSON.stringify(
      Array.from({ length: EVENTS_PER_BATCH }, () => ({
        eventId: nextEventId++,
        subscriptionId: 7,
        portalId: PORTAL_ID,
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
    ),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let finished = 0;
  const started = performance.now();
  const intervalMs = 1000 / job.rate;

  await new Promise<void>((resolve) => {
    let sent = 0;
    const send = (index: number, scheduledAt: number) => {
      const body = bodies[index]!;
      const timestamp = Date.now();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-hubspot-signature-v3': signV3('POST', job.url, body, timestamp, job.secret),
            'x-hubspot-request-timestamp': String(timestamp),
          },
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            const status = String(res.statusCode);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (res.statusCode === 200) {
              ok++;
              latenciesMs.push(performance.now() - scheduledAt);
            } else failed++;
            if (++finished === total) resolve();
          });
        },
      );
      req.once('error', () => {
        failed++;
        statuses.error = (statuses.error ?? 0) + 1;
        if (++finished === total) resolve();
      });
      req.end(body);
    };
    // Open loop: every tick sends whatever is due by now, stamped with the time it was due.
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) {
        send(sent, started + sent * intervalMs);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  return { latenciesMs, ok, failed, statuses, elapsedMs: performance.now() - started };
}

if (!isMainThread && (workerData as ClientJob | undefined)?.role === 'webhook-intake-client') {
  runClient(workerData as ClientJob).then((report) => parentPort!.postMessage(report));
}
