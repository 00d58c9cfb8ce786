import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FixtureCounts } from '../../bench/fixture-generator.ts';
import { PortalFixtureSchema } from '../../bench/fixture-schema.ts';
import type { CrmObject, PortalFixture } from '../../bench/fixture-schema.ts';
import { generateText } from './generate-text.ts';

const demo = PortalFixtureSchema.parse(
  JSON.parse(readFileSync(new URL('../../fixtures/demo-portal.json', import.meta.url), 'utf8')),
);

/** Key orders of the demo fixture; a pattern stands for a run of date-entered properties. */
const ORDERS = {
  record: ['id', 'createdAt', 'updatedAt', 'archived', 'properties', 'propertiesWithHistory'],
  contacts: [
    'createdate', 'email', 'firstname', 'lastname', 'hubspot_owner_id', 'hs_analytics_source', /^hs_lifecyclestage_\w+_date$/,
    'lifecyclestage', 'clr_channel', 'clr_offer_id', 'clr_icp_tier', 'hs_sa_first_engagement_date', 'clr_sal_date', 'clr_product_line',
  ],
  companies: ['createdate', 'name', 'domain'],
  deals: [
    'dealname', 'pipeline', 'hubspot_owner_id', 'createdate', /^hs_date_entered_\w+$/, 'dealstage', 'amount', 'closedate',
    'clr_product_line', 'clr_sla_scope', 'clr_win_reason', 'clr_loss_reason', 'clr_contract_id',
  ],
  tickets: [
    'subject', 'hs_pipeline', 'hubspot_owner_id', 'createdate', /^hs_v2_date_entered_\w+$/, 'hs_pipeline_stage', 'clr_contract_id',
    'clr_change_request_reason',
  ],
  event: ['id', 'eventType', 'objectType', 'objectId', 'occurredAt', 'properties'],
  eventProperties: ['hs_url', 'hs_utm_medium', 'hs_utm_source', 'hs_utm_campaign', 'hs_utm_content'],
} satisfies Record<string, (string | RegExp)[]>; // prettier-ignore

/** Date-entered properties are listed in pipeline order. */
const STAGE_ORDERS = {
  contacts: ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'subscriber', 'other'],
  deals: ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'],
  tickets: ['onboarding', 'in_delivery', 'results_review', 'closed', '1', '2', '3', '4'],
}; // prettier-ignore

/** Keys out of the canonical order, or matching none of it. */
function orderViolations(keys: readonly string[], order: readonly (string | RegExp)[]): string[] {
  const positions = keys.map((k) => order.findIndex((o) => (typeof o === 'string' ? o === k : o.test(k))));
  return keys.filter((k, i) => positions[i] === -1 || (positions[i] ?? 0) < (positions[i - 1] ?? 0));
}

function dateOrderViolations(kind: keyof typeof STAGE_ORDERS, o: CrmObject): string[] {
  const stage = (key: string) =>
    key.replace(/^hs_lifecyclestage_(\w+)_date$/, '$1').replace(/^hs_v2_date_entered_|^hs_date_entered_/, '');
  const dated = Object.keys(o.properties).filter((k) => /^hs_lifecyclestage_\w+_date$|date_entered_/.test(k));
  const ranks = dated.map((k) => STAGE_ORDERS[kind].indexOf(stage(k)));
  return dated.filter((k, i) => (ranks[i] ?? -1) < 0 || (ranks[i] ?? 0) < (ranks[i - 1] ?? -1));
}

const KINDS = ['contacts', 'companies', 'deals', 'tickets'] as const;

describe('the fixture key orders this test checks against', () => {
  it('are the demo fixture’s own', () => {
    for (const kind of KINDS) {
      for (const o of demo.objects[kind]) {
        expect(orderViolations(Object.keys(o), ORDERS.record)).toEqual([]);
        expect(orderViolations(Object.keys(o.properties), ORDERS[kind])).toEqual([]);
        if (kind !== 'companies') expect(dateOrderViolations(kind, o)).toEqual([]);
      }
    }
    for (const e of demo.events) {
      expect(orderViolations(Object.keys(e), ORDERS.event)).toEqual([]);
      expect(orderViolations(Object.keys(e.properties), ORDERS.eventProperties)).toEqual([]);
    }
  });
});

