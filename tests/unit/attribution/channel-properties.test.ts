import { describe, expect, it } from 'vitest';
import {
  contactChannelProperties,
  dealChannelProperties,
  ticketChannelProperties,
} from '../../../server/domain/attribution/index.ts';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../../server/domain/policy/index.ts';
import { day, scenario, touch } from './scenario.ts';

const D = DEFAULT_DEFINITIONS;
const NOW = day(100);

describe('contact channel properties', () => {
  const touches = [
    touch('late', '1', day(101), { channel: 'events' }), // after now: ignored
    touch('b', '1', day(50), { channel: 'partner' }),
    touch('a2', '1', day(10), { channel: 'paid_search' }),
    touch('a1', '1', day(10), { channel: 'email' }), // ties on time with a2: "a1" < "a2" comes first
    touch('c', '1', day(100), { channel: 'referral' }), // exactly now: counts
  ];

  it('first and last touch channel: earliest and latest touch at or before now, with no lookback', () => {
    expect(contactChannelProperties(touches, NOW, D)).toEqual({
      clr_first_touch_channel: 'email',
      clr_last_touch_channel: 'referral',
    });
    expect(contactChannelProperties(touches, day(700), D)).toEqual({
      clr_first_touch_channel: 'email',
      clr_last_touch_channel: 'events',
    });
  });

  it('writes nothing without a touch at or before now', () => {
    expect(contactChannelProperties([touches[0]!], NOW, D)).toEqual({});
    expect(contactChannelProperties([], NOW, D)).toEqual({});
  });
});

describe('deal channel properties', () => {
  // Contact 1: a (day 0, email), b (day 30, partner), c (day 60, events), d (day 90, referral).
  const touches = [
    touch('a', '1', day(0), { channel: 'email' }),
    touch('b', '1', day(30), { channel: 'partner' }),
    touch('c', '1', day(60), { channel: 'events' }),
    touch('d', '1', day(90), { channel: 'referral' }),
  ];
  const make = (over: { stage: string; closedDay?: number; createdDay?: number; amount?: string | null }) =>
    scenario({
      amount: over.amount === undefined ? '10' : over.amount,
      createdDay: 'createdDay' in over ? over.createdDay : 20,
      closedDay: over.closedDay,
      stage: over.stage,
      contacts: [{ id: '1', createdDay: 0 }],
      touches,
    });

  it('a won deal: first pipeline-credit touch, last revenue-credit touch, lead = first', () => {
    const s = make({ stage: 'closed_won', closedDay: 45 });
    expect(dealChannelProperties(s.deal, s.contacts, NOW, D)).toEqual({
      clr_first_touch_channel: 'email',
      clr_last_touch_channel: 'partner',
      clr_lead_channel: 'email',
    });
  });

  it('a deal not won: last deal touch with M = now', () => {
    const s = make({ stage: 'contract', closedDay: 45 });
    expect(dealChannelProperties(s.deal, s.contacts, NOW, D)).toMatchObject({ clr_last_touch_channel: 'referral' });
    // With M = now the lookback applies: at day 400 the window is days 35–400 (last: d, day 90); at
    // day 456 it is days 91–456, which holds no touch.
    expect(dealChannelProperties(s.deal, s.contacts, day(400), D)).toMatchObject({
      clr_last_touch_channel: 'referral',
    });
    expect(dealChannelProperties(s.deal, s.contacts, day(456), D).clr_last_touch_channel).toBeUndefined();
  });

  it('a won deal without a closedate falls back to M = now; the amount does not matter', () => {
    const s = make({ stage: 'closed_won', amount: null });
    expect(dealChannelProperties(s.deal, s.contacts, NOW, D)).toEqual({
      clr_first_touch_channel: 'email',
      clr_last_touch_channel: 'referral',
      clr_lead_channel: 'email',
    });
  });

  it('no createdate: no first or lead channel; out of scope: nothing', () => {
    const s = make({ stage: 'discovery', createdDay: undefined });
    expect(dealChannelProperties(s.deal, s.contacts, NOW, D)).toEqual({ clr_last_touch_channel: 'referral' });
    const out = make({ stage: 'discovery' });
    expect(dealChannelProperties({ ...out.deal, inScope: false }, out.contacts, NOW, D)).toEqual({});
  });

  it('writes only the properties the definitions write back on deals', () => {
    const definitions: Definitions = {
      ...D,
      properties: {
        ...D.properties,
        writtenBack: D.properties.writtenBack.filter((p) => p.name !== 'clr_lead_channel'),
      },
    };
    const s = make({ stage: 'discovery' });
    expect(Object.keys(dealChannelProperties(s.deal, s.contacts, NOW, definitions))).toEqual([
      'clr_first_touch_channel',
      'clr_last_touch_channel',
    ]);
  });
});

describe('ticket channel properties', () => {
  const leads = new Map([
    ['999', 'partner'],
    ['1000', 'email'],
  ]);
  const lead = (id: string) => leads.get(id);

  it('the lead channel of its associated deal with the lowest numeric id', () => {
    expect(ticketChannelProperties(['1000', '999'], lead, D)).toEqual({ clr_lead_channel: 'partner' });
  });

  it('nothing when that deal has none, or there is no deal', () => {
    expect(ticketChannelProperties(['1000', '5'], lead, D)).toEqual({});
    expect(ticketChannelProperties([], lead, D)).toEqual({});
  });
});
