/**
 * Matched ids of recent search queries, keyed by the query (without paging) and the table's version, so
 * paging through a large result set filters and sorts the portal once, not once per page. Any write to
 * the object type changes its version and so misses the cache.
 */
export class SearchCache {
  private readonly entries = new Map<string, string[]>();
  private readonly capacity: number;

  constructor(capacity = 32) {
    this.capacity = capacity;
  }

  get(key: string): string[] | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, ids: string[]): void {
    this.entries.set(key, ids);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
