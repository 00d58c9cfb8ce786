import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RecordInputSchema, type AssociatedRecord, type RecordInput } from '../../../server/domain/hygiene/index.ts';
import type { CrmObject } from '../../../server/domain/policy/index.ts';

/**
 * The demo portal fixture as the engine's input: what the repository will do from the mirror, done
 * here from the JSON (read with node:fs in tests only; the domain never touches files). Associations
 * are stored once per pair in the fixture and read in both directions, each with the other end's
 * properties. The fixture holds no checklist state: a new install has no item done.
 */
const FIXTURE = fileURLToPath(new URL('../../fixtures/demo-portal.json', import.meta.url));

const FixtureObject = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean(),
  properties: z.record(z.string(), z.string().nullable()),
  propertiesWithHistory: z
    .record(
      z.string(),
      z.array(z.object({ value: z.string().nullable(), timestamp: z.string(), sourceType: z.string() })),
    )
    .optional(),
});
const Ref = z.object({ type: z.enum(['contacts', 'companies', 'deals', 'tickets']), id: z.string() });
const Fixture = z.object({
  now: z.string(),
  objects: z.object({
    contacts: z.array(FixtureObject),
    companies: z.array(FixtureObject),
    deals: z.array(FixtureObject),
    tickets: z.array(FixtureObject),
  }),
  associations: z.array(z.object({ from: Ref, to: Ref })),
});

const SINGULAR = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' } as const;

export type DemoPortal = { now: string; records: RecordInput[]; byKey: Map<string, RecordInput> };

export function loadDemoPortal(): DemoPortal {
  const fixture = Fixture.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  const properties = new Map<string, Record<string, string | null>>();
  for (const [plural, objects] of Object.entries(fixture.objects))
    for (const object of objects)
      properties.set(`${SINGULAR[plural as keyof typeof SINGULAR]}:${object.id}`, object.properties);

  const associations = new Map<string, AssociatedRecord[]>();
  const link = (from: z.output<typeof Ref>, to: z.output<typeof Ref>) => {
    const key = `${SINGULAR[from.type]}:${from.id}`;
    const objectType: CrmObject = SINGULAR[to.type];
    const other = { objectType, id: to.id, properties: properties.get(`${objectType}:${to.id}`) ?? {} };
    associations.set(key, [...(associations.get(key) ?? []), other]);
  };
  for (const { from, to } of fixture.associations) {
    link(from, to);
    link(to, from);
  }

  const records = Object.entries(fixture.objects).flatMap(([plural, objects]) =>
    objects
      .filter((object) => !object.archived)
      .map((object) => {
        const objectType = SINGULAR[plural as keyof typeof SINGULAR];
        return RecordInputSchema.parse({
          objectType,
          id: object.id,
          properties: object.properties,
          createdAt: object.createdAt,
          updatedAt: object.updatedAt,
          ...(object.properties.hubspot_owner_id ? { ownerId: object.properties.hubspot_owner_id } : {}),
          propertiesWithHistory: object.propertiesWithHistory ?? {},
          associations: associations.get(`${objectType}:${object.id}`) ?? [],
          checklistItems: [],
        });
      }),
  );
  return { now: fixture.now, records, byKey: new Map(records.map((r) => [`${r.objectType}:${r.id}`, r])) };
}
