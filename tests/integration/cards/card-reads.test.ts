import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactCard } from '../../../server/cards/contracts/contact.ts';
import { envelope } from '../../../server/cards/contracts/common.ts';
import { DealCard } from '../../../server/cards/contracts/deal.ts';
import { TicketCard } from '../../../server/cards/contracts/ticket.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/index.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { cardPortal, type CardPortal } from './helpers/card-portal.ts';

const db = useTestDatabase();
let portal: CardPortal;

beforeAll(async () => {
  portal = await cardPortal(db.pool, db.url);
});
afterAll(async () => {
  await portal?.close();
});

/** Calls a read endpoint and checks the answer against the contract the cards are written against. */
async function read<T>(path: string, schema: { parse(value: unknown): T }, body: object): Promise<T> {
  const answer = await portal.call({ path, body });
  expect(answer.status).toBe(200);
  expect(answer.bytes).toBeLessThan(1_000_000);
  const parsed = envelope(schema as never).parse(answer.json) as { ok: true; data: T } | { ok: false; error: unknown };
  if (!parsed.ok) throw new Error(`expected data, got ${JSON.stringify(parsed.error)}`);
  return parsed.data;
}

describe('deal card', () => {
  it('shows the invalid picklist value and what the next stage will need, with inputs of the right kind', async () => {
    // Deal 1235: at Discovery, clr_product_line "Cloud" is not an option; no clr_sla_scope yet.
    const card = await read('/cards/v1/deal', DealCard, portal.claims(1235));
    expect(card.stage).toEqual({ id: 'discovery', label: 'Discovery' });
    expect(card.nextStage).toEqual({ id: 'proposal', label: 'Proposal' });
    expect(card.compliance?.status).toBe('invalid');
    const productLine = card.missingFields.current.find((f) => f.property === 'clr_product_line');
    expect(productLine).toMatchObject({ problem: 'invalid', value: 'Cloud', label: 'Product line' });
    expect(productLine?.input).toEqual({
      kind: 'picklist',
      picklist: 'product_line',
      options: DEFAULT_DEFINITIONS.picklists.find((p) => p.name === 'product_line')!.options,
    });
    expect(card.missingFields.next.map((f) => [f.property, f.input.kind])).toEqual([['clr_sla_scope', 'text']]);
    expect(card.missingFields.next[0]?.requiredFrom).toEqual({ id: 'proposal', label: 'Proposal' });
    expect(card.stageTime.sla).toMatchObject({ id: 'deal_stall', thresholdDays: 30 });
    // Discovery is entered with its first HubSpot value, appointmentscheduled.
    expect(card.stageTime.enteredAt).toBe('2026-10-11T15:00:00.000Z');
  });

  it("shows the stored credits by channel, the touches behind them and the deal's coverage", async () => {
    const { rows: deals } = await db.pool.query<{ deal_id: number }>(
      `SELECT deal_id FROM attribution_credits WHERE portal_id = $1 AND touch_id <> '' GROUP BY deal_id ORDER BY deal_id LIMIT 1`,
      [portal.portalId],
    );
    const dealId = deals[0]!.deal_id;
    const models = DEFAULT_DEFINITIONS.attribution.models.filter((m) => m.enabled);
    for (const model of [models[0]!, models.at(-1)!]) {
      const card = await read('/cards/v1/deal', DealCard, { ...portal.claims(dealId), model: model.id });
      const { rows } = await db.pool.query<{ channel: string; cents: number; touch_id: string }>(
        `SELECT channel, cents, touch_id FROM attribution_credits
          WHERE portal_id = $1 AND deal_id = $2 AND model = $3 AND kind = 'pipeline'`,
        [portal.portalId, dealId, model.id],
      );
      const expected = new Map<string, number>();
      for (const r of rows) expected.set(r.channel, (expected.get(r.channel) ?? 0) + r.cents);
      expect(card.attribution.model).toBe(model.id);
      expect(card.attribution.models.map((m) => m.id)).toEqual(models.map((m) => m.id));
      expect(new Map(card.attribution.byChannel.map((c) => [c.channel, c.cents]))).toEqual(expected);
      expect(card.attribution.creditedCents).toBe(rows.reduce((s, r) => s + r.cents, 0));
      expect(card.attribution.touches.map((t) => t.id).sort()).toEqual(
        rows
          .filter((r) => r.touch_id !== '')
          .map((r) => r.touch_id)
          .sort(),
      );
      const trackable = card.attribution.touches.some((t) => t.trackable);
      expect(card.attribution.coverage.deals).toEqual({
        covered: trackable ? 1 : 0,
        total: 1,
        ratio: trackable ? 1 : 0,
      });
    }
  });

  it('refuses a model the definitions do not have, naming the ones they do', async () => {
    const answer = await portal.call({ path: '/cards/v1/deal', body: { ...portal.claims(1235), model: 'magic' } });
    expect(answer.json).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'model' } });
    expect(JSON.stringify(answer.json)).toContain('first_touch');
  });
});

