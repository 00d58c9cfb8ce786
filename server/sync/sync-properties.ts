import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import type { Definitions } from '../domain/policy/schema.ts';
import { dateEnteredPropertyOf } from '../domain/policy/current-stage.ts';
import type { CrmObject } from '../domain/policy/primitives.ts';
import { MERGED_IDS_PROPERTY } from './merged-records.ts';
import type { MirrorType } from './mirror-types.ts';

/**
 * Which properties the sync reads per object. Everything a check, attribution or card reads comes
 * from the definitions (stages, required fields, join keys, duplicates, SLAs, checklists, channels,
 * section-8 properties), so a policy change that names a new property is picked up by the next sync
 * without a code change. Only HubSpot's basics are listed here: identity, merges, ownership,
 * last-modified and the names people recognise records by.
 */
const BASICS: Record<MirrorType, readonly string[]> = {
  contacts: [
    MERGED_IDS_PROPERTY,
    'createdate',
    'lastmodifieddate',
    'hubspot_owner_id',
    'hs_analytics_source',
    'email',
    'firstname',
    'lastname',
  ],
  companies: [MERGED_IDS_PROPERTY, 'createdate', 'hs_lastmodifieddate', 'hubspot_owner_id', 'name', 'domain'],
  deals: [
    MERGED_IDS_PROPERTY,
    'createdate',
    'hs_lastmodifieddate',
    'hubspot_owner_id',
    'dealname',
    'pipeline',
    'dealstage',
    'amount',
    'closedate',
  ],
  tickets: [
    MERGED_IDS_PROPERTY,
    'createdate',
    'hs_lastmodifieddate',
    'hubspot_owner_id',
    'subject',
    'hs_pipeline',
    'hs_pipeline_stage',
  ],
};

const OBJECT_OF: Record<CrmObject, MirrorType> = HUBSPOT_OBJECT_TYPE;

const STAGED = ['contact', 'deal', 'ticket'] as const;

export type SyncProperties = { properties: string[]; history: string[] };

/** The properties (sorted, deduplicated) and history properties to request for every mirrored type. */
export function syncPropertiesOf(definitions: Definitions): Record<MirrorType, SyncProperties> {
  const names: Record<MirrorType, Set<string>> = {
    contacts: new Set(BASICS.contacts),
    companies: new Set(BASICS.companies),
    deals: new Set(BASICS.deals),
    tickets: new Set(BASICS.tickets),
  };
  const history: Record<MirrorType, Set<string>> = {
    contacts: new Set(),
    companies: new Set(),
    deals: new Set(),
    tickets: new Set(),
  };
  for (const object of STAGED) {
    const lifecycle = definitions.stages[object];
    const type = OBJECT_OF[object];
    const add = (name: string) => names[type].add(name);
    add(lifecycle.stageProperty);
    // Only the stage property's history: it is what entered-at falls back to and what stage events
    // are made of; history on more properties would halve pages for nothing.
    history[type].add(lifecycle.stageProperty);
    if (lifecycle.pipelineProperty) add(lifecycle.pipelineProperty);
    for (const stage of lifecycle.stages) {
      if (stage.condition) add(stage.condition.property);
      if (stage.enteredAtProperty) add(stage.enteredAtProperty);
    }
    for (const pipeline of lifecycle.pipelines)
      for (const values of Object.values(pipeline.values))
        for (const value of values) add(dateEnteredPropertyOf(lifecycle, value));
  }
  const perObject = [
    ...definitions.requiredFields,
    ...definitions.joinKeys,
    ...definitions.duplicates,
    ...definitions.slas,
    ...definitions.checklists,
  ];
  for (const entry of perObject) for (const name of propertyNamesIn(entry)) names[OBJECT_OF[entry.object]].add(name);
  // The channel taxonomy reads contact properties (the original source).
  for (const name of propertyNamesIn(definitions.channels)) names.contacts.add(name);
  for (const property of [...definitions.properties.writtenBack, ...definitions.properties.inputs])
    for (const object of property.objects) names[OBJECT_OF[object]].add(property.name);

  const result = {} as Record<MirrorType, SyncProperties>;
  for (const type of Object.keys(names) as MirrorType[])
    result[type] = { properties: [...names[type]].sort(), history: [...history[type]].sort() };
  return result;
}

/** Property names a section entry mentions as `property` or `field`, at any depth. */
function propertyNamesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(propertyNamesIn);
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'property' || key === 'field') && typeof child === 'string') found.push(child);
    else found.push(...propertyNamesIn(child));
  }
  return found;
}
