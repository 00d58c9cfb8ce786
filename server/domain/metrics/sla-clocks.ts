import { momentOf } from '../hygiene/rules/slas.ts';
import type { StagedRecord } from '../hygiene/index.ts';
import { thresholdMs } from '../policy/index.ts';

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
  const clocks: SlaClock[] = [];
  for (const sla of view.definitions.slas) {
    if (sla.object !== view.object || (sla.atStages !== undefined && !sla.atStages.includes(view.stage))) continue;
    const start = momentOf(view, sla.start);
    if (start === undefined) continue;
    const end = sla.end === null ? undefined : momentOf(view, sla.end);
    const limit = thresholdMs(sla.threshold);
    const breachAt = end === undefined ? start + limit : end - start > limit ? -Infinity : null;
    clocks.push({ sla: sla.id, startedAt: start, breachAt });
  }
  return clocks;
}

/** Whether a clock counts as breached at `now` (the engine's `elapsed > limit`). */
export function clockBreached(clock: Pick<SlaClock, 'breachAt'>, now: number): boolean {
  return clock.breachAt !== null && clock.breachAt < now;
}
