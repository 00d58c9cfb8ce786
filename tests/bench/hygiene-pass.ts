/**
 * `node tests/bench/hygiene-pass.ts --database URL --portal ID --mode stream|evaluate [--now ISO]`
 *
 * One pass of the hygiene benchmark over a seeded portal, in a process of its own (see
 * measured-child.ts), printing its time and memory as one JSON line:
 * - `evaluate`: the real use case, `evaluatePortalHygiene` (definitions, duplicates, every record
 *   loaded, evaluated and written to the issue log and computed properties);
 * - `stream`: only the reading it does, through the same load-records.ts functions in the same order and
 *   batches (duplicate candidates, then each type's ids and records), with nothing evaluated or written.
 *   The floor the evaluation is compared with.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createPool } from '../../server/db/pool.ts';
import type { Queryable } from '../../server/db/pool.ts';
import { currentDefinitions } from '../../server/definitions/current-definitions.ts';
import { DEFAULT_BATCH_SIZE, evaluatePortalHygiene, PASS_ORDER } from '../../server/hygiene/evaluate-portal.ts';
import { duplicateCandidatePages, loadRecords, nextRecordIds } from '../../server/hygiene/load-records.ts';
import { reportMeasured } from './measured-child.ts';

const ArgsSchema = z.object({
  database: z.string().min(1),
  portal: z.coerce.number().int().positive(),
  mode: z.enum(['stream', 'evaluate']),
  now: z.iso.datetime(),
});

/** What a pass reports; `open`/`resolved` only for an evaluation. */
export const HygienePassSchema = z.object({
  records: z.number(),
  candidates: z.number(),
  open: z.number().optional(),
  resolved: z.number().optional(),
});
export type HygienePass = z.infer<typeof HygienePassSchema>;

// evaluate-portal.ts's order and default batch. Its reader reads one batch after another, like this
// stream; it only does so while the engine and the writer work on the batches before.
const ORDER = PASS_ORDER;
const BATCH = DEFAULT_BATCH_SIZE;

async function stream(db: Queryable, portalId: number): Promise<HygienePass> {
  const { definitions } = await currentDefinitions(db, portalId);
  let candidates = 0;
  for await (const page of duplicateCandidatePages(db, portalId, definitions.duplicates))
    candidates += page.rows.length;
  let records = 0;
  for (const objectType of ORDER) {
    for (let afterId = 0; ;) {
      const ids = await nextRecordIds(db, portalId, objectType, afterId, BATCH);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      records += (await loadRecords(db, portalId, objectType, ids)).length;
    }
  }
  return { records, candidates };
}

async function main() {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      portal: { type: 'string' },
      mode: { type: 'string' },
      now: { type: 'string', default: '2026-11-01T00:00:00.000Z' },
    },
  });
  const args = ArgsSchema.parse(values);
  // The workers' pool (createPool's default size).
  const db = createPool(args.database);
  try {
    await reportMeasured(async () => {
      if (args.mode === 'stream') return stream(db, args.portal);
      const summary = await evaluatePortalHygiene(db, args.portal, { now: new Date(args.now) });
      return { records: summary.records, candidates: 0, open: summary.open, resolved: summary.resolved };
    });
  } finally {
    await db.end();
  }
}

// The benchmark imports this module for its schema; only `node hygiene-pass.ts` runs a pass.
if (import.meta.main) await main();
