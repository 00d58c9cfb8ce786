import { z } from 'zod';
import type { FixtureCounts } from './fixture-generator.ts';

/** What one run of `fixture:generate -- --json` reports; the benchmark harness parses it. */
export const GenerationReportSchema = z.object({
  options: z.object({ contacts: z.number(), seed: z.number(), now: z.string(), portalId: z.number() }),
  counts: z.object({
    contacts: z.number(),
    companies: z.number(),
    deals: z.number(),
    tickets: z.number(),
    associations: z.number(),
    events: z.number(),
    ingestTouches: z.number(),
    spendRows: z.number(),
    owners: z.number(),
    bytes: z.number(),
  }) satisfies z.ZodType<FixtureCounts>,
  elapsedMs: z.number(),
  /** CPU time (user + system) the process spent generating: steadier than wall time on a shared machine. */
  cpuMs: z.number(),
  /** Highest RSS sampled while generating (process.memoryUsage), and the kernel's peak for the process. */
  peakRssBytes: z.number(),
  maxRssBytes: z.number(),
  peakHeapUsedBytes: z.number(),
});
export type GenerationReport = z.infer<typeof GenerationReportSchema>;
