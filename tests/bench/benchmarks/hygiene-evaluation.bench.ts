import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from '../benchmark.ts';
import { freshBenchDatabase, type BenchDatabase } from '../bench-database.ts';
import { DEFAULT_NOW, DEFAULT_PORTAL_ID } from '../fixture-generator.ts';
import { HygienePassSchema, type HygienePass } from '../hygiene-pass.ts';
import { runMeasured, type Measured } from '../measured-child.ts';
import { seedGeneratedMirror } from '../seed-generated-mirror.ts';

/**
 * Issue #5's target: a full hygiene evaluation of a 1M-record portal in at most 1.5 × the time it takes
 * only to stream the same rows out of Postgres, in at most 1 GB of memory.
 *
 * The portal is the fixture generator's (contacts, companies, deals, tickets in its proportions, with
 * stage histories, associations, owners and every rule's anomalies), seeded straight into a fresh
 * database as a full sync leaves it. Each pass runs in a process of its own (hygiene-pass.ts): the
 * stream twice (the faster counts: the first may still warm caches), then the first evaluation of the
 * portal (an empty issue log: every finding inserted) twice, the log emptied in between (the faster
 * counts, as for the stream; peak memory is the larger of the two), then one a day later (the daily run:
 * findings kept open or resolved as the clock moved, computed values rewritten where they changed, as
 * `clr_days_in_stage` does for most records), then the day after's with V8's heap capped.
 */
const DAY_MS = 86_400_000;
const PASS = fileURLToPath(new URL('../hygiene-pass.ts', import.meta.url));
const SEED = 1;
/** The capped pass: V8's old generation at 384 MB, its young generation at the usual 16 MB. */
const CAPPED_HEAP = ['--max-old-space-size=384', '--max-semi-space-size=16'];
/** The generator gives 1.45 records a contact (0.25 companies, 0.16 deals, 0.04 tickets). */
const CASES = [
  { label: '50k records', contacts: 34_500, full: false },
  { label: '1M records', contacts: 690_000, full: true },
];

const benchmark: Benchmark = {
  name: 'hygiene-evaluation',
  description:
    'full hygiene evaluation (evaluatePortalHygiene) of a generated portal vs only streaming its rows: ' +
    '50k records (1M with --full); target ≤ 1.5 × the stream, peak RSS ≤ 1 GB',
  async run(ctx) {
    const results: BenchResult[] = [];
    for (const c of CASES.filter((c) => ctx.full || !c.full)) results.push(await runCase(c, ctx.log));
    return results;
  },
};
export default benchmark;

