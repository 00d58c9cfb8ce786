import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * `closed-loop-portal-fixture/1`: one portal as a JSON document (the format: tests/fixtures/README.md).
 * This schema is the sandbox's own; the app never imports it. Timestamps are ISO 8601 UTC strings and
 * stay strings here: the store turns them into epoch milliseconds.
 */

export const FIXTURE_FORMAT = 'closed-loop-portal-fixture/1';
export const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tickets'] as const;

const isoTime = z.iso.datetime({ offset: false, message: 'must be an ISO 8601 UTC timestamp (…Z)' });
const objectId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'must be a numeric id string (HubSpot ids are numbers)');
const objectType = z.enum(OBJECT_TYPES);

export const FixtureOwnerSchema = z.strictObject({
  id: objectId,
  email: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  userId: z.number().int().optional(),
  type: z.enum(['PERSON', 'QUEUE']).optional(),
  archived: z.boolean().optional(),
  createdAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
  teams: z.array(z.strictObject({ id: z.string(), name: z.string(), primary: z.boolean() })).optional(),
});

const stage = z.strictObject({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number().int(),
  metadata: z.record(z.string(), z.string()).optional(),
  archived: z.boolean().optional(),
  createdAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
  writePermissions: z.enum(['CRM_PERMISSIONS_ENFORCEMENT', 'READ_ONLY', 'INTERNAL_ONLY']).optional(),
});

export const FixturePipelineSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number().int(),
  archived: z.boolean().optional(),
  createdAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
  stages: z.array(stage),
});

const historyEntry = z.strictObject({
  value: z.string(),
  timestamp: isoTime,
  sourceType: z.string().min(1),
  sourceId: z.string().optional(),
  sourceLabel: z.string().optional(),
  updatedByUserId: z.number().int().optional(),
});

const crmObject = z.strictObject({
  id: objectId,
  createdAt: isoTime,
  updatedAt: isoTime,
  archived: z.boolean().default(false),
  archivedAt: isoTime.optional(),
  properties: z.record(z.string(), z.string()),
  propertiesWithHistory: z.record(z.string(), z.array(historyEntry)).optional(),
});

const option = z.strictObject({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});

export const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
export const FIELD_TYPES = [
  'textarea',
  'text',
  'date',
  'file',
  'number',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
  'html',
  'phonenumber',
] as const;

const propertyDefinition = z.strictObject({
  name: z.string().min(1),
  label: z.string(),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(option).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  hasUniqueValue: z.boolean().optional(),
  calculationFormula: z.string().optional(),
  externalOptions: z.boolean().optional(),
  referencedObjectType: z.string().optional(),
  createdAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
  archived: z.boolean().optional(),
});

const propertyGroup = z.strictObject({
  name: z.string().min(1),
  label: z.string(),
  displayOrder: z.number().int().optional(),
  archived: z.boolean().optional(),
});

const perType = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    contacts: z.array(item).optional(),
    companies: z.array(item).optional(),
    deals: z.array(item).optional(),
    tickets: z.array(item).optional(),
  });

const association = z.strictObject({
  from: z.strictObject({ type: objectType, id: objectId }),
  to: z.strictObject({ type: objectType, id: objectId }),
});

export const FixtureEventSchema = z.strictObject({
  id: z.string().min(1),
  eventType: z.string().min(1),
  objectType: objectType,
  objectId: objectId,
  occurredAt: isoTime,
  properties: z.record(z.string(), z.string()).optional(),
});

const FixtureShape = z.strictObject({
  format: z.literal(FIXTURE_FORMAT),
  portalId: z.number().int().positive(),
  now: isoTime,
  owners: z.array(FixtureOwnerSchema).default([]),
  pipelines: z
    .strictObject({
      deals: z.array(FixturePipelineSchema).optional(),
      tickets: z.array(FixturePipelineSchema).optional(),
    })
    .default({}),
  objects: perType(crmObject).default({}),
  properties: perType(propertyDefinition).optional(),
  propertyGroups: perType(propertyGroup).optional(),
  associations: z.array(association).default([]),
  events: z.array(FixtureEventSchema).default([]),
  // Not HubSpot data: what the demo sends to the app's own ingest API. Kept as given.
  ingest: z.unknown().optional(),
});

