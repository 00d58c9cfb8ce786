import type { Queryable } from '../db/pool.ts';
import {
  cardSnapshots,
  dealCreditsOf,
  duplicateCandidatesOf,
  type CardSnapshot,
  type CardSnapshotKey,
  type DealCreditRow,
  type DealCreditsKey,
  type DuplicateLookup,
} from '../db/repositories/card-reads.ts';
import type { MirrorTable } from '../db/repositories/mirror-objects.ts';
import { ReadBatcher } from './read-batcher.ts';

/** What the card reads ask Postgres for, one record at a time; concurrent asks share a statement. */
export type CardReads = {
  snapshot(key: CardSnapshotKey): Promise<CardSnapshot | undefined>;
  dealCredits(key: DealCreditsKey): Promise<DealCreditRow[]>;
  duplicateCandidates(
    objectType: MirrorTable,
    property: string,
    lookup: DuplicateLookup,
  ): Promise<{ id: string; value: string | null }[]>;
};

/** How many of a contact's latest touches the contact card lists. */
export const RECENT_TOUCHES = 20;
/** How many records sharing a key the card looks at; a group larger than this is shown cut short. */
export const MAX_GROUP = 51;

/**
 * Records per statement: a batch of this many reads a few hundred index entries and answers in a few
 * milliseconds, so one large batch does not hold up the requests queued behind it.
 */
const MAX_BATCH = 64;
/**
 * Statements of one kind running at once. Two keep Postgres busy while the server handles the answers
 * of the other (with one, a quarter fewer answers/s at 100 in flight, 2026-12-05), and leave most of
 * the pool (10 connections) to writes and the fallback reads.
 */
const MAX_IN_FLIGHT = 2;

/** The card reads on `db`, each batched across the requests in flight (`read-batcher.ts`). */
export function batchedCardReads(db: Queryable): CardReads {
  const options = { maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT };
  const snapshots = new ReadBatcher(
    (keys: CardSnapshotKey[]) => cardSnapshots(db, keys, { newestTouches: RECENT_TOUCHES, emailPeers: MAX_GROUP }),
    options,
  );
  const credits = new ReadBatcher((keys: DealCreditsKey[]) => dealCreditsOf(db, keys), options);
  // One batcher per (type, property): the property is part of the statement's plan (its index).
  const duplicates = new Map<string, ReadBatcher<DuplicateLookup, { id: string; value: string | null }[]>>();
  return {
    snapshot: (key) => snapshots.load(key),
    dealCredits: (key) => credits.load(key),
    duplicateCandidates(objectType, property, lookup) {
      const name = `${objectType}\u0000${property}`;
      let batcher = duplicates.get(name);
      if (batcher === undefined) {
        batcher = new ReadBatcher(
          (lookups: DuplicateLookup[]) => duplicateCandidatesOf(db, objectType, property, lookups, MAX_GROUP),
          options,
        );
        duplicates.set(name, batcher);
      }
      return batcher.load(lookup);
    },
  };
}
