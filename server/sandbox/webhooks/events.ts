import type { CrmObjectType, SandboxChange } from '../contracts.ts';

/**
 * HubSpot's webhook subscriptions and event objects, and the mapping from a SandboxChange to the
 * events it produces. Field names, types and order follow captured deliveries (see README.md):
 *
 *   {"eventId":4101286121,"subscriptionId":7562680,"portalId":247187887,"appId":50780459,
 *    "occurredAt":1787843156000,"subscriptionType":"contact.propertyChange","attemptNumber":1,
 *    "objectId":541935488729,"propertyName":"email","propertyValue":"…","changeSource":"INTEGRATION",
 *    "sourceId":"50780459"}
 */

/** The object names HubSpot uses in subscription types (`contact.creation`) and `object.*` subscriptions. */
export type WebhookObjectName = 'contact' | 'company' | 'deal' | 'ticket';

export type WebhookAction = 'creation' | 'deletion' | 'propertyChange' | 'merge' | 'restore' | 'associationChange';

export type WebhookSubscription = {
  /** HubSpot's numeric subscription id; assigned in order when absent. */
  id?: number;
  /**
   * `contact|company|deal|ticket` `.creation|.deletion|.propertyChange|.merge|.restore|.associationChange`,
   * `contact.privacyDeletion`, or the generic `object.creation|deletion|propertyChange|merge|restore`
   * (with `objectType`).
   */
  subscriptionType: string;
  /** Required for property changes: HubSpot has no wildcard. */
  propertyName?: string;
  /** For `object.*` subscriptions: the object they watch, as HubSpot's 2025.2 webhook config names it. */
  objectType?: WebhookObjectName;
  /** Inactive subscriptions deliver nothing (default true). */
  active?: boolean;
};

export type ResolvedSubscription = Required<Pick<WebhookSubscription, 'id' | 'subscriptionType'>> &
  Pick<WebhookSubscription, 'propertyName' | 'objectType'> & {
    active: boolean;
    /** The object it watches, from the type or from `objectType`. */
    object: WebhookObjectName;
    action: WebhookAction | 'privacyDeletion';
    generic: boolean;
  };

export type WebhookEvent = {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  /** Generic (`object.*`) events only: `0-1` contacts, `0-2` companies, `0-3` deals, `0-5` tickets. */
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  /** `NEW` on creations, `DELETED` on deletions (as captured); absent elsewhere. */
  changeFlag?: string;
  changeSource: string;
  sourceId?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
};

export const OBJECT_NAME: Record<CrmObjectType, WebhookObjectName> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
};

export const OBJECT_TYPE_ID: Record<WebhookObjectName, string> = {
  contact: '0-1',
  company: '0-2',
  deal: '0-3',
  ticket: '0-5',
};

const OBJECTS: readonly WebhookObjectName[] = ['contact', 'company', 'deal', 'ticket'];
const ACTIONS: readonly WebhookAction[] = [
  'creation',
  'deletion',
  'propertyChange',
  'merge',
  'restore',
  'associationChange',
];
/** Properties HubSpot refuses a property-change subscription for. */
const UNSUBSCRIBABLE = new Set(['hs_lastmodifieddate', 'num_unique_conversion_events']);

/** Checks subscriptions as HubSpot would when they are created, and gives each its id. */
export function resolveSubscriptions(subscriptions: WebhookSubscription[], firstId = 1): ResolvedSubscription[] {
  let nextId = firstId;
  const taken = new Set(subscriptions.flatMap((s) => (s.id === undefined ? [] : [s.id])));
  return subscriptions.map((s) => {
    while (s.id === undefined && taken.has(nextId)) nextId++;
    const id = s.id ?? nextId++;
    const [prefix, action] = s.subscriptionType.split('.') as [string, string | undefined];
    const fail = (why: string) => new TypeError(`webhook subscription ${s.subscriptionType}: ${why}`);
    let object: WebhookObjectName;
    let generic = false;
    if (s.subscriptionType === 'contact.privacyDeletion') {
      return { ...s, id, active: s.active ?? true, object: 'contact', action: 'privacyDeletion', generic };
    }
    if (prefix === 'object') {
      generic = true;
      if (s.objectType === undefined || !OBJECTS.includes(s.objectType)) throw fail('needs objectType');
      if (action === 'associationChange') throw fail('object.associationChange is not modelled by the sandbox');
      object = s.objectType;
    } else {
      if (!OBJECTS.includes(prefix as WebhookObjectName)) throw fail('unknown object');
      object = prefix as WebhookObjectName;
    }
    if (!ACTIONS.includes(action as WebhookAction)) throw fail('unknown event');
    if (action === 'propertyChange') {
      if (!s.propertyName) throw fail('a property change needs a propertyName');
      if (UNSUBSCRIBABLE.has(s.propertyName)) throw fail(`${s.propertyName} cannot be subscribed to`);
    }
    return { ...s, id, active: s.active ?? true, object, action: action as WebhookAction, generic };
  });
}