export const FixtureSchema = FixtureShape.superRefine((fixture, ctx) => crossCheck(fixture, ctx));

export type Fixture = z.output<typeof FixtureShape>;
export type FixtureInput = z.input<typeof FixtureShape>;
export type FixtureObject = z.output<typeof crmObject>;
export type FixtureOwner = z.output<typeof FixtureOwnerSchema>;
export type FixturePipeline = z.output<typeof FixturePipelineSchema>;
export type FixtureStage = z.output<typeof stage>;
export type FixtureHistoryEntry = z.output<typeof historyEntry>;
export type FixturePropertyDefinition = z.output<typeof propertyDefinition>;
export type FixturePropertyGroup = z.output<typeof propertyGroup>;
export type FixtureAssociation = z.output<typeof association>;
export type FixtureEvent = z.output<typeof FixtureEventSchema>;
export type FixtureObjectType = (typeof OBJECT_TYPES)[number];

/** What the schema cannot say alone: unique ids, references that resolve, history that matches the value. */
function crossCheck(f: Fixture, ctx: z.RefinementCtx) {
  const known = new Map<string, Set<string>>();
  for (const type of OBJECT_TYPES) {
    const ids = new Set<string>();
    (f.objects[type] ?? []).forEach((object, index) => {
      const path = ['objects', type, index];
      if (ids.has(object.id))
        ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate ${type} id ${object.id}` });
      ids.add(object.id);
      for (const [name, history] of Object.entries(object.propertiesWithHistory ?? {})) {
        const hpath = [...path, 'propertiesWithHistory', name];
        for (let i = 1; i < history.length; i++) {
          if (Date.parse(history[i]!.timestamp) > Date.parse(history[i - 1]!.timestamp)) {
            ctx.addIssue({ code: 'custom', path: [...hpath, i], message: 'history must be newest first' });
          }
        }
        const current = object.properties[name];
        if (history.length > 0 && current !== undefined && current !== history[0]!.value) {
          ctx.addIssue({
            code: 'custom',
            path: [...hpath, 0, 'value'],
            message: `the newest history value "${history[0]!.value}" differs from properties.${name} "${current}"`,
          });
        }
      }
    });
    known.set(type, ids);
  }
  f.associations.forEach((a, index) => {
    for (const end of ['from', 'to'] as const) {
      if (!known.get(a[end].type)?.has(a[end].id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['associations', index, end],
          message: `no ${a[end].type} with id ${a[end].id}`,
        });
      }
    }
    if (a.from.type === a.to.type) {
      ctx.addIssue({
        code: 'custom',
        path: ['associations', index],
        message: 'same-type associations are not supported',
      });
    }
  });
  const ownerIds = new Set<string>();
  f.owners.forEach((o, index) => {
    if (ownerIds.has(o.id))
      ctx.addIssue({ code: 'custom', path: ['owners', index, 'id'], message: `duplicate owner id ${o.id}` });
    ownerIds.add(o.id);
  });
  for (const kind of ['deals', 'tickets'] as const) {
    const ids = new Set<string>();
    (f.pipelines[kind] ?? []).forEach((p, index) => {
      if (ids.has(p.id))
        ctx.addIssue({
          code: 'custom',
          path: ['pipelines', kind, index, 'id'],
          message: `duplicate pipeline id ${p.id}`,
        });
      ids.add(p.id);
    });
  }
}

export class FixtureError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`Invalid portal fixture ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FixtureError';
    this.problems = problems;
  }
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  ) || '(root)';

/** Validates a parsed JSON document; throws a FixtureError listing every problem as `path: message`. */
export function parseFixture(json: unknown, source = '(fixture)'): Fixture {
  const result = FixtureSchema.safeParse(json);
  if (!result.success) {
    throw new FixtureError(
      source,
      result.error.issues.slice(0, 50).map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return result.data;
}

export async function loadFixture(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixtureError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseFixture(json, path);
}
