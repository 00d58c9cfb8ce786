import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributePortal, type AttributionSummary } from '../../../server/attribution/attribute-portal.ts';
import { listCredits } from '../../../server/db/repositories/attribution.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { amountInCents } from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const MODELS = DEFAULT_DEFINITIONS.attribution.models.map((m) => m.id);
let summary: AttributionSummary;

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  await ensureFirstDefinitions(db.pool, fixture.portalId, DEFAULT_DEFINITIONS);
  summary = await attributePortal(db.pool, fixture.portalId, { now: new Date(fixture.now) });
});

describe('attribution over the mirror', () => {
  it('credits every deal with an amount, for every model and kind, exactly its amount in cents', async () => {
    const credits = await listCredits(db.pool, fixture.portalId);
    expect(MODELS).toHaveLength(9);
    const sums = new Map<string, number>();
    for (const c of credits)
      sums.set(`${c.dealId}|${c.model}|${c.kind}`, (sums.get(`${c.dealId}|${c.model}|${c.kind}`) ?? 0) + c.cents);
    let checked = 0;
    for (const deal of fixture.objects.deals) {
      const cents = amountInCents(deal.properties.amount);
      const won = deal.properties.dealstage === 'closedwon' && deal.properties.closedate;
      for (const model of MODELS) {
        expect(sums.get(`${deal.id}|${model}|pipeline`), `${deal.id} ${model} pipeline`).toBe(cents);
        if (won) {
          expect(sums.get(`${deal.id}|${model}|revenue`), `${deal.id} ${model} revenue`).toBe(cents);
          checked++;
        } else {
          expect(sums.has(`${deal.id}|${model}|revenue`), `${deal.id} is not won: no revenue credit`).toBe(false);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(credits.every((c) => Number.isInteger(c.cents) && c.cents >= 0 && c.definitionsVersion === 1)).toBe(true);
  });

  it('keeps touches from events, ingest and original source, and reports what it could not match', async () => {
    const { rows } = await db.pool.query<{ source: string; n: number }>(
      `SELECT source, count(*)::int AS n FROM touches WHERE portal_id = $1 GROUP BY source ORDER BY source`,
      [fixture.portalId],
    );
    const bySource = Object.fromEntries(rows.map((r) => [r.source, r.n]));
    expect(bySource.hubspot_event).toBe(fixture.events!.length);
    expect(bySource.ingest).toBe(fixture.ingest!.touches.length - summary.unmatchedIngest.length);
    expect(bySource.derived).toBeGreaterThan(0);
    expect(summary.touches).toBe(rows.reduce((sum, r) => sum + r.n, 0));
    expect(summary.coverage.pipeline.deals.total).toBeGreaterThan(0);
  });

  it('gives the same credits when run again', async () => {
    const before = await listCredits(db.pool, fixture.portalId);
    await attributePortal(db.pool, fixture.portalId, { now: new Date(fixture.now) });
    expect(await listCredits(db.pool, fixture.portalId)).toEqual(before);
  });
});