/** HubSpot ids are numbers in webhook payloads; the sandbox's ids are their decimal strings. */
function numericId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new TypeError(`object id ${id} is not a numeric HubSpot id`);
  return n;
}

type Head = Pick<WebhookEvent, 'subscriptionId' | 'subscriptionType' | 'occurredAt'> & {
  objectId: number;
  objectTypeId?: string;
};

export type EventContext = { portalId: number; appId: number; nextEventId: () => number };

function build(
  ctx: EventContext,
  head: Head,
  middle: Partial<WebhookEvent>,
  change: SandboxChange,
  tail: Partial<WebhookEvent> = {},
): WebhookEvent {
  const event: WebhookEvent = {
    eventId: ctx.nextEventId(),
    subscriptionId: head.subscriptionId,
    portalId: ctx.portalId,
    appId: ctx.appId,
    occurredAt: head.occurredAt,
    subscriptionType: head.subscriptionType,
    attemptNumber: 0,
    objectId: head.objectId,
    ...(head.objectTypeId === undefined ? {} : { objectTypeId: head.objectTypeId }),
    ...middle,
    changeSource: change.source.changeSource,
    ...(change.source.sourceId === undefined ? {} : { sourceId: change.source.sourceId }),
    ...tail,
  };
  return event;
}

/**
 * The events one change produces for the given subscriptions, in subscription order. An association
 * change produces one event per side, each for the subscriptions of that side's object (HubSpot's
 * changelog: contact.associationChange Sam → BlorgCorp and company.associationChange BlorgCorp → Sam).
 */
export function eventsFor(
  change: SandboxChange,
  subscriptions: ResolvedSubscription[],
  ctx: EventContext,
): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const s of subscriptions) {
    if (!s.active) continue;
    const head = (objectId: string): Head => ({
      subscriptionId: s.id,
      subscriptionType: s.subscriptionType,
      occurredAt: change.occurredAt,
      objectId: numericId(objectId),
      ...(s.generic ? { objectTypeId: OBJECT_TYPE_ID[s.object] } : {}),
    });
    switch (change.kind) {
      case 'privacyDeletion':
        if (s.action === 'privacyDeletion') events.push(build(ctx, head(change.objectId), {}, change));
        break;
      case 'creation':
      case 'deletion':
      case 'restore': {
        if (s.action !== change.kind || s.object !== OBJECT_NAME[change.objectType]) break;
        const changeFlag = change.kind === 'creation' ? 'NEW' : change.kind === 'deletion' ? 'DELETED' : undefined;
        events.push(build(ctx, head(change.objectId), changeFlag === undefined ? {} : { changeFlag }, change));
        break;
      }
      case 'propertyChange':
        if (s.action !== 'propertyChange' || s.object !== OBJECT_NAME[change.objectType]) break;
        if (s.propertyName !== change.propertyName) break;
        events.push(
          build(
            ctx,
            head(change.objectId),
            { propertyName: change.propertyName, propertyValue: change.propertyValue },
            change,
          ),
        );
        break;
      case 'merge':
        if (s.action !== 'merge' || s.object !== OBJECT_NAME[change.objectType]) break;
        events.push(
          build(ctx, head(change.primaryObjectId), {}, change, {
            primaryObjectId: numericId(change.primaryObjectId),
            mergedObjectIds: change.mergedObjectIds.map(numericId),
            newObjectId: numericId(change.newObjectId),
            numberOfPropertiesMoved: change.numberOfPropertiesMoved,
          }),
        );
        break;
      case 'associationChange': {
        if (s.action !== 'associationChange') break;
        const from = OBJECT_NAME[change.fromObjectType];
        const to = OBJECT_NAME[change.toObjectType];
        const sides: [WebhookObjectName, string, WebhookObjectName, string][] = [
          [from, change.fromObjectId, to, change.toObjectId],
          [to, change.toObjectId, from, change.fromObjectId],
        ];
        for (const [a, aId, b, bId] of sides) {
          if (s.object !== a) continue;
          events.push(
            build(ctx, head(aId), {}, change, {
              associationType: `${a.toUpperCase()}_TO_${b.toUpperCase()}`,
              fromObjectId: numericId(aId),
              toObjectId: numericId(bId),
              associationRemoved: change.associationRemoved,
              // Set for a change of the "Primary" company label (unverified: HubSpot's payload for a
              // label change; only the field names are documented).
              isPrimaryAssociation: change.primary ?? false,
            }),
          );
        }
        break;
      }
    }
  }
  return events;
}
