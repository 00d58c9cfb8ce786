import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import type { ObjectChanges } from '../webhooks/object-changes.ts';
import { ASSOCIATION_PAIRS, type MirrorType } from './mirror-types.ts';

/** Associations to read again: those of `ids` (of `from`) with `to`. */
export type AssociationRead = { from: MirrorType; to: MirrorType; ids: number[] };

const TYPE: Record<ObjectChanges['object'], MirrorType> = HUBSPOT_OBJECT_TYPE;
const BY_NAME: Record<string, MirrorType> = {
  CONTACT: 'contacts',
  COMPANY: 'companies',
  DEAL: 'deals',
  TICKET: 'tickets',
};

/** The partner types whose associations with `type` the mirror keeps. */
export function partnersOf(type: MirrorType): MirrorType[] {
  return ASSOCIATION_PAIRS.filter((pair) => pair.includes(type)).map(([a, b]) => (a === type ? b : a));
}

/**
 * The other end of an association event: HubSpot's `associationType` names both objects
 * (`CONTACT_TO_COMPANY`) and `toObjectId` the other record. `null` when the event doesn't say (a type
 * name this code doesn't know): then every partner type of the object is read again.
 */
function otherEndOf(payload: Record<string, unknown>): { type: MirrorType; id: number | null } | null {
  const names =
    typeof payload.associationType === 'string' ? /^([A-Z]+)_TO_([A-Z]+)$/.exec(payload.associationType) : null;
  const type = names ? BY_NAME[names[2]!] : undefined;
  if (!type) return null;
  const id = Number(payload.toObjectId);
  return { type, id: Number.isSafeInteger(id) && id > 0 ? id : null };
}

/**
 * Which associations to read again for objects whose only events are association changes (objects
 * with any other event are read again whole, associations included: `rereadWhole`). The events are not
 * applied as they come: an event can concern one association type, so removing a label (the "Primary"
 * company, a custom label) can arrive as `associationRemoved: true` while the pair stays associated
 * through its other types, and events may arrive out of order. What HubSpot lists now is the truth, read per
 * changed record with the partner type the event names, 1,000 ids a call. Pairs the mirror doesn't keep
 * (contact↔ticket, company↔ticket) cost nothing; a pair both of whose ends sent an event (HubSpot sends
 * one from each side) is read once, from the side seen first; a pair with an end read whole is not read.
 */
export function associationReadsOf(
  changes: readonly ObjectChanges[],
  rereadWhole: ReadonlyMap<MirrorType, ReadonlySet<string>>,
): AssociationRead[] {
  const reads = new Map<string, { from: MirrorType; to: MirrorType; ids: Set<number> }>();
  const covered = (type: MirrorType, id: number, other: MirrorType) =>
    rereadWhole.get(type)?.has(String(id)) === true || reads.get(`${type}>${other}`)?.ids.has(id) === true;
  for (const change of changes) {
    if (!change.kinds.every((kind) => kind === 'associationChange')) continue;
    const type = TYPE[change.object];
    for (const event of change.events) {
      const end = otherEndOf(event.payload);
      const partners = partnersOf(type);
      const ends = end === null ? partners.map((other) => ({ type: other, id: null })) : [end];
      for (const other of ends) {
        if (!partners.includes(other.type)) continue;
        if (covered(type, change.objectId, other.type)) continue;
        if (other.id !== null && covered(other.type, other.id, type)) continue;
        const key = `${type}>${other.type}`;
        const read = reads.get(key) ?? reads.set(key, { from: type, to: other.type, ids: new Set() }).get(key)!;
        read.ids.add(change.objectId);
      }
    }
  }
  return [...reads.values()].map((read) => ({ ...read, ids: [...read.ids] }));
}