async function runCase(c: (typeof CASES)[number], log: (message: string) => void): Promise<BenchResult> {
  const database = await freshBenchDatabase('closed_loop_bench_hygiene');
  try {
    log(`${c.label}: seeding ${c.contacts.toLocaleString('en')} contacts and their records…`);
    const seeding = performance.now();
    const counts = await seedGeneratedMirror(database.pool, {
      contacts: c.contacts,
      seed: SEED,
      events: false,
      onProgress: (n) => {
        if (n % 100_000 === 0) log(`  ${n.toLocaleString('en')} contacts`);
      },
    });
    await database.settle();
    const records = counts.contacts + counts.companies + counts.deals + counts.tickets;
    log(`${c.label}: ${records.toLocaleString('en')} records seeded in ${seconds(performance.now() - seeding)} s`);

    const pass = async (
      mode: 'stream' | 'evaluate',
      nodeFlags: string[] = [],
      now = DEFAULT_NOW,
    ): Promise<Measured<HygienePass>> => {
      const run = await runMeasured(
        PASS,
        ['--database', database.url, '--portal', String(DEFAULT_PORTAL_ID), '--mode', mode, '--now', now],
        HygienePassSchema,
        nodeFlags,
      );
      if (run.result.records !== records) throw new Error(`${mode}: ${run.result.records} records, seeded ${records}`);
      log(`${c.label}: ${mode} ${nodeFlags.join(' ')} ${seconds(run.elapsedMs)} s, peak RSS ${mb(run.maxRssBytes)} MB`);
      return run;
    };
    const faster = <T>(runs: Measured<T>[]) => runs.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
    const streams = [await pass('stream'), await pass('stream')];
    const stream = faster(streams);
    // The first evaluation twice too, each on an empty issue log (the first one's emptied, its writes
    // checkpointed, as after seeding), and the faster counts, as for the stream: on a shared machine one
    // run of either can lose a second or two to other work.
    const firsts = [await pass('evaluate')];
    await emptyIssueLog(database);
    firsts.push(await pass('evaluate'));
    const first = faster(firsts);
    // The next day's run (as hygiene.daily does it), then the day after's: every record evaluated, what
    // changed rewritten.
    const day = (n: number) => new Date(Date.parse(DEFAULT_NOW) + n * DAY_MS).toISOString();
    const again = await pass('evaluate', [], day(1));
    // Uncapped, V8 grows its heap because the machine lets it (most of the RSS above is garbage not yet
    // collected); the same run with the old generation capped shows what the evaluation needs.
    const capped = await pass('evaluate', CAPPED_HEAP, day(2));
    return {
      case: c.label,
      metrics: {
        'records/s': { value: Math.round(records / (first.elapsedMs / 1000)), unit: '', better: 'higher' },
        'vs stream': { value: round(first.elapsedMs / stream.elapsedMs, 2), unit: '×', better: 'lower' },
        evaluate: { value: seconds(first.elapsedMs), unit: 's', better: 'lower' },
        stream: { value: seconds(stream.elapsedMs), unit: 's', better: 'lower' },
        'node CPU': { value: seconds(first.cpuMs), unit: 's', better: 'lower' },
        // The memory target holds for every run, not only the faster.
        'peak RSS': { value: mb(Math.max(...firsts.map((f) => f.maxRssBytes))), unit: 'MB', better: 'lower' },
        'stream RSS': { value: mb(stream.maxRssBytes), unit: 'MB', better: 'lower' },
        're-evaluate': { value: seconds(again.elapsedMs), unit: 's', better: 'lower' },
        're-eval vs stream': { value: round(again.elapsedMs / stream.elapsedMs, 2), unit: '×', better: 'lower' },
        're-eval RSS': { value: mb(again.maxRssBytes), unit: 'MB', better: 'lower' },
        'peak heap': { value: mb(Math.max(...firsts.map((f) => f.peakHeapUsedBytes))), unit: 'MB', better: 'lower' },
        'capped re-eval': { value: seconds(capped.elapsedMs), unit: 's', better: 'lower' },
        'capped RSS': { value: mb(capped.maxRssBytes), unit: 'MB', better: 'lower' },
      },
      notes:
        `${records} records (contacts ${counts.contacts}, companies ${counts.companies}, deals ${counts.deals}, ` +
        `tickets ${counts.tickets}), ${counts.stageEvents} stage events, ${counts.associations} associations; ` +
        `${first.result.open} findings opened; next day ${again.result.open} kept or opened, ` +
        `${again.result.resolved} resolved; streams ${streams.map((s) => seconds(s.elapsedMs)).join(' / ')} s, ` +
        `first evaluations ${firsts.map((f) => `${seconds(f.elapsedMs)} s (${mb(f.maxRssBytes)} MB)`).join(' / ')}`,
    };
  } finally {
    await database.drop();
  }
}

/** The bench database holds one portal: its issue log, computed values and hygiene cursor, as before any pass. */
async function emptyIssueLog(database: BenchDatabase) {
  await database.pool.query('TRUNCATE findings, computed_properties');
  await database.pool.query(`DELETE FROM change_cursors WHERE consumer = 'hygiene'`);
  await database.pool.query('CHECKPOINT');
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const seconds = (ms: number) => round(ms / 1000, 1);
const mb = (bytes: number) => Math.round(bytes / 1e6);
