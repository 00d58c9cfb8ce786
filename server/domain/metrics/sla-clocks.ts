import { startedSlaClocks } from '../hygiene/rules/slas.ts';
import type { StagedRecord } from '../hygiene/index.ts';

/**
 * A record's SLA clocks as the reporting model keeps them: for each SLA that applies to the record and
 * whose clock has started (the hygiene engine's `slaOutcomes` set), the instant from which it counts as
 * breached. Pure, and free of the clock: "breached at t" is `breachAt < t`, which is exactly
 * `slaOutcomes(view at t)`'s verdict, so stored clocks answer SLA compliance at any later instant
 * without re-reading the record.
 *
 * - the end moment came, within the limit: `null` (never breached);
 * - the end moment came, past the limit: `-Infinity` (breached whatever the time);
 * - still open: start + limit (breached once the time is past it: elapsed > limit).
 */
export type SlaClock = { sla: string; startedAt: number; breachAt: number | null };

export function slaClocksOf(view: StagedRecord): SlaClock[] {
  return startedSlaClocks(view).map(({ sla, start, end, limitMs }) => ({
    sla: sla.id,
    startedAt: start,
    breachAt: end === undefined ? start + limitMs : end - start > limitMs ? -Infinity : null,
  }));
}

/** Whether a clock counts as breached at `now` (the engine's `elapsed > limit`). */
export function clockBreached(clock: Pick<SlaClock, 'breachAt'>, now: number): boolean {
  return clock.breachAt !== null && clock.breachAt < now;
}
