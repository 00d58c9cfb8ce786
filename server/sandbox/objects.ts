import type { CrmObjectType } from './contracts.ts';

/** One CRM record as the store keeps it. Times are epoch milliseconds; property values are strings. */
export type HistoryEntry = {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
  sourceLabel?: string;
  updatedByUserId?: number;
};

/** Shared by every record without history until its first write gives it its own map. */
export const NO_HISTORY: ReadonlyMap<string, HistoryEntry[]> = new Map();

export type StoredObject = {
  id: string;
  type: CrmObjectType;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  properties: Map<string, string>;
  /**
   * Newest first; only properties whose history was given or written (others get one synthesised entry
   * on read). Records without any share NO_HISTORY: use `ownHistory` before adding to it.
   */
  history: ReadonlyMap<string, HistoryEntry[]>;
};

/** The record's own, writable history map. */
export function ownHistory(object: StoredObject): Map<string, HistoryEntry[]> {
  if (object.history === NO_HISTORY) object.history = new Map();
  return object.history as Map<string, HistoryEntry[]>;
}

/**
 * The records of one object type: a map by id for lookups and a sorted array of numeric ids for
 * `after` paging (new ids are always larger, so appending keeps it sorted). `version` changes on every
 * write, which is what the search cache keys on.
 */
export class ObjectTable {
  readonly type: CrmObjectType;
  readonly byId = new Map<string, StoredObject>();
  /** Merged-away ids → the id they were merged into. */
  readonly aliases = new Map<string, string>();
  private ids: number[] = [];
  private sorted = true;
  version = 0;

  constructor(type: CrmObjectType) {
    this.type = type;
  }

  insert(object: StoredObject): void {
    const n = Number(object.id);
    if (this.ids.length > 0 && n < this.ids[this.ids.length - 1]!) this.sorted = false;
    this.byId.set(object.id, object);
    this.ids.push(n);
    this.version++;
  }

  /** Drops a record from the table (a merge): O(n), merges are rare. */
  remove(id: string): void {
    if (!this.byId.delete(id)) return;
    const n = Number(id);
    this.ids = this.ids.filter((x) => x !== n);
    this.version++;
  }

  get size(): number {
    return this.byId.size;
  }

  /** The record for an id, following merges. */
  resolve(id: string): StoredObject | undefined {
    const direct = this.byId.get(id);
    if (direct) return direct;
    const alias = this.aliases.get(id);
    return alias === undefined ? undefined : this.resolve(alias);
  }

  private orderedIds(): number[] {
    if (!this.sorted) {
      this.ids.sort((a, b) => a - b);
      this.sorted = true;
    }
    return this.ids;
  }

  /** Up to `limit` records with id ≥ `from`, archived or not as asked; `next` is the cursor of the following page. */
  page(from: number, limit: number, archived: boolean): { items: StoredObject[]; next?: string } {
    const ids = this.orderedIds();
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const items: StoredObject[] = [];
    let i = lo;
    for (; i < ids.length && items.length < limit; i++) {
      const object = this.byId.get(String(ids[i]))!;
      if (object.archived === archived) items.push(object);
    }
    // Only promise a next page if one exists (HubSpot omits `paging` on the last page).
    for (let j = i; j < ids.length; j++) {
      if (this.byId.get(String(ids[j]))!.archived === archived) return { items, next: String(ids[i - 1]! + 1) };
    }
    return { items };
  }

  /** Every record in id order (for export and search). */
  *all(): IterableIterator<StoredObject> {
    for (const n of this.orderedIds()) yield this.byId.get(String(n))!;
  }
}
