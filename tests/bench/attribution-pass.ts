/**
 * `node tests/bench/attribution-pass.ts --mode engine --contacts N [--seed S]`
 * `node tests/bench/attribution-pass.ts --mode portal --database URL --portal ID`
 *
 * One pass of the attribution benchmark, in a process of its own (see measured-child.ts), printing its
 * time and memory as one JSON line:
 * - `engine`: the pure engine (`createAttributionEngine(...).creditDeal`, every enabled model, pipeline and
 *   revenue) over a generated portal's deals held in memory. The touches are derived first
 *   (`touchesOfContacts`) and timed apart; credit rows are handed on per 1,000 deals, as a writer
 *   streaming them out would, so memory is the inputs' and not millions of rows';
 * - `portal`: the whole use case, `attributePortal`, over a seeded mirror (loads, touches, credits,
 *   channel properties, coverage, and the writes).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { attributePortal } from '../../server/attribution/attribute-portal.ts';
import { createPool } from '../../server/db/pool.ts';
import {
  contactIndex,
  createAttributionEngine,
  parseHubSpotTime,
  touchesOfContacts,
  type CreditRow,
} from '../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS } from '../../server/domain/policy/default-policy.ts';
import { DEFAULT_NOW } from './fixture-generator.ts';
import { generatedAttributionInputs } from './generated-attribution-inputs.ts';
import { reportMeasured } from './measured-child.ts';

const ArgsSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('engine'),
    contacts: z.coerce.number().int().positive(),
    seed: z.coerce.number().int().default(1),
  }),
  z.object({ mode: z.literal('portal'), database: z.string().min(1), portal: z.coerce.number().int().positive() }),
]);

/** What a pass reports. The engine pass also times its steps; the portal pass's time is the whole. */
export const AttributionPassSchema = z.object({
  deals: z.number(),
  creditedDeals: z.number(),
  touches: z.number(),
  creditRows: z.number(),
  steps: z.record(z.string(), z.number()).optional(),
});
export type AttributionPass = z.infer<typeof AttributionPassSchema>;

const BATCH = 1_000;

function engine(contacts: number, seed: number): AttributionPass {
  const definitions = DEFAULT_DEFINITIONS;
  const t0 = performance.now();
  const inputs = generatedAttributionInputs({ contacts, seed }, definitions);
  const t1 = performance.now();
  const { byContact } = touchesOfContacts(inputs, definitions);
  const createdAt = new Map(inputs.contacts.map((c) => [c.id, parseHubSpotTime(c.properties.createdate)]));
  const index = contactIndex(byContact, createdAt);
  let touches = 0;
  for (const list of byContact.values()) touches += list.length;
  const t2 = performance.now();

  const attribution = createAttributionEngine(definitions);
  let rows: CreditRow[] = [];
  let creditRows = 0;
  let creditedDeals = 0;
  for (let i = 0; i < inputs.deals.length; i++) {
    const before = rows.length;
    attribution.creditDeal(inputs.deals[i]!, index, rows);
    if (rows.length > before) creditedDeals++;
    if ((i + 1) % BATCH === 0) {
      creditRows += rows.length;
      rows = [];
    }
  }
  creditRows += rows.length;
  const t3 = performance.now();
  return {
    deals: inputs.deals.length,
    creditedDeals,
    touches,
    creditRows,
    steps: { inputsMs: t1 - t0, touchesMs: t2 - t1, engineMs: t3 - t2 },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      contacts: { type: 'string' },
      seed: { type: 'string' },
      database: { type: 'string' },
      portal: { type: 'string' },
    },
  });
  const args = ArgsSchema.parse(values);
  if (args.mode === 'engine') {
    await reportMeasured(async () => engine(args.contacts, args.seed));
    return;
  }
  const db = createPool(args.database);
  try {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deals WHERE portal_id = $1 AND NOT archived`,
      [args.portal],
    );
    await reportMeasured(async () => {
      const summary = await attributePortal(db, args.portal, { now: new Date(DEFAULT_NOW) });
      return {
        deals: rows[0]!.n,
        creditedDeals: summary.creditedDeals,
        touches: summary.touches,
        creditRows: summary.creditRows,
      };
    });
  } finally {
    await db.end();
  }
}

// The benchmark imports this module for its schema; only `node attribution-pass.ts` runs a pass.
if (import.meta.main) await main();
