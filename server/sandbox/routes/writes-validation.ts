import type { CrmObjectType } from '../contracts.ts';
import { HubSpotError, errorBody, validationError } from '../errors.ts';
import {
  checkValue,
  invalidPropertiesMessage,
  propertyDoesNotExist,
  type ValueProblem,
} from '../properties/validate.ts';
import type { PortalStore } from '../store.ts';

/** The values of one write checked against the portal's property definitions. */
export type CheckedValues =
  { ok: true; values: Record<string, string> } | { ok: false; problems: { name: string; problem: ValueProblem }[] };

export function checkProperties(
  store: PortalStore,
  type: CrmObjectType,
  properties: unknown,
  current: Map<string, string> | undefined,
): CheckedValues {
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw validationError('properties must be an object of property names to string values');
  }
  const values: Record<string, string> = {};
  const problems: { name: string; problem: ValueProblem }[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    const def = store.property(type, name);
    if (!def) {
      problems.push({ name, problem: propertyDoesNotExist(name) });
      continue;
    }
    const checked = checkValue(def, raw, current?.get(name));
    if (checked.ok) values[name] = checked.value;
    else problems.push({ name, problem: checked.problem });
  }
  return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
}

/** HubSpot's 400 for property values it refuses. */
export const invalidProperties = (problems: { name: string; problem: ValueProblem }[]): HubSpotError =>
  new HubSpotError(400, errorBody('VALIDATION_ERROR', invalidPropertiesMessage(problems)));

export const noProperties = (): HubSpotError =>
  validationError('No properties found to update, please provide at least one.', { context: { properties: ['{}'] } });

/** HubSpot's object names in messages: `CONTACT`, `COMPANY`, `DEAL`, `TICKET`. */
export const OBJECT_NAME: Record<CrmObjectType, string> = {
  contacts: 'CONTACT',
  companies: 'COMPANY',
  deals: 'DEAL',
  tickets: 'TICKET',
};

export const notFoundMessage = (type: CrmObjectType): string =>
  `Could not get some ${OBJECT_NAME[type]} objects, they may be deleted or not exist. Check that ids are valid.`;

export const MAX_BATCH_INPUTS = 100;
export const MAX_HISTORY_BATCH_INPUTS = 50;

export function batchInputs(body: Record<string, unknown>, max = MAX_BATCH_INPUTS): unknown[] {
  const inputs = body.inputs;
  if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
  if (inputs.length > max) {
    throw validationError(
      `The maximum number of inputs supported in a batch request is ${max}. Please reduce the number of items and try again`,
      {
        context: { inputs: [String(inputs.length)] },
      },
    );
  }
  return inputs;
}
