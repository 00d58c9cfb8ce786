/**
 * The sandbox's clock. Token expiry, write timestamps and history entries read it, so a test can move
 * time (expire a token, stamp writes at a known instant) without waiting. Either it follows the system
 * clock shifted by an offset, or it is frozen at an instant until told otherwise.
 */
export type Clock = {
  now(): number;
  /** Jumps to an instant; a frozen clock stays there, a running one keeps running from there. */
  set(ms: number): void;
  advance(ms: number): void;
  freeze(at?: number): void;
  unfreeze(): void;
  readonly frozen: boolean;
};

export type ClockOptions = { start?: number; frozen?: boolean };

export function createClock(options: ClockOptions = {}): Clock {
  let offset = options.start === undefined ? 0 : options.start - Date.now();
  let frozenAt: number | undefined = options.frozen ? (options.start ?? Date.now()) : undefined;
  return {
    now: () => frozenAt ?? Date.now() + offset,
    set(ms) {
      if (frozenAt !== undefined) frozenAt = ms;
      else offset = ms - Date.now();
    },
    advance(ms) {
      if (frozenAt !== undefined) frozenAt += ms;
      else offset += ms;
    },
    freeze(at) {
      frozenAt = at ?? Date.now() + offset;
    },
    unfreeze() {
      if (frozenAt !== undefined) offset = frozenAt - Date.now();
      frozenAt = undefined;
    },
    get frozen() {
      return frozenAt !== undefined;
    },
  };
}
