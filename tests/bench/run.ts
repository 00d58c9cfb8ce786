/**
 * `npm run bench [-- --only NAME[,NAME]] [--full] [--list]`
 *
 * Finds the benchmark modules `tests/bench/benchmarks/*.bench.ts`, runs them one after another (all, or
 * those named by --only), prints a table per benchmark and writes `tests/bench/out/<name>.json` with the
 * results and the machine they were measured on. Figures worth keeping go in RESULTS.md by hand.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BenchmarkSchema, BenchResultSchema } from './benchmark.ts';
import type { Benchmark } from './benchmark.ts';
import { describeMachine, machineInfo } from './machine-info.ts';
import { resultsTable } from './results-table.ts';

const BENCHMARKS_DIR = new URL('./benchmarks/', import.meta.url);
const OUT_DIR = new URL('./out/', import.meta.url);
const USAGE = 'usage: npm run bench [-- --only NAME[,NAME]] [--full] [--list]';

async function discover(): Promise<Benchmark[]> {
  const files = readdirSync(BENCHMARKS_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .toSorted();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const module: unknown = await import(new URL(file, BENCHMARKS_DIR).href);
    const parsed = z.object({ default: BenchmarkSchema }).safeParse(module);
    if (!parsed.success)
      throw new Error(`${file} does not default-export a benchmark:\n${z.prettifyError(parsed.error)}`);
    benchmarks.push(parsed.data.default);
  }
  const names = benchmarks.map((b) => b.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two benchmarks are named ${twice}`);
  return benchmarks;
}

async function runOne(benchmark: Benchmark, full: boolean): Promise<void> {
  const machine = machineInfo();
  console.log(`\n# ${benchmark.name}: ${benchmark.description}`);
  const started = performance.now();
  const results = z
    .array(BenchResultSchema)
    .parse(await benchmark.run({ full, log: (message) => console.log(`  ${message}`) }));
  const durationMs = performance.now() - started;
  console.log(`\n${resultsTable(results)}\n`);

  mkdirSync(OUT_DIR, { recursive: true });
  const file = new URL(`${benchmark.name}.json`, OUT_DIR);
  const record = { benchmark: benchmark.name, description: benchmark.description, full, machine, durationMs, results };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(file)} (${(durationMs / 1000).toFixed(1)} s)`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      full: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const benchmarks = await discover();
  if (values.list) {
    for (const b of benchmarks) console.log(`${b.name.padEnd(24)} ${b.description}`);
    return;
  }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter((o) => o !== '');
  const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`no benchmark named ${unknown.join(', ')}; there are: ${benchmarks.map((b) => b.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const full = values.full === true || process.env.BENCH_FULL === '1';
  console.log(`machine: ${describeMachine(machineInfo())}${full ? ' (full run)' : ''}`);
  for (const benchmark of benchmarks) {
    if (only.length === 0 || only.includes(benchmark.name)) await runOne(benchmark, full);
  }
}

await main();
