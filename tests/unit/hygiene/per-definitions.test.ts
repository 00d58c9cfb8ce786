import { describe, expect, it } from 'vitest';
import { perDefinitions, perDefinitionsAndObject, perStage } from '../../../server/domain/hygiene/per-definitions.ts';
import { stagedRecord, type RecordInput } from '../../../server/domain/hygiene/index.ts';
import { D, edited, evaluate, goodContact, goodDeal, goodTicket, NOW } from './builders.ts';

/** The caches the rules keep per definitions version: built once, and never mixed up between versions. */
describe('per-definitions caches', () => {
  const other = edited((d) => {
    d.slas = [];
  });

  it('builds once per definitions object, whichever was asked for last', () => {
    const built: unknown[] = [];
    const slaCount = perDefinitions((definitions) => {
      built.push(definitions);
      return definitions.slas.length;
    });
    const asked = [D, other, D, D, other].map(slaCount);
    expect(asked).toEqual([D.slas.length, 0, D.slas.length, D.slas.length, 0]);
    expect(built).toEqual([D, other]);
  });

  it('keeps an undefined result like any other', () => {
    let builds = 0;
    const nothing = perDefinitions(() => {
      builds++;
      return undefined;
    });
    [D, other, D, other].forEach(nothing);
    expect(builds).toBe(2);
  });

  it('builds once per definitions and object', () => {
    let builds = 0;
    const slasOf = perDefinitionsAndObject((definitions, object) => {
      builds++;
      return definitions.slas.filter((sla) => sla.object === object).map((sla) => sla.id);
    });
    const asked = [
      slasOf(D, 'deal'),
      slasOf(D, 'contact'),
      slasOf(other, 'deal'),
      slasOf(D, 'deal'),
      slasOf(other, 'contact'),
      slasOf(D, 'contact'),
    ];
    expect(asked).toEqual([['deal_stall'], ['lead_follow_up', 'lead_acceptance'], [], ['deal_stall'], [], asked[1]]);
    expect(builds).toBe(4);
  });

  it('builds once per definitions, object and stage', () => {
    let builds = 0;
    const laterStages = perStage((view) => {
      builds++;
      return view.order.later(view.stage);
    });
    const view = (input: RecordInput) => stagedRecord(input, D, Date.parse(NOW))!;
    const asked = [goodDeal('discovery'), goodDeal('contract'), goodDeal('discovery'), goodContact('customer')].map(
      (input) => laterStages(view(input)),
    );
    expect(asked).toEqual([['proposal', 'contract', 'closed_won', 'closed_lost'], ['closed_won'], asked[0], []]);
    expect(builds).toBe(3);
  });

  it('evaluates records against alternating versions as it does against each alone', () => {
    // What one version caches must never answer for another, however the calls interleave.
    const strict = edited((d) => {
      d.requiredFields.push({ object: 'contact', stage: 'lead', applies: 'from', field: 'phone', rule: 'non_empty' });
      d.joinKeys = d.joinKeys.filter((check) => check.object !== 'ticket');
      d.checklists[0]!.items.push({ id: 'invoice_sent', label: 'Invoice sent' });
    });
    const records = [goodContact('sql'), goodDeal('closed_won'), goodTicket('closed', {}, { associations: [] })];
    const alone = [D, strict].map((definitions) => records.map((input) => evaluate(input, definitions)));
    const interleaved = records.map((input) => [D, strict].map((definitions) => evaluate(input, definitions)));
    expect(interleaved.map(([base]) => base)).toEqual(alone[0]);
    expect(interleaved.map(([, edit]) => edit)).toEqual(alone[1]);
    expect(alone[1]).not.toEqual(alone[0]);
  });
});
