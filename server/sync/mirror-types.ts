/**
 * The CRM object types the mirror holds, named as HubSpot's v3/v4 paths and the mirror's tables name
 * them. Sorted: the associations table stores each pair from the type that sorts first.
 */
export const MIRROR_TYPES = ['companies', 'contacts', 'deals', 'tickets'] as const;
export type MirrorType = (typeof MIRROR_TYPES)[number];

/** The order a full sync reads objects in: contacts first, since every other step hangs off them. */
export const SYNC_ORDER: readonly MirrorType[] = ['contacts', 'companies', 'deals', 'tickets'];

/** The pairs whose associations the loop walks (contact↔company, contact↔deal, deal↔ticket, deal↔company). */
export const ASSOCIATION_PAIRS: readonly (readonly [MirrorType, MirrorType])[] = [
  ['companies', 'contacts'],
  ['contacts', 'deals'],
  ['deals', 'tickets'],
  ['companies', 'deals'],
];

/** The stage property whose history becomes stage events, for the types that have one. */
export type StagedMirrorType = 'contacts' | 'deals' | 'tickets';
export const isStagedType = (type: MirrorType): type is StagedMirrorType => type !== 'companies';
