import { z } from 'zod';

/**
 * The sandbox portal fixture format `closed-loop-portal-fixture/1` (see portal-fixture.md), as a zod
 * schema: strict objects, so a generated fixture with a misspelt or extra key fails, as it would
 * surprise the sandbox. Property values are strings, as HubSpot returns them.
 */

const Iso = z.iso.datetime();
const NumericId = z.string().regex(/^[1-9]\d*$/, 'a numeric string id');
const ObjectType = z.enum(['contacts', 'companies', 'deals', 'tickets']);
const Properties = z.record(z.string(), z.string());

export const HistoryEntrySchema = z.strictObject({ value: z.string(), timestamp: Iso, sourceType: z.string().min(1) });

export const CrmObjectSchema = z.strictObject({
  id: NumericId,
  createdAt: Iso,
  updatedAt: Iso,
  archived: z.boolean(),
  properties: Properties,
  propertiesWithHistory: z.record(z.string(), z.array(HistoryEntrySchema)).optional(),
});

const PipelineSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  displayOrder: z.int(),
  stages: z.array(
    z.strictObject({
      id: z.string().min(1),
      label: z.string().min(1),
      displayOrder: z.int(),
      metadata: z.record(z.string(), z.string()),
    }),
  ),
});

const ObjectRefSchema = z.strictObject({ type: ObjectType, id: NumericId });

export const AssociationSchema = z.strictObject({ from: ObjectRefSchema, to: ObjectRefSchema });

export const EventSchema = z.strictObject({
  id: z.string().min(1),
  eventType: z.string().min(1),
  objectType: ObjectType,
  objectId: NumericId,
  occurredAt: Iso,
  properties: Properties,
});

export const IngestTouchSchema = z.strictObject({
  contactEmail: z.string(),
  occurredAt: Iso,
  channel: z.string().min(1),
  campaignId: z.string().nullable(),
  offerId: z.string().nullable(),
  contentId: z.string().nullable(),
});

export const SpendSchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  channel: z.string().min(1),
  cents: z.int().nonnegative(),
});

/** Custom property definitions and groups are optional in an input fixture; only their names matter here. */
const PerObjectType = <T extends z.ZodType>(item: T) => z.partialRecord(ObjectType, z.array(item));

export const PortalFixtureSchema = z.strictObject({
  format: z.literal('closed-loop-portal-fixture/1'),
  portalId: z.int().positive(),
  now: Iso,
  owners: z.array(z.strictObject({ id: NumericId, email: z.string(), firstName: z.string(), lastName: z.string() })),
  pipelines: z.strictObject({ deals: z.array(PipelineSchema), tickets: z.array(PipelineSchema) }),
  objects: z.strictObject({
    contacts: z.array(CrmObjectSchema),
    companies: z.array(CrmObjectSchema),
    deals: z.array(CrmObjectSchema),
    tickets: z.array(CrmObjectSchema),
  }),
  properties: PerObjectType(z.looseObject({ name: z.string().min(1) })).optional(),
  propertyGroups: PerObjectType(z.looseObject({ name: z.string().min(1) })).optional(),
  associations: z.array(AssociationSchema),
  events: z.array(EventSchema),
  ingest: z.strictObject({ touches: z.array(IngestTouchSchema), spend: z.array(SpendSchema) }),
});

export type PortalFixture = z.infer<typeof PortalFixtureSchema>;
export type CrmObject = z.infer<typeof CrmObjectSchema>;
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
