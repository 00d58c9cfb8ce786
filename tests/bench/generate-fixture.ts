/**
 * `npm run fixture:generate -- --contacts 20000 --seed 7 --out FILE [--now ISO] [--portal-id N] [--json]`
 *
 * Writes a generated portal fixture through a file stream, honouring backpressure (the generator waits
 * for 'drain'), and prints what it holds, how long it took and the peak memory. `--json` prints one JSON
 * line instead, for the benchmark harness.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_NOW, DEFAULT_PORTAL_ID, generateFixture } from './fixture-generator.ts';
import type { ChunkSink } from './fixture-generator.ts';
import type { GenerationReport } from './generation-report.ts';

const ArgsSchema = z.object({
  contacts: z.coerce.number().int().min(1),
  seed: z.coerce.number().int().default(1),
  out: z.string().min(1),
  now: z.iso.datetime().default(DEFAULT_NOW),
  'portal-id': z.coerce.number().int().positive().default(DEFAULT_PORTAL_ID),
  json: z.boolean().default(false),
});

const USAGE =
  'usage: npm run fixture:generate -- --contacts N [--seed S] --out FILE [--now ISO] [--portal-id N] [--json]';

/** Samples memory at most every 50 ms: reading RSS is a system call, too slow to make per chunk. */
function memorySampler() {
  let last = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  return {
    maybeSample() {
      const t = performance.now();
      if (t - last < 50) return;
      last = t;
      sample();
    },
    peak() {
      sample();
      return { peakRss, peakHeap };
    },
  };
}

/** A sink that writes to the stream and, when its buffer is full, waits for it to drain. */
function streamSink(stream: NodeJS.WritableStream, onChunk: () => void): ChunkSink {
  return (chunk) => {
    onChunk();
    if (stream.write(chunk)) return undefined;
    return once(stream, 'drain').then(() => undefined);
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      contacts: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      'portal-id': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`${z.prettifyError(parsed.error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const args = parsed.data;
  const options = { contacts: args.contacts, seed: args.seed, now: args.now, portalId: args['portal-id'] };

  const memory = memorySampler();
  const stream = createWriteStream(args.out);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const counts = await generateFixture(options, streamSink(stream, memory.maybeSample));
  stream.end();
  await finished(stream);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const { peakRss, peakHeap } = memory.peak();

  const report: GenerationReport = {
    options,
    counts,
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes: peakRss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapUsedBytes: peakHeap,
  };
  if (args.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(`wrote ${args.out} (seed ${args.seed}, now ${args.now})`);
  for (const [name, count] of Object.entries(counts)) {
    if (name !== 'bytes') console.log(`  ${name.padEnd(14)} ${count.toLocaleString('en-US')}`);
  }
  console.log(`  ${'size'.padEnd(14)} ${mb(counts.bytes)}`);
  console.log(
    `in ${(elapsedMs / 1000).toFixed(1)} s: ${Math.round(counts.contacts / (elapsedMs / 1000)).toLocaleString('en-US')} contacts/s, ` +
      `${(counts.bytes / 1e6 / (elapsedMs / 1000)).toFixed(1)} MB/s (CPU ${(report.cpuMs / 1000).toFixed(1)} s); peak RSS ${mb(report.maxRssBytes)}, peak heap ${mb(peakHeap)}`,
  );
}

await main();
