/**
 * Collects the reads that card requests ask for while the event loop handles what has arrived, and
 * sends them as one statement when it has (DataLoader-style, but across requests). With 100 card
 * requests in flight, one statement for many records costs the server and Postgres far less than one
 * each: the socket writes, the protocol messages and Postgres's per-statement work are paid once a
 * batch. Nothing is kept between batches: a read always starts after the request that asked for it
 * arrived, so it sees every write committed before, exactly as a read of its own would.
 *
 * At most `maxInFlight` batches of one batcher run at a time (so batches grow under load instead of
 * taking every connection of the pool); the rest wait for one to finish, then go in the next batch.
 */
export class ReadBatcher<K, V> {
  readonly #read: (keys: K[]) => Promise<V[]>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #pending: { key: K; resolve(value: V): void; reject(error: unknown): void }[] = [];
  #scheduled = false;
  #inFlight = 0;

  /** `read` answers each key of a batch, in the order of the keys. */
  constructor(read: (keys: K[]) => Promise<V[]>, options: { maxBatch: number; maxInFlight: number }) {
    this.#read = read;
    this.#maxBatch = options.maxBatch;
    this.#maxInFlight = options.maxInFlight;
  }

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.#pending.push({ key, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    // After the I/O callbacks of this turn of the event loop: every request that arrived with this one
    // has asked for its read by then.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#pending.length > 0 && this.#inFlight < this.#maxInFlight) {
      const batch = this.#pending.splice(0, this.#maxBatch);
      this.#inFlight++;
      let read: Promise<V[]>;
      try {
        read = this.#read(batch.map((b) => b.key));
      } catch (error) {
        read = Promise.reject(error);
      }
      read
        .then(
          (values) => {
            for (const [i, b] of batch.entries()) b.resolve(values[i]!);
          },
          (error: unknown) => {
            for (const b of batch) b.reject(error);
          },
        )
        .finally(() => {
          this.#inFlight--;
          if (this.#pending.length > 0) this.#schedule();
        });
    }
  }
}
