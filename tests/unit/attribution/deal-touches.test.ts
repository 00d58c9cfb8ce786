import { describe, expect, it } from 'vitest';
import {
  contactIndex,
  creditedMoment,
  dealTouches,
  keyTouches,
  primaryContact,
  readDeal,
} from '../../../server/domain/attribution/index.ts';
import { centsByTouch, creditRows, day, scenario, touch } from './scenario.ts';

describe('which deals and moments are credited', () => {
  const base = {
    amount: '50',
    createdDay: 10,
    closedDay: 20,
    contacts: [{ id: '1', createdDay: 0 }],
    touches: [touch('a', '1', day(5)), touch('b', '1', day(15))],
  };

  it('pipeline at createdate, revenue at closedate for closed_won deals only', () => {
    const won = creditRows(scenario({ ...base, stage: 'closed_won' }));
    expect(centsByTouch(won, 'last_touch', 'pipeline')).toEqual({ a: 5000 });
    expect(centsByTouch(won, 'last_touch', 'revenue')).toEqual({ b: 5000 });
    for (const stage of ['discovery', 'contract', 'closed_lost', undefined]) {
      const rows = creditRows(scenario({ ...base, stage }));
      expect(rows.filter((r) => r.kind === 'revenue')).toEqual([]);
      expect(rows.filter((r) => r.kind === 'pipeline')).toHaveLength(9);
    }
  });

  it('nothing for a deal out of scope, without a valid amount, or without its moment', () => {
    expect(creditRows(scenario({ ...base, stage: 'closed_won', inScope: false }))).toEqual([]);
    for (const amount of [null, '', '0', '-10', 'ten'])
      expect(creditRows(scenario({ ...base, stage: 'closed_won', amount }))).toEqual([]);
    const noClose = creditRows(scenario({ ...base, stage: 'closed_won', closedDay: undefined }));
    expect(noClose.filter((r) => r.kind === 'revenue')).toEqual([]);
    expect(noClose.filter((r) => r.kind === 'pipeline')).toHaveLength(9);
    const noCreate = creditRows(scenario({ ...base, stage: 'closed_won', createdDay: undefined }));
    expect(noCreate.filter((r) => r.kind === 'pipeline')).toEqual([]);
    expect(centsByTouch(noCreate, 'first_touch', 'revenue')).toEqual({ a: 5000 });
  });

  it('readDeal parses HubSpot’s strings and creditedMoment follows scope and stage', () => {
    const deal = readDeal(
      {
        id: '1148',
        properties: { createdate: '2026-10-09T06:00:00.000Z', closedate: '2026-11-23T06:00:00.000Z', amount: '80000' },
        contactIds: ['1143', '1049'],
      },
      { inScope: true, stage: 'closed_won' },
    );
    expect(deal).toEqual({
      id: '1148',
      inScope: true,
      stage: 'closed_won',
      createdAt: Date.UTC(2026, 9, 9, 6),
      closedAt: Date.UTC(2026, 10, 23, 6),
      amountCents: 8000000,
      contactIds: ['1143', '1049'],
    });
    expect(creditedMoment(deal, 'revenue')).toBe(Date.UTC(2026, 10, 23, 6));
    expect(creditedMoment({ ...deal, stage: 'contract' }, 'revenue')).toBeUndefined();
    expect(creditedMoment({ ...deal, inScope: false }, 'pipeline')).toBeUndefined();
  });
});

describe('deal touches', () => {
  const touches = new Map([
    ['1', [touch('a', '1', day(0)), touch('c', '1', day(20))]],
    ['2', [touch('b', '2', day(10)), touch('d', '2', day(30))]],
  ]);
  const contacts = contactIndex(touches, new Map());

  it('merges the associated contacts’ touches in order, within M − lookback ≤ time ≤ M', () => {
    expect(dealTouches(['2', '1'], contacts, day(20), 365).map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(dealTouches(['2', '1'], contacts, day(30), 20).map((t) => t.id)).toEqual(['b', 'c', 'd']);
    expect(dealTouches(['1'], contacts, day(20), 20).map((t) => t.id)).toEqual(['a', 'c']);
  });

  it('counts a contact listed twice once, and ignores contacts without touches', () => {
    expect(dealTouches(['1', '1', '9'], contacts, day(40), 365).map((t) => t.id)).toEqual(['a', 'c']);
  });
});

describe('key touches', () => {
  const T = (id: string, contactId: string, d: number) => touch(id, contactId, day(d));

  it('deal creation is the latest touch at or before createdate, else the first', () => {
    const touches = [T('a', '1', 0), T('b', '1', 5), T('c', '1', 9)];
    expect(keyTouches(touches, day(5), undefined)?.deal_creation).toBe(1); // at createdate counts
    expect(keyTouches(touches, day(4), undefined)?.deal_creation).toBe(0);
    expect(keyTouches(touches.slice(1), day(1), undefined)?.deal_creation).toBe(0); // none before: the first
    expect(keyTouches(touches, undefined, undefined)?.deal_creation).toBe(0);
  });

  it('lead creation is the primary contact’s latest touch at or before its createdate, else the first', () => {
    const touches = [T('a', '1', 0), T('b', '2', 3), T('c', '1', 4), T('d', '2', 6)];
    expect(keyTouches(touches, undefined, { id: '2', createdAt: day(5) })?.lead_creation).toBe(1);
    expect(keyTouches(touches, undefined, { id: '2', createdAt: day(6) })?.lead_creation).toBe(3);
    expect(keyTouches(touches, undefined, { id: '2', createdAt: day(2) })?.lead_creation).toBe(0);
    expect(keyTouches(touches, undefined, { id: '3', createdAt: day(9) })?.lead_creation).toBe(0);
    expect(keyTouches(touches, undefined, { id: '1', createdAt: undefined })?.lead_creation).toBe(0);
  });

  it('first and last are the ends; no touch, no key touches', () => {
    expect(keyTouches([T('a', '1', 0), T('b', '1', 1)], day(9), undefined)).toEqual({
      first: 0,
      last: 1,
      lead_creation: 0,
      deal_creation: 1,
    });
    expect(keyTouches([], day(9), undefined)).toBeUndefined();
  });

  it('the primary contact: earliest createdate, ties to the lowest numeric id, unknown dates last', () => {
    const created = new Map([
      ['1000', day(3)],
      ['999', day(3)],
      ['5', day(4)],
      ['1', undefined],
    ]);
    const at = (id: string) => created.get(id);
    expect(primaryContact(['5', '1000', '999', '1'], at)).toEqual({ id: '999', createdAt: day(3) });
    expect(primaryContact(['1', '5'], at)).toEqual({ id: '5', createdAt: day(4) });
    expect(primaryContact(['1', '7'], at)).toEqual({ id: '1', createdAt: undefined });
    expect(primaryContact([], at)).toBeUndefined();
  });
});
