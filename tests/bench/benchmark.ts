import { z } from 'zod';

/**
 * What a benchmark module is. A module `tests/bench/benchmarks/<name>.bench.ts` default-exports a
 * Benchmark; `npm run bench` finds it, runs it and records its results.
 */

/** One measured figure. `better` tells a reader (and a future comparison) which way is good. */
export type Metric = { value: number; unit: string; better: 'higher' | 'lower' };

/** One case of a benchmark (a size, a variant) and its figures, in the order to print them. */
export type BenchResult = { case: string; metrics: Record<string, Metric>; notes?: string };

export type BenchContext = {
  /** `--full` (or BENCH_FULL=1): also run the slow cases (minutes, not seconds). */
  full: boolean;
  /** Progress for the person watching; results go in the returned BenchResult list. */
  log(message: string): void;
};

export type Benchmark = {
  /** Lower-case words joined by dashes; names the output file `tests/bench/out/<name>.json`. */
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
};

const MetricSchema = z.strictObject({
  value: z.number().refine(Number.isFinite, 'a finite number'),
  unit: z.string(),
  better: z.enum(['higher', 'lower']),
});

export const BenchResultSchema = z.strictObject({
  case: z.string().min(1),
  metrics: z.record(z.string(), MetricSchema),
  notes: z.string().optional(),
});

/** A module's default export, checked before it runs: a typo in a benchmark should fail loudly, early. */
export const BenchmarkSchema = z.object({
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by dashes'),
  description: z.string().min(1),
  run: z.custom<Benchmark['run']>((value) => typeof value === 'function', 'a function run(ctx)'),
});
