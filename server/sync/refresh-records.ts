import type { Queryable } from '../db/pool.ts';
import { deleteAssociationsOf, insertAssociations } from '../db/repositories/mirror-associations.ts';
import { mergeIntoSurvivors } from '../db/repositories/mirror-merges.ts';
import { upsertMirrorRecords } from '../db/repositories/mirror-objects.ts';
import { reviveArchived, type ArchivedRow } from '../db/repositories/mirror-recycle-bin.ts';
import { deleteStageEventsOf, insertStageEvents } from '../db/repositories/mirror-stage-events.ts';
import { readAssociations } from './associations.ts';
import { readWithHistory } from './changed-records.ts';
import type { HubSpotCaller } from './hubspot-caller.ts';
import { toMirrorRecord, type HubSpotRecord } from './hubspot-record.ts';
import { mergedAwayIn } from './merged-records.ts';
import { ASSOCIATION_PAIRS, isStagedType, type MirrorType } from './mirror-types.ts';
import { stageEventsOf } from './stage-events.ts';
import type { SyncProperties } from './sync-properties.ts';

type AssociationRows = Awaited<ReturnType<typeof readAssociations>>;

/** Records as HubSpot has them now, with their stage history and associations: read, not yet stored. */
export type FreshRecords = {
  type: MirrorType;
  records: HubSpotRecord[];
  history: readonly string[];
  associations: { other: MirrorType; rows: AssociationRows }[];
};

/**
 * Reads records again from HubSpot: properties and stage history by batch read (unless `alreadyRead`
 * has the properties and no history is wanted), and their associations with every partner type. Used
 * by the incremental sync and by the webhook drain; ids deleted meanwhile are left out.
 */
export async function fetchFresh(
  client: HubSpotCaller,
  type: MirrorType,
  ids: readonly string[],
  wanted: SyncProperties,
  alreadyRead?: HubSpotRecord[],
): Promise<FreshRecords> {
  const history = isStagedType(type) ? wanted.history : [];
  const records =
    alreadyRead && history.length === 0
      ? alreadyRead
      : await readWithHistory(client, type, ids, wanted.properties, history);
  const numericIds = records.map((r) => Number(r.id));
  const partners = ASSOCIATION_PAIRS.filter((pair) => pair.includes(type)).map(([a, b]) => (a === type ? b : a));
  const associations: FreshRecords['associations'] = [];
  for (const other of partners)
    associations.push({ other, rows: await readAssociations({ client }, type, other, numericIds) });
  return { type, records, history, associations };
}

/**
 * Stores fresh records in the mirror (call inside the caller's transaction): a record only replaces an
 * older version, its stage events are rebuilt from the history it came with, records it absorbed in a
 * merge fold into it, and its associations with each partner type are replaced. Returns the ids written.
 *
 * `archivedBefore`: rows the caller saw archived (deleted) before it read `fresh` by id. HubSpot
 * answering one of them live means it was restored since, whatever its `updatedAt` says (a restore
 * gives the record back as it was, older than the departure the mirror recorded): it is stored, live,
 * unless something archived it again after it was seen.
 */
export async function storeFresh(
  tx: Queryable,
  portalId: number,
  fresh: FreshRecords,
  archivedBefore: readonly ArchivedRow[] = [],
): Promise<number[]> {
  const { type, records, history } = fresh;
  if (archivedBefore.length > 0) {
    const seen = new Map(archivedBefore.map((row) => [row.id, row.seen]));
    const revivals = records.flatMap((r) => {
      const at = seen.get(Number(r.id));
      return at === undefined ? [] : [{ id: Number(r.id), seen: at, updatedAt: r.updatedAt.toISOString() }];
    });
    await reviveArchived(tx, portalId, type, revivals);
  }
  const written = await upsertMirrorRecords(tx, portalId, type, records.map(toMirrorRecord));
  if (isStagedType(type) && history.length > 0) {
    const stored = new Set(written);
    await deleteStageEventsOf(tx, portalId, type, written);
    await insertStageEvents(
      tx,
      portalId,
      type,
      records.filter((r) => stored.has(Number(r.id))).flatMap((r) => stageEventsOf(r, history)),
    );
  }
  await mergeIntoSurvivors(tx, portalId, type, mergedAwayIn(records));
  const ids = records.map((r) => Number(r.id));
  for (const { other, rows } of fresh.associations) {
    await deleteAssociationsOf(tx, portalId, type, ids, other);
    await insertAssociations(tx, portalId, rows);
  }
  return written;
}
