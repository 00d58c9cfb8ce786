import { execFile } from 'node:child_process';
import { devNull } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Benchmark, BenchResult } from '../benchmark.ts';
import { GenerationReportSchema } from '../generation-report.ts';
import type { GenerationReport } from '../generation-report.ts';

const CLI = fileURLToPath(new URL('../generate-fixture.ts', import.meta.url));
const SEED = 1;

type Case = { label: string; contacts: number; repeats: number; nodeFlags?: string[] };

/**
 * Each run is a fresh process (the `fixture:generate` CLI with `--json`), so its peak RSS is its own and
 * not the harness's. Output goes to the null device: this measures generating and streaming, not the disk.
 */
async function generateOnce(c: Case): Promise<GenerationReport> {
  const args = [
    ...(c.nodeFlags ?? []),
    CLI,
    '--contacts',
    String(c.contacts),
    '--seed',
    String(SEED),
    '--out',
    devNull,
    '--json',
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
  return GenerationReportSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
}

const median = (reports: GenerationReport[]): GenerationReport => {
  const sorted = reports.toSorted((a, b) => a.elapsedMs - b.elapsedMs);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no runs');
  return middle;
};

function toResult(c: Case, r: GenerationReport): BenchResult {
  const seconds = r.elapsedMs / 1000;
  const cpuSeconds = r.cpuMs / 1000;
  const mb = (bytes: number) => bytes / 1e6;
  return {
    case: c.label,
    metrics: {
      'contacts/s': { value: r.counts.contacts / seconds, unit: '', better: 'higher' },
      throughput: { value: mb(r.counts.bytes) / seconds, unit: 'MB/s', better: 'higher' },
      'contacts/CPU-s': { value: r.counts.contacts / cpuSeconds, unit: '', better: 'higher' },
      wall: { value: seconds, unit: 's', better: 'lower' },
      cpu: { value: cpuSeconds, unit: 's', better: 'lower' },
      output: { value: mb(r.counts.bytes), unit: 'MB', better: 'lower' },
      'peak RSS': { value: mb(r.maxRssBytes), unit: 'MB', better: 'lower' },
      'peak heap': { value: mb(r.peakHeapUsedBytes), unit: 'MB', better: 'lower' },
    },
    notes: [
      c.repeats > 1 ? `median of ${c.repeats} runs by wall time` : '',
      Object.entries(r.counts)
        .filter(([name]) => name !== 'bytes')
        .map(([name, count]) => `${name} ${count}`)
        .join(', '),
    ]
      .filter((note) => note !== '')
      .join('; '),
  };
}

export default {
  name: 'fixture-generator',
  description:
    'fixture:generate throughput and memory at 10k and 100k contacts (1M with --full), seed 1, to the null device; ' +
    'the capped-heap case shows memory does not grow with the portal',
  async run(ctx) {
    const cases: Case[] = [
      { label: '10k', contacts: 10_000, repeats: 3 },
      { label: '100k', contacts: 100_000, repeats: 1 },
      // Proof of bounded memory: the old generation capped at 64 MB. The young generation is set to its
      // usual 16 MB, as V8 would otherwise shrink it with the cap and spend the run collecting garbage.
      {
        label: '100k, old space ≤ 64 MB',
        contacts: 100_000,
        repeats: 1,
        nodeFlags: ['--max-old-space-size=64', '--max-semi-space-size=16'],
      },
    ];
    if (ctx.full) cases.push({ label: '1M', contacts: 1_000_000, repeats: 1 });
    const results: BenchResult[] = [];
    for (const c of cases) {
      const reports: GenerationReport[] = [];
      for (let i = 0; i < c.repeats; i++) {
        ctx.log(`${c.label}: run ${i + 1} of ${c.repeats}`);
        reports.push(await generateOnce(c));
      }
      results.push(toResult(c, median(reports)));
    }
    return results;
  },
} satisfies Benchmark;
