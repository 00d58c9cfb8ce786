/**
 * The timestamps of the last requests a rolling window holds, oldest first, in a fixed ring the size of
 * the limit: taking or refusing a slot is O(1) amortized and allocates nothing, so thousands of requests
 * a test cost next to nothing.
 *
 * A request at `now` sees the requests of the half-open interval `(now - windowMs, now]`: one made
 * exactly `windowMs` earlier has left the window.
 */
export class RollingWindow {
  #times: Float64Array;
  #head = 0;
  #size = 0;
  #limit: number;
  #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#times = new Float64Array(Math.max(1, limit));
  }

  get limit(): number {
    return this.#limit;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  #expire(now: number): void {
    const cutoff = now - this.#windowMs;
    const capacity = this.#times.length;
    while (this.#size > 0 && this.#times[this.#head]! <= cutoff) {
      this.#head = (this.#head + 1) % capacity;
      this.#size--;
    }
  }

  #push(now: number): void {
    const capacity = this.#times.length;
    if (this.#size === capacity) {
      // Full: the newest request replaces the oldest one (only when rejected requests are recorded).
      this.#times[this.#head] = now;
      this.#head = (this.#head + 1) % capacity;
      return;
    }
    this.#times[(this.#head + this.#size) % capacity] = now;
    this.#size++;
  }

  /**
   * Asks for a slot at `now`. Returns the slots left after taking it, or -1 when the window is full.
   * With `recordRefusal`, a refused request is recorded as well (it then keeps the window full longer).
   */
  take(now: number, recordRefusal = false): number {
    this.#expire(now);
    if (this.#size < this.#limit) {
      this.#push(now);
      return this.#limit - this.#size;
    }
    if (recordRefusal && this.#limit > 0) this.#push(now);
    return -1;
  }

  /** Requests in the window at `now`. */
  used(now: number): number {
    this.#expire(now);
    return Math.min(this.#size, this.#limit);
  }

  /** Milliseconds from `now` until a slot frees up (0 when one is free). */
  msUntilFree(now: number): number {
    this.#expire(now);
    if (this.#size < this.#limit) return 0;
    if (this.#limit === 0) return Number.POSITIVE_INFINITY;
    // The slot frees when the request `limit` places back from the newest leaves the window.
    const capacity = this.#times.length;
    const index = (this.#head + this.#size - this.#limit + capacity) % capacity;
    return this.#times[index]! + this.#windowMs - now;
  }

  /** Changes the limit and the window, keeping the newest timestamps that still fit. */
  resize(limit: number, windowMs: number): void {
    const kept: number[] = [];
    const capacity = this.#times.length;
    for (let i = 0; i < this.#size; i++) kept.push(this.#times[(this.#head + i) % capacity]!);
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#times = new Float64Array(Math.max(1, limit));
    this.#head = 0;
    this.#size = 0;
    for (const time of kept.slice(-Math.max(1, limit))) this.#push(time);
    if (limit === 0) this.#size = 0;
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }
}
