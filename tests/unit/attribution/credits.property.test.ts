import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contactIndex,
  createAttributionEngine,
  DAY_MS,
  type CreditRow,
  type DealForAttribution,
  type Touch,
} from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS, type AttributionModel, type Definitions } from '../../../server/domain/policy/index.ts';

/**
 * For any deal, touches and model: credits are positive integers of cents (0-cent rows are not
 * emitted), sum exactly to the amount, do not depend on the order the touches and contacts arrive
 * in, give a lone touch everything, and, for the exact models, equal an independent reference
 * written straight from the wording of section 7.
 */

const M0 = Date.UTC(2026, 5, 1);
const CONTACT_IDS = ['7', '42', '100', '1000'];

type World = {
  deal: DealForAttribution;
  contactCreated: Map<string, number | undefined>;
  touches: Touch[];
};

const touchArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    contactId: fc.constantFrom(...CONTACT_IDS),
    // Mostly inside a year before the moments, some before the lookback, some after; many ties.
    time: fc.oneof(
      fc.integer({ min: -420, max: 60 }).map((d) => M0 + d * DAY_MS),
      fc.integer({ min: -420 * DAY_MS, max: 60 * DAY_MS }).map((ms) => M0 + ms),
    ),
    channel: fc.constantFrom('email', 'paid_search', 'other', 'partner'),
    trackable: fc.boolean(),
    campaignId: fc.option(fc.constantFrom('CMP-A', 'CMP-B'), { nil: null }),
    offerId: fc.constant(null),
    contentId: fc.constant(null),
    source: fc.constantFrom('hubspot_event' as const, 'ingest' as const, 'derived' as const),
  });

const worldArb: fc.Arbitrary<World> = fc
  .record({
    ids: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 14 }),
    cents: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
    contactIds: fc.subarray(CONTACT_IDS, { minLength: 0 }),
    created: fc.array(fc.option(fc.integer({ min: -400, max: 40 }), { nil: undefined }), {
      minLength: CONTACT_IDS.length,
      maxLength: CONTACT_IDS.length,
    }),
    createdDay: fc.integer({ min: -30, max: 0 }),
    closedDay: fc.integer({ min: 0, max: 30 }),
    won: fc.boolean(),
  })
  .chain((w) =>
    fc.tuple(fc.constant(w), fc.tuple(...w.ids.map(touchArb))).map(([w, touches]) => ({
      deal: {
        id: 'd',
        inScope: true,
        stage: w.won ? 'closed_won' : 'proposal',
        createdAt: M0 + w.createdDay * DAY_MS,
        closedAt: M0 + w.closedDay * DAY_MS,
        amountCents: w.cents,
        contactIds: w.contactIds,
      },
      contactCreated: new Map(
        CONTACT_IDS.map((id, i) => [id, w.created[i] === undefined ? undefined : M0 + w.created[i]! * DAY_MS]),
      ),
      touches,
    })),
  );

function credit(world: World, definitions: Pick<Definitions, 'attribution'>, shuffle?: (n: number) => number[]) {
  const byContact = new Map<string, Touch[]>();
  for (const t of world.touches) byContact.set(t.contactId, [...(byContact.get(t.contactId) ?? []), t]);
  if (shuffle)
    for (const [id, list] of byContact)
      byContact.set(
        id,
        shuffle(list.length).map((i) => list[i]!),
      );
  const contactIds = shuffle
    ? shuffle(world.deal.contactIds.length).map((i) => world.deal.contactIds[i]!)
    : world.deal.contactIds;
  return createAttributionEngine(definitions).creditDeal(
    { ...world.deal, contactIds },
    contactIndex(byContact, world.contactCreated),
  );
}

const group = (rows: CreditRow[]) => {
  const groups = new Map<string, CreditRow[]>();
  for (const row of rows)
    groups.set(`${row.model}/${row.kind}`, [...(groups.get(`${row.model}/${row.kind}`) ?? []), row]);
  return groups;
};

const KINDS = (world: World) => (world.deal.stage === 'closed_won' ? ['pipeline', 'revenue'] : ['pipeline']);

/** Random positional models: shares in tenths of a percent summing to 100, at least one role. */
const modelsArb: fc.Arbitrary<AttributionModel[]> = fc
  .array(
    fc
      .tuple(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
      )
      .filter(([a, b, c, d]) => a + b + c + d > 0),
    { minLength: 1, maxLength: 3 },
  )
  .map((list) =>
    list.map(([a, b, c, d, e], i) => {
      const total = a + b + c + d + e;
      // Scale to 1000 tenths; the rounding remainder goes to the first non-zero role so the sum is exact.
      const tenths = [a, b, c, d, e].map((x) => Math.floor((x * 1000) / total));
      const gap = 1000 - tenths.reduce((s, x) => s + x, 0);
      tenths[tenths.findIndex((x, k) => k < 4 && x > 0)]! += gap;
      const [first, last, lead_creation, deal_creation, others] = tenths.map((x) => x / 10);
      return {
        id: `m${i}`,
        label: `M${i}`,
        enabled: true,
        kind: 'positional' as const,
        weights: { first, last, lead_creation, deal_creation, others },
      };
    }),
  );

