import { passes } from '../domain/hygiene/rules/required-fields.ts';
import { isSet } from '../domain/hygiene/values.ts';
import { parseFieldRule, type Definitions, type ParsedFieldRule } from '../domain/policy/index.ts';
import type { CardContext } from './card-deps.ts';
import { loadCardRecord } from './card-record.ts';
import { CardRefusal } from './card-refusal.ts';
import { commitCardWrite } from './commit-card-write.ts';
import type { DealCard, FillDealFieldRequest } from './contracts/deal.ts';
import { dealCard } from './deal-card.ts';
import { fieldRowsOf, propertyLabel } from './fields-to-fill.ts';

/**
 * Fills one field of the deal's data standard from the card. The value must meet the field's rule in
 * the portal's current definitions (an option of its picklist, a number > 0, a date, non-empty text);
 * otherwise nothing is written and the card shows why.
 */
export async function fillDealField(deps: CardContext, request: FillDealFieldRequest): Promise<DealCard> {
  const card = await loadCardRecord(deps, request, 'deal');
  const { definitions } = card;
  const row = fieldRowsOf(definitions, 'deal', request.property)[0];
  if (row === undefined) {
    const fillable = [
      ...new Set(definitions.requiredFields.flatMap((r) => ('field' in r && r.object === 'deal' ? [r.field] : []))),
    ];
    throw new CardRefusal(
      'refused',
      `"${request.property}" is not a field of the deal data standard; the card can fill ${fillable.join(', ')}.`,
      'property',
    );
  }
  const problem = valueProblem(parseFieldRule(row.rule), request.value, definitions);
  if (problem !== undefined) {
    const name = propertyLabel(definitions, row.field) ?? row.field;
    throw new CardRefusal('refused', `${name}: ${problem} Nothing was changed.`, 'value');
  }
  await commitCardWrite(deps, request, card, {
    properties: { [row.field]: request.value },
    audit: {
      action: 'fill_field',
      property: row.field,
      oldValue: card.record.properties[row.field] ?? null,
      newValue: request.value,
    },
  });
  return dealCard(deps, request);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why a value does not meet a rule, in words for the card; undefined when it does. */
export function valueProblem(rule: ParsedFieldRule, value: string, definitions: Definitions): string | undefined {
  if (!isSet(value)) return 'give it a value.';
  switch (rule.kind) {
    case 'picklist': {
      const picklist = definitions.picklists.find((p) => p.name === rule.picklist);
      const options = picklist?.options ?? [];
      return options.some((o) => o.value === value)
        ? undefined
        : `"${value}" is not one of its options (${options.map((o) => `${o.value}: ${o.label}`).join(', ')}).`;
    }
    case 'positive_number':
      return passes(rule, value)
        ? undefined
        : `"${value}" is not a number greater than 0 (write it plainly, like 12500.50).`;
    case 'date':
      return DATE.test(value) && passes(rule, value) ? undefined : `"${value}" is not a date (YYYY-MM-DD).`;
    case 'non_empty':
      return undefined;
  }
}
