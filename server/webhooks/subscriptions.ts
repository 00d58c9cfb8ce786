import {
  dateEnteredPropertyOf,
  DEFAULT_DEFINITIONS,
  type CrmObject,
  type Definitions,
} from '../domain/policy/index.ts';

/**
 * The HubSpot webhook subscriptions Closed Loop needs, in one place: the app project's webhooks
 * component (`app/webhooks/webhooks-hsmeta.json`) is generated from / checked against this list, and
 * the tests give the same list to the sandbox's deliverer.
 *
 * Lifecycle events (creation, deletion, merge, restore, association change) for the four objects, a
 * property change for every property the definitions read (so a policy that reads a new property gets
 * its subscription from the policy, not from a hand-kept list) and `contact.privacyDeletion` (GDPR).
 * Written-back properties are left out on purpose: the app is their only writer, so their events would
 * only ever be its own echoes.
 */

export const WEBHOOK_OBJECTS = ['contact', 'company', 'deal', 'ticket'] as const satisfies readonly CrmObject[];
export const LIFECYCLE_EVENTS = ['creation', 'deletion', 'merge', 'restore', 'associationChange'] as const;

/** HubSpot's subscription in its `legacyCrmObjects` / hubEvents form (`contact.propertyChange` + propertyName). */
export type WebhookSubscription = { subscriptionType: string; propertyName?: string };

/** HubSpot refuses property-change subscriptions for these (see shared/notes/hubspot-crm-api.md §4). */
const UNSUBSCRIBABLE = new Set(['hs_lastmodifieddate', 'num_unique_conversion_events']);

/**
 * Read by code rather than named by the definitions: the owner (the issue log names who should act;
 * the mirror keeps `owner_id`) and what attribution reads of deals and contacts (deal-touches.ts,
 * touches.ts: amount, closedate, createdate).
 */
const READ_BY_CODE: Record<CrmObject, readonly string[]> = {
  contact: ['hubspot_owner_id', 'createdate'],
  company: ['hubspot_owner_id'],
  deal: ['hubspot_owner_id', 'amount', 'closedate', 'createdate'],
  ticket: ['hubspot_owner_id'],
};

/** Every property of each object the definitions (and the code above) read, sorted. */
export function propertiesRead(definitions: Definitions): Record<CrmObject, string[]> {
  const read: Record<CrmObject, Set<string>> = {
    contact: new Set(READ_BY_CODE.contact),
    company: new Set(READ_BY_CODE.company),
    deal: new Set(READ_BY_CODE.deal),
    ticket: new Set(READ_BY_CODE.ticket),
  };
  const add = (object: CrmObject, property: string) => read[object].add(property);

  for (const object of ['contact', 'deal', 'ticket'] as const) {
    const lifecycle = definitions.stages[object];
    add(object, lifecycle.stageProperty);
    if (lifecycle.pipelineProperty !== null) add(object, lifecycle.pipelineProperty);
    for (const stage of lifecycle.stages) {
      if (stage.condition) add(object, stage.condition.property);
      if (stage.enteredAtProperty) add(object, stage.enteredAtProperty);
    }
    // Entered-at dates: the date-entered property of every HubSpot stage value the policy maps.
    for (const pipeline of lifecycle.pipelines)
      for (const values of Object.values(pipeline.values))
        for (const value of values) add(object, dateEnteredPropertyOf(lifecycle, value));
  }
  for (const row of definitions.requiredFields) if ('field' in row) add(row.object, row.field);
  for (const check of definitions.joinKeys) {
    if (check.kind === 'has_association') continue;
    add(check.object, check.property);
    // The compared value lives on the associated record too.
    if (check.kind === 'matches_association') add(check.to, check.property);
  }
  for (const rule of definitions.duplicates) add(rule.object, rule.property);
  for (const sla of definitions.slas)
    for (const moment of [sla.start, sla.end]) if (moment?.kind === 'property') add(sla.object, moment.property);
  add('contact', definitions.channels.analyticsSource.property);
  for (const input of definitions.properties.inputs) for (const object of input.objects) add(object, input.name);

  const writtenBack = new Set(definitions.properties.writtenBack.map((p) => p.name));
  const result = {} as Record<CrmObject, string[]>;
  for (const object of WEBHOOK_OBJECTS)
    result[object] = [...read[object]].filter((p) => !writtenBack.has(p) && !UNSUBSCRIBABLE.has(p)).sort();
  return result;
}

/** The subscriptions for a policy, in a stable order (lifecycle events, property changes, privacy deletion). */
export function webhookSubscriptions(definitions: Definitions): WebhookSubscription[] {
  const properties = propertiesRead(definitions);
  return [
    ...WEBHOOK_OBJECTS.flatMap((object) =>
      LIFECYCLE_EVENTS.map((event) => ({ subscriptionType: `${object}.${event}` })),
    ),
    ...WEBHOOK_OBJECTS.flatMap((object) =>
      properties[object].map((propertyName) => ({ subscriptionType: `${object}.propertyChange`, propertyName })),
    ),
    { subscriptionType: 'contact.privacyDeletion' },
  ];
}

/**
 * What the app subscribes to. Subscriptions are per app, not per portal, so they follow the default
 * policy; a portal whose admin makes the policy read another property needs that property added here
 * (or the incremental sync picks its changes up within 15 minutes).
 */
export const APP_WEBHOOK_SUBSCRIPTIONS: readonly WebhookSubscription[] = webhookSubscriptions(DEFAULT_DEFINITIONS);
