import { describe, expect, it } from 'vitest';
import { adminLink } from '../lib/contracts/admin-link.ts';
import { fieldInput } from '../lib/contracts/common.ts';
import { contactCard } from '../lib/contracts/contact.ts';
import { dealCard } from '../lib/contracts/deal.ts';
import { ticketCard } from '../lib/contracts/ticket.ts';
import { contactCardData, dealCardData, ticketCardData } from './helpers/fixtures.ts';

/** An answer as JSON gives it: any field may be anything, which is what these tests feed the decoders. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Deep copy through JSON, as the answer arrives, then `change` applied to it. */
function altered<T>(value: T, change: (copy: Json) => void): unknown {
  const copy: Json = JSON.parse(JSON.stringify(value));
  change(copy);
  return copy;
}

describe('card answer decoders', () => {
  it('take the answers the contracts describe, as they are', () => {
    expect(dealCard(JSON.parse(JSON.stringify(dealCardData())))).toEqual(dealCardData());
    expect(ticketCard(JSON.parse(JSON.stringify(ticketCardData())))).toEqual(ticketCardData());
    expect(contactCard(JSON.parse(JSON.stringify(contactCardData())))).toEqual(contactCardData());
    expect(adminLink({ url: 'https://a.example/admin/enter?token=t', expiresAt: '2026-11-07T16:25:00.000Z' })).toEqual({
      url: 'https://a.example/admin/enter?token=t',
      expiresAt: '2026-11-07T16:25:00.000Z',
    });
  });

  it('refuse a missing field, a value of the wrong type, an unknown enum value or a number out of range', () => {
    const refusals: [string, unknown][] = [
      ['no compliance', altered(dealCardData(), (d) => delete d.compliance)],
      ['score 101', altered(dealCardData(), (d) => (d.compliance.score = 101))],
      ['score 40.5', altered(dealCardData(), (d) => (d.compliance.score = 40.5))],
      ['status "ok"', altered(dealCardData(), (d) => (d.compliance.status = 'ok'))],
      ['objectType ticket', altered(dealCardData(), (d) => (d.objectType = 'ticket'))],
      ['objectId a number', altered(dealCardData(), (d) => (d.objectId = 1235))],
      ['negative cents', altered(dealCardData(), (d) => (d.attribution.byChannel[0].cents = -1))],
      ['touch source unknown', altered(dealCardData(), (d) => (d.attribution.touches[0].source = 'csv'))],
      ['input kind unknown', altered(dealCardData(), (d) => (d.missingFields.current[0].input = { kind: 'color' }))],
      ['picklist without options', altered(dealCardData(), (d) => delete d.missingFields.current[0].input.options)],
    ];
    for (const [why, value] of refusals) expect(dealCard(value), why).toBeUndefined();
    expect(ticketCard(altered(ticketCardData(), (t) => (t.checklists[0].percent = 150)))).toBeUndefined();
    expect(ticketCard(altered(ticketCardData(), (t) => (t.contract.status = 'maybe')))).toBeUndefined();
    expect(ticketCard(altered(ticketCardData(), (t) => (t.checklists[0].total = 0)))).toBeUndefined();
    expect(contactCard(altered(contactCardData(), (c) => (c.touches.first = 'yesterday')))).toBeUndefined();
    expect(contactCard(altered(contactCardData(), (c) => (c.acceptLead.available = 'yes')))).toBeUndefined();
    expect(contactCard(null)).toBeUndefined();
    expect(contactCard([])).toBeUndefined();
  });

  it('ignore a field they do not know (a backend deployed ahead of the card upload), and drop it', () => {
    const decoded = dealCard(altered(dealCardData(), (d) => (d.forecast = { weighted: 1 })));
    expect(decoded).toEqual(dealCardData());
  });

  it('narrow the field input to its kind', () => {
    expect(fieldInput({ kind: 'number', greaterThan: 0 })).toEqual({ kind: 'number', greaterThan: 0 });
    expect(fieldInput({ kind: 'number', greaterThan: '0' })).toBeUndefined();
    expect(fieldInput({ kind: 'date' })).toEqual({ kind: 'date' });
    expect(fieldInput({ kind: 'toString' })).toBeUndefined();
  });
});