describe('ticket card', () => {
  it('shows the handoff checklist, the originating deal and the contract match', async () => {
    // Ticket 1270: In delivery, contract CTR-48614, from deal 1269.
    const card = await read('/cards/v1/ticket', TicketCard, portal.claims(1270));
    expect(card.stage).toEqual({ id: 'in_delivery', label: 'In delivery' });
    const handoff = card.checklists.find((c) => c.id === 'handoff')!;
    expect(handoff.items.map((i) => i.id)).toEqual(DEFAULT_DEFINITIONS.checklists[0]!.items.map((i) => i.id));
    expect(handoff).toMatchObject({ done: 0, total: 7, percent: 0, complete: false });
    expect(handoff.requiredFrom).toEqual({ id: 'in_delivery', label: 'In delivery' });
    expect(card.findings.map((f) => f.code)).toContain('checklist_incomplete');
    expect(card.originDeal?.id).toBe('1269');
    expect(card.dealIds).toEqual(['1269']);
    const { rows } = await db.pool.query<{ contract: string | null; scope: string | null }>(
      `SELECT properties ->> 'clr_contract_id' AS contract, properties ->> 'clr_sla_scope' AS scope FROM deals WHERE portal_id = $1 AND id = 1269`,
      [portal.portalId],
    );
    expect(card.originDeal?.contractId).toBe(rows[0]!.contract);
    expect(card.originDeal?.slaScope).toBe(rows[0]!.scope);
    expect(card.contract).toEqual({
      property: 'clr_contract_id',
      ticketContractId: 'CTR-48614',
      status: rows[0]!.contract?.trim() === 'CTR-48614' ? 'match' : 'mismatch',
    });
    expect(card.changeRequestReason.options.map((o) => o.value)).toEqual(
      DEFAULT_DEFINITIONS.picklists.find((p) => p.name === 'change_request_reason')!.options.map((o) => o.value),
    );
  });
});

describe('contact card', () => {
  it('shows the lifecycle timeline, touches, SLAs and that an MQL can be accepted', async () => {
    const card = await read('/cards/v1/contact', ContactCard, portal.claims(1049));
    expect(card.stage).toEqual({ id: 'mql', label: 'MQL' });
    expect(card.timeline.map((t) => t.stage.id)).toEqual(['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer']);
    expect(card.timeline.find((t) => t.current)?.stage.id).toBe('mql');
    expect(card.timeline[1]?.enteredAt).toBe('2026-11-06T01:00:00.000Z');
    expect(card.acceptLead).toEqual({ available: true, property: 'clr_sal_date', reason: null, acceptedAt: null });
    expect(card.slas.map((s) => s.id).sort()).toEqual(['lead_acceptance', 'lead_follow_up']);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM touches WHERE portal_id = $1 AND contact_id = 1049`,
      [portal.portalId],
    );
    expect(card.touches.count).toBe(rows[0]!.n);
    if (card.touches.count > 0) expect(card.touches.first!.occurredAt <= card.touches.last!.occurredAt).toBe(true);
  });

  it('shows a duplicate with its survivor, and the survivor with its duplicate', async () => {
    const duplicate = await read('/cards/v1/contact', ContactCard, portal.claims(1241));
    expect(duplicate.duplicates).toEqual({
      survivorId: '1063',
      others: [{ id: '1063', survivor: true }],
      property: 'email',
    });
    const survivor = await read('/cards/v1/contact', ContactCard, portal.claims(1063));
    expect(survivor.duplicates).toEqual({
      survivorId: null,
      others: [{ id: '1241', survivor: false }],
      property: 'email',
    });
  });

  it('says why a contact past MQL cannot be accepted', async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      `SELECT id FROM contacts WHERE portal_id = $1 AND lifecyclestage = 'lead' ORDER BY id LIMIT 1`,
      [portal.portalId],
    );
    const card = await read('/cards/v1/contact', ContactCard, portal.claims(rows[0]!.id));
    expect(card.acceptLead).toMatchObject({
      available: false,
      reason: 'Only a lead at MQL can be accepted; this contact is at Lead.',
    });
  });
});