describe('a generated fixture (3,000 contacts)', { timeout: 60_000 }, () => {
  let text = '';
  let counts: FixtureCounts;
  let fixture: PortalFixture;

  beforeAll(async () => {
    ({ text, counts } = await generateText({ contacts: 3000, seed: 11 }));
    fixture = PortalFixtureSchema.parse(JSON.parse(text));
  }, 120_000);

  it('is valid JSON in the fixture format, with the demo’s header', () => {
    expect(Object.keys(JSON.parse(text))).toEqual(
      Object.keys(JSON.parse(readFileSync(new URL('../../fixtures/demo-portal.json', import.meta.url), 'utf8'))),
    );
    expect(fixture.format).toBe('closed-loop-portal-fixture/1');
    expect(fixture.now).toBe('2026-11-01T00:00:00.000Z');
    expect(fixture.pipelines).toEqual(demo.pipelines);
    expect(fixture.owners.slice(0, 3)).toEqual(
      demo.owners.map((o) => ({ ...o, email: `${o.firstName}.${o.lastName}@example.com`.toLowerCase() })),
    );
    expect(Object.keys(fixture.objects)).toEqual(Object.keys(demo.objects));
    expect(Object.keys(fixture.ingest)).toEqual(['touches', 'spend']);
  });

  it('returns the counts the document holds', () => {
    expect(counts).toEqual({
      contacts: fixture.objects.contacts.length,
      companies: fixture.objects.companies.length,
      deals: fixture.objects.deals.length,
      tickets: fixture.objects.tickets.length,
      associations: fixture.associations.length,
      events: fixture.events.length,
      ingestTouches: fixture.ingest.touches.length,
      spendRows: fixture.ingest.spend.length,
      owners: fixture.owners.length,
      bytes: Buffer.byteLength(text),
    });
    expect(counts.contacts).toBe(3000);
  });

  it('keeps the demo’s proportions per contact', () => {
    const per = (n: number) => n / counts.contacts;
    expect(per(counts.companies)).toBeCloseTo(0.25, 2);
    expect(per(counts.deals)).toBeGreaterThan(0.13);
    expect(per(counts.deals)).toBeLessThan(0.21);
    expect(per(counts.tickets)).toBeGreaterThan(0.025);
    expect(per(counts.tickets)).toBeLessThan(0.06);
    expect(per(counts.events)).toBeGreaterThan(2.6);
    expect(per(counts.events)).toBeLessThan(3.4);
    expect(per(counts.associations)).toBeGreaterThan(1.1);
    expect(per(counts.associations)).toBeLessThan(1.4);
  });

  it('uses the demo’s property names and key orders', () => {
    const extras: Record<(typeof KINDS)[number], RegExp> = {
      contacts: /^hs_lifecyclestage_(subscriber|other)_date$/,
      companies: /^$/,
      deals: /^$/,
      tickets: /^hs_v2_date_entered_[1-4]$/,
    };
    for (const kind of KINDS) {
      const demoNames = new Set(demo.objects[kind].flatMap((o) => Object.keys(o.properties)));
      const names = new Set(fixture.objects[kind].flatMap((o) => Object.keys(o.properties)));
      expect([...names].filter((n) => !demoNames.has(n) && !extras[kind].test(n))).toEqual([]);
      for (const o of fixture.objects[kind]) {
        expect(orderViolations(Object.keys(o), ORDERS.record)).toEqual([]);
        expect(orderViolations(Object.keys(o.properties), ORDERS[kind])).toEqual([]);
        if (kind !== 'companies') expect(dateOrderViolations(kind, o)).toEqual([]);
      }
    }
    for (const e of fixture.events) {
      expect(orderViolations(Object.keys(e), ORDERS.event)).toEqual([]);
      expect(orderViolations(Object.keys(e.properties), ORDERS.eventProperties)).toEqual([]);
      expect(['e_visited_page', 'e_submitted_form']).toContain(e.eventType);
    }
  });

  it('gives numeric ids, unique across object types, and unique event ids', () => {
    const ids = KINDS.flatMap((kind) => fixture.objects[kind].map((o) => o.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(fixture.events.map((e) => e.id)).size).toBe(fixture.events.length);
    for (const kind of KINDS) {
      const numeric = fixture.objects[kind].map((o) => Number(o.id));
      expect(numeric).toEqual(numeric.toSorted((a, b) => a - b));
    }
  });

  it('points every association and event at existing objects, with the demo’s type pairs', () => {
    const exists = new Set(KINDS.flatMap((kind) => fixture.objects[kind].map((o) => `${kind}:${o.id}`)));
    const demoPairs = new Set(demo.associations.map((a) => `${a.from.type}>${a.to.type}`));
    for (const a of fixture.associations) {
      expect(exists.has(`${a.from.type}:${a.from.id}`), JSON.stringify(a)).toBe(true);
      expect(exists.has(`${a.to.type}:${a.to.id}`), JSON.stringify(a)).toBe(true);
      expect(demoPairs.has(`${a.from.type}>${a.to.type}`)).toBe(true);
    }
    const keys = fixture.associations.map((a) => `${a.from.id}>${a.to.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of fixture.events) expect(exists.has(`${e.objectType}:${e.objectId}`)).toBe(true);
    const withCompany = new Set(fixture.associations.filter((a) => a.to.type === 'companies').map((a) => a.from.id));
    expect(withCompany.size).toBe(fixture.objects.contacts.length);
  });

  it('lists every history newest first, headed by the current value, up to now', () => {
    const now = Date.parse(fixture.now);
    const stageProperty = { contacts: 'lifecyclestage', deals: 'dealstage', tickets: 'hs_pipeline_stage' } as const;
    for (const kind of ['contacts', 'deals', 'tickets'] as const) {
      for (const o of fixture.objects[kind]) {
        const histories = Object.entries(o.propertiesWithHistory ?? {});
        expect(histories.map(([name]) => name)).toEqual([stageProperty[kind]]);
        for (const [name, entries] of histories) {
          expect(entries.length).toBeGreaterThan(0);
          expect(entries[0]?.value).toBe(o.properties[name]);
          const times = entries.map((h) => Date.parse(h.timestamp));
          expect(times).toEqual(times.toSorted((a, b) => b - a));
          expect(Math.max(...times)).toBeLessThanOrEqual(now);
          expect(o.updatedAt).toBe(entries[0]?.timestamp);
        }
      }
    }
  });

  it('sends ingest touches and twelve months of spend for the paid channels', () => {
    expect(fixture.ingest.touches.length).toBeGreaterThan(0);
    expect(fixture.ingest.spend.map((s) => s.month).filter((m, i, all) => all.indexOf(m) === i)).toEqual([
      '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
    ]); // prettier-ignore
    expect(new Set(fixture.ingest.spend.map((s) => s.channel))).toEqual(
      new Set(demo.ingest.spend.map((s) => s.channel)),
    );
  });
});
