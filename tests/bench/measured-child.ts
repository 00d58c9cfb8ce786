import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';

/**
 * Measuring a piece of work in a process of its own, so its peak memory is its own and not the harness's
 * (which may hold a seeded portal's bookkeeping, or another case's garbage). The child calls
 * `reportMeasured(work)`, which prints one JSON line; the parent runs it with `runMeasured`.
 */

export const MeasuredSchema = z.object({
  /** What the work returned (counts, summaries), checked by the caller's own schema. */
  result: z.unknown(),
  elapsedMs: z.number(),
  /** User + system CPU of the process (GC threads included): Node's share, not Postgres's. */
  cpuMs: z.number(),
  /** The kernel's peak resident set of the process (`process.resourceUsage().maxRSS`). */
  maxRssBytes: z.number(),
  /** Highest V8 heap in use, sampled every 100 ms (a long synchronous stretch is sampled after it). */
  peakHeapUsedBytes: z.number(),
});
export type Measured<T> = Omit<z.infer<typeof MeasuredSchema>, 'result'> & { result: T };

/** In the child: runs `work`, then prints its result and what it cost as the last line of stdout. */
export async function reportMeasured(work: () => Promise<unknown>): Promise<void> {
  let peakHeap = 0;
  const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  const timer = setInterval(sample, 100);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work();
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    sample();
    const measured: z.input<typeof MeasuredSchema> = {
      result,
      elapsedMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes: peakHeap,
    };
    process.stdout.write(`${JSON.stringify(measured)}\n`);
  } finally {
    clearInterval(timer);
  }
}

/** In the parent: runs `node [nodeFlags] script args…` and parses what it reported. */
export async function runMeasured<T>(
  script: string,
  args: string[],
  resultSchema: z.ZodType<T>,
  nodeFlags: string[] = [],
): Promise<Measured<T>> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, script, ...args], {
    maxBuffer: 16 << 20,
  });
  const measured = MeasuredSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
  return { ...measured, result: resultSchema.parse(measured.result) };
}
