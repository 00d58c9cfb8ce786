import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  amountInCents,
  contactIndex,
  createAttributionEngine,
  fixtureIngestTouchId,
  parseHubSpotTime,
  readDeal,
  touchesOfContacts,
  type CreditRow,
} from '../../../server/domain/attribution/index.ts';
import { currentStage, DEFAULT_DEFINITIONS as D, isInScope } from '../../../server/domain/policy/index.ts';

type Obj = { id: string; properties: Record<string, string> };
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/demo-portal.json', import.meta.url), 'utf8')) as {
  objects: { contacts: Obj[]; deals: Obj[] };
  associations: { from: { type: string; id: string }; to: { type: string; id: string } }[];
  events: {
    id: string;
    eventType: string;
    objectType: string;
    objectId: string;
    occurredAt: string;
    properties: Record<string, string>;
  }[];
  ingest: {
    touches: {
      contactEmail: string;
      occurredAt: string;
      channel: string;
      campaignId: string | null;
      offerId: string | null;
      contentId: string | null;
    }[];
  };
};

const touches = touchesOfContacts(
  {
    contacts: fixture.objects.contacts,
    events: fixture.events,
    ingest: fixture.ingest.touches.map((t, i) => ({ ...t, id: fixtureIngestTouchId(i) })),
  },
  D,
);
const contacts = contactIndex(
  touches.byContact,
  new Map(fixture.objects.contacts.map((c) => [c.id, parseHubSpotTime(c.properties['createdate'])])),
);
const contactsOfDeal = (dealId: string) =>
  fixture.associations
    .filter((a) => a.from.type === 'contacts' && a.to.type === 'deals' && a.to.id === dealId)
    .map((a) => a.from.id);
const engine = createAttributionEngine(D);
const deals = fixture.objects.deals.map((record) =>
  readDeal(
    { id: record.id, properties: record.properties, contactIds: contactsOfDeal(record.id) },
    { inScope: isInScope(D.stages.deal, record.properties), stage: currentStage(D.stages.deal, record.properties) },
  ),
);
const rows: CreditRow[] = [];
for (const deal of deals) engine.creditDeal(deal, contacts, rows);

describe('the demo portal', () => {
  it('matches the ingested touches it can, and every event has a valid time', () => {
    expect(touches.invalidTime).toEqual([]);
    expect(touches.unmatchedIngest.length).toBeLessThan(fixture.ingest.touches.length);
    expect([...touches.byContact.values()].flat().some((t) => t.source === 'derived')).toBe(true);
  });

  it('credits round(amount × 100) exactly, for every deal in scope, model and kind', () => {
    let checked = 0;
    for (const record of fixture.objects.deals) {
      const deal = deals.find((d) => d.id === record.id)!;
      const cents = amountInCents(record.properties['amount']);
      for (const kind of ['pipeline', 'revenue'] as const) {
        const credited =
          deal.inScope &&
          cents !== undefined &&
          parseHubSpotTime(record.properties[kind === 'pipeline' ? 'createdate' : 'closedate']) !== undefined &&
          (kind === 'pipeline' || record.properties['dealstage'] === 'closedwon');
        for (const model of D.attribution.models) {
          const own = rows.filter((r) => r.dealId === record.id && r.kind === kind && r.model === model.id);
          if (!credited) {
            expect(own).toEqual([]);
            continue;
          }
          expect(own.reduce((sum, r) => sum + r.cents, 0)).toBe(cents);
          for (const row of own) expect(Number.isInteger(row.cents) && row.cents > 0).toBe(true);
          checked++;
        }
      }
    }
    // 25 deals, all in scope; 20 have an amount (pipeline credit), 4 of those are won with a closedate.
    expect(checked).toBe(D.attribution.models.length * (20 + 4));
  });
});
