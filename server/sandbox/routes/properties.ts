import { Router } from 'express';
import { requireScopes, schemaScopes } from '../auth.ts';
import type { SandboxContext } from '../context.ts';
import { HubSpotError, errorBody, notFound, validationError } from '../errors.ts';
import {
  FIELD_TYPES_BY_TYPE,
  toPublicGroup,
  toPublicProperty,
  type PropertyDefinition,
  type PropertyOption,
  type PropertyType,
} from '../properties/definitions.ts';
import { boolParam, listParam, objectBody, objectType } from './params.ts';

/**
 * Properties v3: list, read, create (HubSpot's type/fieldType combinations, options for enumerations,
 * an existing group, 409 for a name that exists) and property groups (list, read, create, 409).
 */
const NAME = /^[a-z][a-z0-9_]*$/;
const TYPES = Object.keys(FIELD_TYPES_BY_TYPE) as PropertyType[];

const conflict = (what: string, name: string) =>
  new HubSpotError(409, errorBody('OBJECT_ALREADY_EXISTS', `${what} already exists`, { context: { name: [name] } }));

const str = (body: Record<string, unknown>, key: string, required: boolean): string | undefined => {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw validationError(`${key} is required`, { context: { [key]: ['missing'] } });
    return undefined;
  }
  if (typeof v !== 'string' || (required && v.trim() === ''))
    throw validationError(`${key} must be a non-empty string`);
  return v;
};

const bool = (body: Record<string, unknown>, key: string): boolean | undefined => {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw validationError(`${key} must be true or false`);
  return v;
};

function parseOptions(raw: unknown): PropertyOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validationError('options must be an array');
  const seen = new Set<string>();
  return raw.map((o: Record<string, unknown>, i) => {
    if (!o || typeof o.label !== 'string' || typeof o.value !== 'string')
      throw validationError(`options[${i}] needs a label and a value`);
    if (seen.has(o.value)) throw validationError(`options[${i}]: duplicate option value ${o.value}`);
    seen.add(o.value);
    return {
      label: o.label,
      value: o.value,
      displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : i,
      hidden: o.hidden === true,
      ...(typeof o.description === 'string' ? { description: o.description } : {}),
    };
  });
}

export function propertyRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  router.get('/crm/v3/properties/:type/groups', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, schemaScopes(type, 'read'));
    res.json({ results: store.properties[type].listGroups().map(toPublicGroup) });
  });

  router.get('/crm/v3/properties/:type/groups/:groupName', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, schemaScopes(type, 'read'));
    const group = store.properties[type].group(req.params.groupName);
    if (!group) throw notFound(`Unable to find property group with name: ${req.params.groupName}`);
    res.json(toPublicGroup(group));
  });

  router.post('/crm/v3/properties/:type/groups', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, schemaScopes(type, 'write'));
    const body = objectBody(req.body);
    const name = str(body, 'name', true)!;
    const label = str(body, 'label', true)!;
    if (!NAME.test(name))
      throw validationError(
        `Group name ${name} must start with a lowercase letter and contain only lowercase letters, digits and underscores`,
      );
    if (store.properties[type].group(name)) throw conflict('Property group', name);
    const displayOrder = body.displayOrder === undefined ? -1 : body.displayOrder;
    if (typeof displayOrder !== 'number' || !Number.isInteger(displayOrder))
      throw validationError('displayOrder must be an integer');
    const group = { name, label, displayOrder, archived: false, hubspotDefined: false };
    store.addPropertyGroup(type, group);
    res.status(201).json(toPublicGroup(group));
  });

  router.get('/crm/v3/properties/:type', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, schemaScopes(type, 'read'));
    const names = listParam(req.query.properties);
    const defs = store.properties[type].list(boolParam(req.query.archived, 'archived'));
    res.json({ results: defs.filter((d) => !names?.length || names.includes(d.name)).map(toPublicProperty) });
  });

  router.get('/crm/v3/properties/:type/:name', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, schemaScopes(type, 'read'));
    const def = store.property(type, req.params.name);
    if (!def || def.archived !== boolParam(req.query.archived, 'archived')) {
      throw notFound(`Unable to find property with name: ${req.params.name}`);
    }
    res.json(toPublicProperty(def));
  });

  router.post('/crm/v3/properties/:type', (req, res) => {
    const type = objectType(req.params.type);
    requireScopes(ctx, res, schemaScopes(type, 'write'));
    const def = parsePropertyCreate(objectBody(req.body), store.clock.now());
    if (!NAME.test(def.name)) {
      throw validationError(
        `Property name ${def.name} must start with a lowercase letter and contain only lowercase letters, digits and underscores`,
      );
    }
    if (store.property(type, def.name)) throw conflict('Property', def.name);
    if (!store.properties[type].group(def.groupName))
      throw validationError(`Property group ${def.groupName} does not exist`);
    store.addProperty(type, def);
    res.status(201).json(toPublicProperty(def));
  });

  return router;
}

function parsePropertyCreate(body: Record<string, unknown>, now: number): PropertyDefinition {
  const name = str(body, 'name', true)!;
  const label = str(body, 'label', true)!;
  const groupName = str(body, 'groupName', true)!;
  const type = str(body, 'type', true) as PropertyType;
  const fieldType = str(body, 'fieldType', true)!;
  if (!TYPES.includes(type)) throw validationError(`type must be one of ${TYPES.join(', ')}, got: ${type}`);
  if (!FIELD_TYPES_BY_TYPE[type].includes(fieldType)) {
    throw validationError(
      `fieldType ${fieldType} is not valid for type ${type}; use one of ${FIELD_TYPES_BY_TYPE[type].join(', ')}`,
    );
  }
  let options = parseOptions(body.options);
  if (type === 'enumeration' && body.options === undefined)
    throw validationError('Enumeration properties need options');
  if (type === 'bool' && options.length === 0) {
    options = [
      { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
      { label: 'No', value: 'false', displayOrder: 1, hidden: false },
    ];
  }
  const calculationFormula = str(body, 'calculationFormula', false);
  if (calculationFormula !== undefined && fieldType !== 'calculation_equation') {
    throw validationError('calculationFormula needs fieldType calculation_equation');
  }
  const displayOrder = body.displayOrder === undefined ? -1 : body.displayOrder;
  if (typeof displayOrder !== 'number' || !Number.isInteger(displayOrder))
    throw validationError('displayOrder must be an integer');
  const referencedObjectType = str(body, 'referencedObjectType', false);
  return {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: str(body, 'description', false) ?? '',
    options,
    displayOrder,
    hidden: bool(body, 'hidden') ?? false,
    formField: bool(body, 'formField') ?? false,
    hasUniqueValue: bool(body, 'hasUniqueValue') ?? false,
    calculated: fieldType === 'calculation_equation',
    externalOptions: bool(body, 'externalOptions') ?? false,
    hubspotDefined: false,
    readOnlyValue: fieldType === 'calculation_equation',
    ...(calculationFormula === undefined ? {} : { calculationFormula }),
    ...(referencedObjectType === undefined ? {} : { referencedObjectType }),
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
}
