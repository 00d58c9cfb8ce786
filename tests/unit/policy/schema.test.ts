import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEFINITIONS,
  validateDefinitions,
  type DefinitionsError,
} from '../../../server/domain/policy/index.ts';

const D = DEFAULT_DEFINITIONS;

/** One edit of a copy of version 1: the value to put at a dotted path, `undefined` to delete the key. */
type Edit = readonly [path: string, value: unknown];

function withEdits(...edits: Edit[]): unknown {
  const document: unknown = structuredClone(D);
  for (const [path, value] of edits) {
    const keys = path.split('.');
    let node = document as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    const last = keys.at(-1)!;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return document;
}

function errorsOf(...edits: Edit[]): DefinitionsError[] {
  const result = validateDefinitions(withEdits(...edits));
  if (result.ok) throw new Error('expected the edited definitions to be refused');
  return result.errors;
}

/** The single error at `path`, checked to mention `words`. */
function expectError(errors: DefinitionsError[], path: string, words: string | RegExp): void {
  const at = errors.filter((e) => e.path === path);
  expect(at, `errors: ${JSON.stringify(errors)}`).toHaveLength(1);
  expect(at[0]!.message).toMatch(words);
}

describe('the definitions schema: structure', () => {
  it('reports a missing setting as required, on its path', () => {
    expect(errorsOf(['stages.deal.stageProperty', undefined])).toEqual([
      { path: 'stages.deal.stageProperty', message: 'is required' },
    ]);
  });

  it('reports an unknown key on the key itself', () => {
    expect(errorsOf(['slas.0.severity', 'high'])).toEqual([
      { path: 'slas[0].severity', message: 'is not a known key here' },
    ]);
  });

  it('explains a malformed rule', () => {
    expectError(
      errorsOf(['requiredFields.3.rule', 'picklist']),
      'requiredFields[3].rule',
      /non_empty, positive_number, date or picklist:<picklist name>/,
    );
  });

  it('names the allowed kinds of a join-key check', () => {
    expectError(
      errorsOf(['joinKeys.0.kind', 'linked']),
      'joinKeys[0].kind',
      /has_association.*non_empty.*matches_association/,
    );
  });

  it('requires an entry for every finding kind', () => {
    expectError(errorsOf(['findings.duplicate', undefined]), 'findings.duplicate', 'is required');
  });

  it('refuses ids that could not be embedded in finding codes', () => {
    expectError(errorsOf(['slas.0.id', 'lead follow-up']), 'slas[0].id', /lower-case letters/);
  });

  it('refuses a format it does not know', () => {
    expectError(errorsOf(['format', 'closed-loop-definitions/0']), 'format', /closed-loop-definitions\/1/);
  });

  it('refuses an option value with surrounding white space, since values compare exactly', () => {
    expectError(
      errorsOf(['picklists.0.options.0.value', 'paid_search ']),
      'picklists[0].options[0].value',
      /white space/,
    );
  });
});

describe('the definitions schema: stages', () => {
  it('refuses a chain naming a stage of no such object', () => {
    expectError(
      errorsOf(['stages.deal.order.2', ['discovery', 'negotiation']]),
      'stages.deal.order[2][1]',
      /unknown stage "negotiation"/,
    );
  });

  it('refuses an order with a cycle', () => {
    expectError(errorsOf(['stages.deal.order.2', ['closed_lost', 'discovery']]), 'stages.deal.order', /cycle/);
  });

  it('refuses a stage left out of the order', () => {
    expectError(
      errorsOf(['stages.deal.order', [['discovery', 'proposal', 'contract', 'closed_won']]]),
      'stages.deal.stages[4].id',
      /"closed_lost" is not placed in the order/,
    );
  });

  it('refuses stages listed against their order', () => {
    expectError(
      errorsOf(['stages.ticket.stages', [...D.stages.ticket.stages].reverse()]),
      'stages.ticket.stages[0].id',
      /"closed" is listed before "results_review"/,
    );
  });

  it('refuses a stage id used by two objects', () => {
    const { closed, ...values } = D.stages.ticket.pipelines[0]!.values;
    const errors = errorsOf(
      ['stages.ticket.stages.3.id', 'customer'],
      ['stages.ticket.order', [['onboarding', 'in_delivery', 'results_review', 'customer']]],
      ['stages.ticket.pipelines.0.values', { ...values, customer: closed }],
    );
    expect(errors).toEqual([
      {
        path: 'stages.ticket.stages[3].id',
        message: 'stage id "customer" is already a contact stage; stage ids are unique across objects',
      },
    ]);
  });

  it('refuses a HubSpot value mapped to two stages without a condition', () => {
    expectError(
      errorsOf(['stages.deal.pipelines.0.values.proposal.2', 'qualifiedtobuy']),
      'stages.deal.pipelines[0].values.proposal[2]',
      /maps to "discovery" and "proposal"/,
    );
  });

  it('refuses a value only a conditioned stage takes (the history could not place it)', () => {
    expectError(
      errorsOf(['stages.contact.pipelines.0.values.sal', ['salesacceptedlead']]),
      'stages.contact.pipelines[0].values.sal[0]',
      /maps only to stages with a condition/,
    );
  });

  it('refuses a pipeline id on contacts, which have no pipeline', () => {
    expectError(
      errorsOf(['stages.contact.pipelines.0.id', 'default']),
      'stages.contact.pipelines[0].id',
      /must be null/,
    );
  });

  it('refuses a mapping without a pipeline on deals', () => {
    expectError(errorsOf(['stages.deal.pipelines.0.id', null]), 'stages.deal.pipelines[0].id', /must name a pipeline/);
  });

  it('refuses a stage no HubSpot value leads to', () => {
    expectError(
      errorsOf(['stages.deal.pipelines.0.values.contract', undefined]),
      'stages.deal.stages[2].id',
      /no HubSpot value in any pipeline/,
    );
  });

  it('accepts a custom pipeline mapped by an admin', () => {
    const custom = {
      id: '7001234',
      values: {
        discovery: ['1001'],
        proposal: ['1002'],
        contract: ['1003'],
        closed_won: ['1004'],
        closed_lost: ['1005'],
      },
    };
    expect(validateDefinitions(withEdits(['stages.deal.pipelines.1', custom])).ok).toBe(true);
  });

  it('refuses a date-entered pattern without the stage id placeholder', () => {
    expectError(
      errorsOf(['stages.deal.dateEnteredProperty', 'hs_date_entered']),
      'stages.deal.dateEnteredProperty',
      /<stageId>/,
    );
  });
});

describe('the definitions schema: references between sections', () => {
  it('refuses a rule naming a picklist that does not exist', () => {
    expectError(errorsOf(['requiredFields.3.rule', 'picklist:icp']), 'requiredFields[3].rule', /no picklist "icp"/);
  });

  it('refuses a required field at a stage of another object', () => {
    expectError(
      errorsOf(['requiredFields.0.stage', 'discovery']),
      'requiredFields[0].stage',
      /"discovery" is not a contact stage/,
    );
  });

  it('refuses a checklist row naming an unknown checklist, or one kept on another object', () => {
    expectError(
      errorsOf(['requiredFields.12.checklist', 'kickoff']),
      'requiredFields[12].checklist',
      /no checklist "kickoff"/,
    );
    expectError(errorsOf(['checklists.0.object', 'deal']), 'requiredFields[12].checklist', /kept on deal records/);
  });

  it('refuses two rows for the same field at the same stage', () => {
    expectError(
      errorsOf(['requiredFields.14', { ...D.requiredFields[1], rule: 'non_empty' }]),
      'requiredFields[14]',
      /duplicate required field contact\/mql\/clr_channel/,
    );
  });

  it('refuses a channel mapping to something that is not a channel option', () => {
    expectError(
      errorsOf(['channels.utmMedium.map.tv', 'television']),
      'channels.utmMedium.map.tv',
      /"television" is not a channel/,
    );
  });

  it('refuses a medium that could never match because it is not lower-case', () => {
    expectError(errorsOf(['channels.utmMedium.map.CPC', 'paid_search']), 'channels.utmMedium.map.CPC', /write "cpc"/);
  });

  it('refuses SLA and join-key stages of another object', () => {
    expectError(
      errorsOf(['slas.2.atStages', ['discovery', 'onboarding']]),
      'slas[2].atStages[1]',
      /"onboarding" is not a deal stage/,
    );
    expectError(errorsOf(['slas.3.end.after', 'lead']), 'slas[3].end.after', /not a ticket stage/);
    expectError(errorsOf(['joinKeys.1.atStage.stage', 'won']), 'joinKeys[1].atStage.stage', /not a deal stage/);
  });

  it('refuses a property whose options come from an unknown picklist', () => {
    expectError(
      errorsOf(['properties.inputs.0.options.picklist', 'channels']),
      'properties.inputs[0].options.picklist',
      /no picklist "channels"/,
    );
  });

  it('refuses an unattributed channel that is a real channel', () => {
    expectError(
      errorsOf(['attribution.unattributedChannel', 'other']),
      'attribution.unattributedChannel',
      /real channel/,
    );
  });

  it('still checks references when an unrelated section is broken, reporting every error at once', () => {
    const errors = errorsOf(
      ['attribution.lookbackDays', -1],
      ['requiredFields.3.rule', 'picklist:icp'],
      ['slas.0.start.stage', 'lead_magnet'],
    );
    expect(errors.map((e) => e.path).sort()).toEqual([
      'attribution.lookbackDays',
      'requiredFields[3].rule',
      'slas[0].start.stage',
    ]);
  });
});

describe('the definitions schema: picklists, attribution, properties', () => {
  it('refuses a legacy value mapping to no option, or shadowing an option', () => {
    const errors = errorsOf([
      'picklists.0.legacyValues',
      [
        { value: 'Google Ads', mapsTo: 'google_ads' },
        { value: 'email', mapsTo: 'email' },
      ],
    ]);
    expectError(errors, 'picklists[0].legacyValues[0].mapsTo', /"google_ads" is not an option/);
    expectError(errors, 'picklists[0].legacyValues[1].value', /already an option/);
  });

  it('accepts a legacy value mapping to an option', () => {
    const edited = withEdits(['picklists.0.legacyValues', [{ value: 'Google Ads', mapsTo: 'paid_search' }]]);
    expect(validateDefinitions(edited).ok).toBe(true);
  });

  it('refuses duplicate option values', () => {
    expectError(
      errorsOf(['picklists.1.options.4', { value: 'tier_1', label: 'Tier one' }]),
      'picklists[1].options[4].value',
      /duplicate option value "tier_1"/,
    );
  });

  it('refuses positional weights that do not sum to 100', () => {
    expectError(
      errorsOf(['attribution.models.3.weights.others', 25]),
      'attribution.models[3].weights',
      /sum to 100, not 105/,
    );
  });

  it('refuses a field type HubSpot does not allow for the type', () => {
    expectError(
      errorsOf(['properties.writtenBack.1.fieldType', 'text']),
      'properties.writtenBack[1].fieldType',
      /number property takes fieldType number/,
    );
  });

  it('refuses an enumeration without options and a string with options', () => {
    expectError(
      errorsOf(['properties.writtenBack.0.options', undefined]),
      'properties.writtenBack[0].options',
      /needs options/,
    );
    expectError(
      errorsOf(['properties.inputs.1.options', { source: 'picklist', picklist: 'channel' }]),
      'properties.inputs[1].options',
      /takes no options/,
    );
  });

  it('refuses a property defined twice', () => {
    expectError(
      errorsOf(['properties.inputs.10', D.properties.writtenBack[2]]),
      'properties.inputs[10].name',
      /"clr_missing_fields" is defined twice/,
    );
  });
});
