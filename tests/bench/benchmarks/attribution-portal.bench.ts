import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from '../benchmark.ts';
import { AttributionPassSchema, type AttributionPass } from '../attribution-pass.ts';
import { freshBenchDatabase } from '../bench-database.ts';
import { DEFAULT_PORTAL_ID } from '../fixture-generator.ts';
import { runMeasured, type Measured } from '../measured-child.ts';
import { seedGeneratedMirror } from '../seed-generated-mirror.ts';

/**
 * Issue #6's scale: 100,000 deals with 2,000,000 touches, all nine models, pipeline and revenue credit,
 * as deals per second and peak memory. The portal is the fixture generator's: 0.16 deals and about
 * 3.2 touches (web events, offline touches, derived original sources) a contact, so 625,000 contacts
 * give about 100k deals and 2M touches (62,500 contacts, a tenth, by default).
 *
 * Two measurements, each in a process of its own (attribution-pass.ts):
 * - the pure engine (`createAttributionEngine`) over the deals in memory, touches derived beforehand;
 * - the whole use case (`attributePortal`) over the same portal seeded into a fresh database: loading
 *   contacts, events, ingested touches, deals and tickets, the engine, channel properties, coverage,
 *   and replacing touches, credits and computed properties in one transaction.
 */
const PASS = fileURLToPath(new URL('../attribution-pass.ts', import.meta.url));
const SEED = 1;
const CASES = [
  { label: '10k deals', contacts: 62_500, full: false },
  { label: '100k deals', contacts: 625_000, full: true },
];

const benchmark: Benchmark = {
  name: 'attribution-portal',
  description:
    'attribution of a generated portal, 9 models × pipeline and revenue: the pure engine and attributePortal ' +
    'over the mirror; 10k deals / 200k touches (100k / 2M with --full)',
  async run(ctx) {
    const results: BenchResult[] = [];
    for (const c of CASES.filter((c) => ctx.full || !c.full)) {
      results.push(await engineCase(c, ctx.log));
      results.push(await portalCase(c, ctx.log));
    }
    return results;
  },
};
export default benchmark;

async function engineCase(c: (typeof CASES)[number], log: (message: string) => void): Promise<BenchResult> {
  log(`${c.label}: engine…`);
  const run = await runMeasured(
    PASS,
    ['--mode', 'engine', '--contacts', String(c.contacts), '--seed', String(SEED)],
    AttributionPassSchema,
  );
  const steps = run.result.steps ?? {};
  const engineMs = steps.engineMs ?? run.elapsedMs;
  return {
    case: `${c.label}, engine`,
    metrics: {
      'deals/s': { value: Math.round(run.result.deals / (engineMs / 1000)), unit: '', better: 'higher' },
      time: { value: seconds(engineMs), unit: 's', better: 'lower' },
      'credit rows/s': { value: Math.round(run.result.creditRows / (engineMs / 1000)), unit: '', better: 'higher' },
      'peak RSS': { value: mb(run.maxRssBytes), unit: 'MB', better: 'lower' },
    },
    notes:
      `${describe(run.result)}; touches derived in ${seconds(steps.touchesMs ?? 0)} s ` +
      `(touches/s ${Math.round(run.result.touches / ((steps.touchesMs ?? 1) / 1000))}), ` +
      `inputs generated in ${seconds(steps.inputsMs ?? 0)} s (not measured); RSS includes the inputs`,
  };
}

async function portalCase(c: (typeof CASES)[number], log: (message: string) => void): Promise<BenchResult> {
  const database = await freshBenchDatabase('closed_loop_bench_attribution');
  try {
    log(`${c.label}: seeding ${c.contacts.toLocaleString('en')} contacts with their events…`);
    const seeding = performance.now();
    const counts = await seedGeneratedMirror(database.pool, {
      contacts: c.contacts,
      seed: SEED,
      events: true,
      onProgress: (n) => {
        if (n % 100_000 === 0) log(`  ${n.toLocaleString('en')} contacts`);
      },
    });
    await database.settle();
    log(`${c.label}: seeded in ${seconds(performance.now() - seeding)} s; attributePortal…`);
    const run: Measured<AttributionPass> = await runMeasured(
      PASS,
      ['--mode', 'portal', '--database', database.url, '--portal', String(DEFAULT_PORTAL_ID)],
      AttributionPassSchema,
    );
    if (run.result.deals !== counts.deals) throw new Error(`${run.result.deals} deals read, seeded ${counts.deals}`);
    return {
      case: `${c.label}, attributePortal`,
      metrics: {
        'deals/s': { value: Math.round(run.result.deals / (run.elapsedMs / 1000)), unit: '', better: 'higher' },
        time: { value: seconds(run.elapsedMs), unit: 's', better: 'lower' },
        'credit rows/s': {
          value: Math.round(run.result.creditRows / (run.elapsedMs / 1000)),
          unit: '',
          better: 'higher',
        },
        'peak RSS': { value: mb(run.maxRssBytes), unit: 'MB', better: 'lower' },
        'node CPU': { value: seconds(run.cpuMs), unit: 's', better: 'lower' },
      },
      notes:
        `${describe(run.result)}; mirror: ${counts.contacts} contacts, ${counts.events} events, ` +
        `${counts.ingestTouches} ingested touches, ${counts.tickets} tickets`,
    };
  } finally {
    await database.drop();
  }
}

function describe(r: AttributionPass): string {
  return `${r.deals} deals (${r.creditedDeals} credited), ${r.touches} touches, ${r.creditRows} credit rows`;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const seconds = (ms: number) => round(ms / 1000, 1);
const mb = (bytes: number) => Math.round(bytes / 1e6);
