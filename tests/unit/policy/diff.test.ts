import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEFINITIONS,
  describeChange,
  describeChanges,
  diffDefinitions,
  validateDefinitions,
  type Definitions,
} from '../../../server/domain/policy/index.ts';

function edited(edit: (d: Definitions) => void): Definitions {
  const d = structuredClone(DEFAULT_DEFINITIONS) as Definitions;
  edit(d);
  const result = validateDefinitions(d);
  if (!result.ok) throw new Error(`the edit made invalid definitions: ${JSON.stringify(result.errors)}`);
  return result.definitions;
}

const V1 = DEFAULT_DEFINITIONS;

describe('diffDefinitions', () => {
  it('finds no change between equal versions', () => {
    expect(diffDefinitions(V1, structuredClone(V1))).toEqual([]);
  });

  it('keys a new required field by object/stage/field', () => {
    const row = {
      object: 'deal',
      stage: 'proposal',
      applies: 'from',
      field: 'clr_budget',
      rule: 'positive_number',
    } as const;
    const v2 = edited((d) => d.requiredFields.splice(9, 0, row));
    const changes = diffDefinitions(V1, v2);
    expect(changes).toEqual([{ path: 'requiredFields[deal/proposal/clr_budget]', change: 'added', after: row }]);
    expect(describeChange(changes[0]!)).toBe('Added required field clr_budget on deals from proposal');
  });

  it('reports a changed rule inside a required field, and describes removals and stage-only rows', () => {
    const v2 = edited((d) => {
      d.requiredFields[2] = { ...V1.requiredFields[2]!, field: 'clr_offer_id', rule: 'picklist:icp_tier' };
      d.requiredFields.splice(10, 1);
    });
    const changes = diffDefinitions(V1, v2);
    expect(changes.map((c) => c.path)).toEqual([
      'requiredFields[contact/mql/clr_offer_id].rule',
      'requiredFields[deal/closed_lost/clr_loss_reason]',
    ]);
    expect(describeChanges(changes)).toEqual([
      'Required field clr_offer_id on contacts (mql): rule changed from non_empty to picklist:icp_tier',
      'Removed required field clr_loss_reason on deals only at closed_lost',
    ]);
  });

  it('reports a changed picklist option label by option value', () => {
    const v2 = edited((d) => (d.picklists[0]!.options[0]!.label = 'Paid search (SEM)'));
    const changes = diffDefinitions(V1, v2);
    expect(changes).toEqual([
      {
        path: 'picklists[channel].options[paid_search].label',
        change: 'changed',
        before: 'Paid search',
        after: 'Paid search (SEM)',
      },
    ]);
    expect(describeChange(changes[0]!)).toBe(
      'Option paid_search of picklist channel: label changed from "Paid search" to "Paid search (SEM)"',
    );
  });

  it('reports an added option once, not as every later option shifting', () => {
    const v2 = edited((d) => d.picklists[0]!.options.splice(2, 0, { value: 'video', label: 'Video' }));
    const changes = diffDefinitions(V1, v2);
    expect(changes).toEqual([
      { path: 'picklists[channel].options[video]', change: 'added', after: { value: 'video', label: 'Video' } },
    ]);
    expect(describeChange(changes[0]!)).toBe('Added option video ("Video") to picklist channel');
  });

  it('reports a reordering of options as one change with the values before and after', () => {
    const v2 = edited((d) => d.picklists[1]!.options.reverse());
    const changes = diffDefinitions(V1, v2);
    expect(changes).toEqual([
      {
        path: 'picklists[icp_tier].options',
        change: 'changed',
        before: ['tier_1', 'tier_2', 'tier_3', 'not_icp'],
        after: ['not_icp', 'tier_3', 'tier_2', 'tier_1'],
      },
    ]);
    expect(describeChange(changes[0]!)).toBe('Reordered the options of picklist icp_tier');
  });

  it('reports a removed SLA by id, with what it was', () => {
    const v2 = edited((d) => d.slas.splice(2, 1));
    const changes = diffDefinitions(V1, v2);
    expect(changes).toEqual([{ path: 'slas[deal_stall]', change: 'removed', before: V1.slas[2] }]);
    expect(describeChange(changes[0]!)).toBe('Removed SLA deal_stall ("Deal stall")');
  });

  it('reports a changed SLA threshold', () => {
    const v2 = edited((d) => (d.slas[2]!.threshold.value = 45));
    expect(describeChanges(diffDefinitions(V1, v2))).toEqual(['SLA deal_stall: threshold.value changed from 30 to 45']);
  });

  it('describes settings it has no sentence for from their path', () => {
    const v2 = edited((d) => {
      d.attribution.lookbackDays = 180;
      d.properties.writtenBack[10]!.objects.push('deal');
      d.requiredFields[13] = { ...d.requiredFields[13]!, onlyWhenSet: false } as Definitions['requiredFields'][number];
    });
    expect(describeChanges(diffDefinitions(V1, v2))).toEqual([
      'Required field clr_change_request_reason on tickets (onboarding): onlyWhenSet changed from true to false',
      'Changed attribution.lookbackDays from 365 to 180',
      'Added properties.writtenBack[clr_duplicate_of].objects[deal]: deal',
    ]);
  });

  it('keys stage mappings by pipeline, the contacts mapping by null', () => {
    const v2 = edited((d) => {
      d.stages.contact.pipelines[0]!.values.lead!.push('subscriber');
      d.stages.deal.order[1] = ['discovery', 'proposal', 'closed_lost'];
    });
    expect(diffDefinitions(V1, v2)).toEqual([
      { path: 'stages.contact.pipelines[null].values.lead[subscriber]', change: 'added', after: 'subscriber' },
      {
        path: 'stages.deal.order',
        change: 'changed',
        before: V1.stages.deal.order,
        after: [
          ['discovery', 'proposal', 'contract', 'closed_won'],
          ['discovery', 'proposal', 'closed_lost'],
        ],
      },
    ]);
  });

  it('mirrors: what one direction adds the other removes, and changes are plain JSON for the change log', () => {
    const label = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s);
    fc.assert(
      fc.property(label, fc.integer({ min: 1, max: 1000 }), fc.boolean(), (name, days, dropSla) => {
        const v2 = edited((d) => {
          d.checklists[0]!.items[0]!.label = name;
          d.attribution.lookbackDays = days;
          if (dropSla) d.slas.pop();
        });
        const forward = diffDefinitions(V1, v2);
        const backward = diffDefinitions(v2, V1);
        const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
        expect(backward.map((c) => [c.path, c.change])).toEqual(forward.map((c) => [c.path, flip[c.change]]));
        expect(JSON.parse(JSON.stringify(forward))).toEqual(forward);
        expect(new Set(forward.map((c) => c.path)).size).toBe(forward.length);
      }),
      { numRuns: 50 },
    );
  });
});