describe('credits, for every model and any input', () => {
  it('are positive integers of cents that sum exactly to the amount, for every model and kind', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const groups = group(credit(world, DEFAULT_DEFINITIONS));
        expect(groups.size).toBe(DEFAULT_DEFINITIONS.attribution.models.length * KINDS(world).length);
        for (const rows of groups.values()) {
          for (const row of rows) expect(Number.isSafeInteger(row.cents) && row.cents > 0).toBe(true);
          expect(rows.reduce((sum, row) => sum + row.cents, 0)).toBe(world.deal.amountCents);
          expect(new Set(rows.map((r) => r.touchId)).size).toBe(rows.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('do not depend on the order of the touches or of the contacts', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.nat()), (world, randomness) => {
        const it = randomness[Symbol.iterator]();
        const shuffle = (n: number) => {
          const order = Array.from({ length: n }, (_, i) => i);
          for (let i = n - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          return order;
        };
        expect(credit(world, DEFAULT_DEFINITIONS, shuffle)).toEqual(credit(world, DEFAULT_DEFINITIONS));
      }),
      { numRuns: 200 },
    );
  });

  it('give a lone touch everything under every model', () => {
    fc.assert(
      fc.property(worldArb, fc.integer({ min: 0, max: 364 * DAY_MS }), (world, before) => {
        fc.pre(world.deal.contactIds.length > 0 && world.touches.length > 0);
        const lone = {
          ...world.touches[0]!,
          contactId: world.deal.contactIds[0]!,
          time: world.deal.createdAt! - before,
        };
        const rows = credit(
          { ...world, deal: { ...world.deal, stage: 'proposal' }, touches: [lone] },
          DEFAULT_DEFINITIONS,
        );
        expect(rows).toHaveLength(DEFAULT_DEFINITIONS.attribution.models.length);
        for (const row of rows) expect(row).toMatchObject({ touchId: lone.id, cents: world.deal.amountCents });
      }),
    );
  });

  it('equal a reference written from section 7, for random positional shares and linear', () => {
    fc.assert(
      fc.property(worldArb, modelsArb, (world, models) => {
        const definitions = {
          attribution: {
            ...DEFAULT_DEFINITIONS.attribution,
            models: [...models, { id: 'lin', label: 'Lin', enabled: true, kind: 'linear' as const }],
          },
        };
        const rows = credit(world, definitions);
        for (const kind of KINDS(world) as ('pipeline' | 'revenue')[])
          for (const model of definitions.attribution.models) {
            const actual = Object.fromEntries(
              rows.filter((r) => r.model === model.id && r.kind === kind).map((r) => [String(r.touchId), r.cents]),
            );
            expect(actual).toEqual(reference(world, model, kind));
          }
      }),
      { numRuns: 300 },
    );
  });
});

/** Section 7 read literally, in bigint rationals, with none of the engine's code. */
function reference(world: World, model: AttributionModel, kind: 'pipeline' | 'revenue'): Record<string, number> {
  const { deal } = world;
  const M = kind === 'pipeline' ? deal.createdAt! : deal.closedAt!;
  const contacts = [...new Set(deal.contactIds)];
  const touches = world.touches
    .filter((t) => contacts.includes(t.contactId) && t.time >= M - 365 * DAY_MS && t.time <= M)
    .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const cents = BigInt(deal.amountCents!);
  if (touches.length === 0) return { null: Number(cents) };

  const primary = [...contacts].sort((a, b) => {
    const ca = world.contactCreated.get(a);
    const cb = world.contactCreated.get(b);
    if (ca !== cb) return ca === undefined ? 1 : cb === undefined ? -1 : ca - cb;
    return Number(BigInt(a) - BigInt(b));
  })[0];
  const primaryCreated = primary === undefined ? undefined : world.contactCreated.get(primary);
  const first = touches[0]!;
  const holders: Record<string, Touch> = {
    first,
    last: touches.at(-1)!,
    deal_creation: touches.filter((t) => t.time <= deal.createdAt!).at(-1) ?? first,
    lead_creation:
      touches
        .filter((t) => t.contactId === primary && primaryCreated !== undefined && t.time <= primaryCreated)
        .at(-1) ?? first,
  };

  const weight = new Map<string, bigint>(touches.map((t) => [t.id, 0n]));
  if (model.kind === 'linear') for (const t of touches) weight.set(t.id, 1n);
  else if (model.kind === 'positional') {
    const tenths = (share: number | undefined) => BigInt(Math.round((share ?? 0) * 10));
    const add = (id: string, w: bigint) => weight.set(id, weight.get(id)! + w);
    const roles = (['first', 'last', 'lead_creation', 'deal_creation'] as const).filter(
      (r) => tenths(model.weights[r]) > 0n,
    );
    const roleTouches = new Set(roles.map((r) => holders[r]!.id));
    const others = touches.filter((t) => !roleTouches.has(t.id));
    if (others.length > 0) {
      // Over the common denominator |others|: a role's share × |others|; each other, the others' share.
      for (const role of roles) add(holders[role]!.id, tenths(model.weights[role]) * BigInt(others.length));
      for (const t of others) add(t.id, tenths(model.weights.others));
    } else {
      // No others: each role also gets others / |roles|. Over |roles|: share × |roles| + others.
      for (const role of roles)
        add(holders[role]!.id, tenths(model.weights[role]) * BigInt(roles.length) + tenths(model.weights.others));
    }
  } else throw new Error('time decay has no exact reference');

  const ws = touches.map((t) => weight.get(t.id)!);
  const sum = ws.reduce((a, b) => a + b, 0n);
  const parts = ws.map((w) => (cents * w) / sum);
  const rems = ws.map((w) => (cents * w) % sum);
  let left = cents - parts.reduce((a, b) => a + b, 0n);
  const order = touches.map((_, i) => i).sort((a, b) => (rems[a] === rems[b] ? a - b : rems[a]! > rems[b]! ? -1 : 1));
  for (const i of order) {
    if (left === 0n) break;
    parts[i]!++;
    left--;
  }
  return Object.fromEntries(touches.map((t, i) => [t.id, Number(parts[i]!)]).filter(([, c]) => c !== 0));
}
