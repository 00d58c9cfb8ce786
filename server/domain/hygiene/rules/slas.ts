import { thresholdMs, type Sla, type SlaMoment } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import { perDefinitionsAndObject } from '../per-definitions.ts';
import { makeFinding, type RuleResult } from '../rule-result.ts';
import { recordName, stageLabel, type StagedRecord } from '../staged-record.ts';
import { DAY_MS, formatDay, formatInstant, HOUR_MS, parseInstant } from '../values.ts';

/**
 * Section 6's service levels, timed against `now`. An SLA applies to a record in scope of its object,
 * at one of its `atStages` (when listed), whose start moment exists. It is breached when its end
 * exists and came more than the threshold after the start, or when there is no end (yet, or ever:
 * `end: null`) and `now` is more than the threshold after the start. "More than" is strict. A start
 * after `now` (future-dated data) cannot be breached by the clock, only by an end already recorded.
 * SLAs are not part of the compliance score.
 */
export function slaResult(view: StagedRecord): RuleResult {
  const findings: Finding[] = [];
  for (const clock of startedSlaClocks(view)) if (clock.elapsed > clock.limitMs) findings.push(breach(view, clock));
  return { findings, applicable: 0, passed: 0 };
}

/** Whether one SLA that applies to a record (its clock has started) is breached: the base of SLA compliance. */
export type SlaOutcome = { readonly sla: string; readonly breached: boolean };

/** Every SLA whose clock has started on the record, with whether it is breached, in definitions order. */
export function slaOutcomes(view: StagedRecord): SlaOutcome[] {
  return startedSlaClocks(view).map((clock) => ({ sla: clock.sla.id, breached: clock.elapsed > clock.limitMs }));
}

/**
 * An SLA's clock on a record: its start, its end if there is one, the time from one to the other (or
 * to now), and the limit. The one reading of "which SLAs apply and where their clocks stand" that the
 * findings, SLA compliance and the reporting model's clocks share.
 */
export type SlaTiming = {
  readonly sla: Sla;
  readonly start: number;
  readonly end: number | undefined;
  readonly elapsed: number;
  readonly limitMs: number;
};

/** The clocks of every SLA that applies to the record and has started, in definitions order. */
export function startedSlaClocks(view: StagedRecord): readonly SlaTiming[] {
  // The findings and the outcomes of one record read the same clocks, one after the other: work them
  // out once per record. One remembered record is enough for that (as for the field rows).
  if (last?.view !== view) last = { view, clocks: clocksOf(view) };
  return last.clocks;
}

let last: { view: StagedRecord; clocks: readonly SlaTiming[] } | undefined;

function clocksOf(view: StagedRecord): SlaTiming[] {
  const clocks: SlaTiming[] = [];
  for (const sla of slasOf(view.definitions, view.object)) {
    if (sla.atStages !== undefined && !sla.atStages.includes(view.stage)) continue;
    const clock = clockOf(view, sla);
    if (clock !== undefined) clocks.push(clock);
  }
  return clocks;
}

function clockOf(view: StagedRecord, sla: Sla): SlaTiming | undefined {
  const start = momentOf(view, sla.start);
  if (start === undefined) return undefined;
  const end = sla.end === null ? undefined : momentOf(view, sla.end);
  return { sla, start, end, elapsed: (end ?? view.now) - start, limitMs: thresholdMs(sla.threshold) };
}

/** The SLAs of an object, in definitions order. */
const slasOf = perDefinitionsAndObject((definitions, object) =>
  definitions.slas.filter((sla) => sla.object === object),
);

export function momentOf(view: StagedRecord, moment: SlaMoment): number | undefined {
  switch (moment.kind) {
    case 'stage_entered':
      return view.entered.get(moment.stage);
    case 'current_stage_entered':
      return view.entered.get(view.stage);
    case 'next_stage_entered': {
      let earliest: number | undefined;
      for (const stage of view.order.later(moment.after)) {
        const at = view.entered.get(stage);
        if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
      }
      return earliest;
    }
    case 'property':
      return parseInstant(view.record.properties[moment.property]);
  }
}

function breach(view: StagedRecord, clock: SlaTiming): Finding {
  const { sla, start, end, elapsed } = clock;
  const limitText = `${sla.threshold.value} ${sla.threshold.unit}`;
  const started = `${describe(view, sla.start)} (${formatDay(start)})`;
  const what =
    end !== undefined && sla.end !== null
      ? `${describe(view, sla.end)} (${formatDay(end)}) came ${duration(elapsed)} after ${started}; the limit is ${limitText}.`
      : `${duration(elapsed)} since ${started}${sla.end === null ? '' : ` and ${pending(view, sla.end)}`}; the limit is ${limitText}. Act on it now.`;
  return makeFinding(view.record, view.definitions, 'sla_breached', {
    code: `sla_breached:${sla.id}`,
    proposedFix: `${sla.label} SLA breached on ${recordName(view.record)}: ${what}`,
    facts: {
      sla: sla.id,
      start: formatInstant(start),
      end: end === undefined ? null : formatInstant(end),
      now: formatInstant(view.now),
      elapsedHours: Math.floor(elapsed / HOUR_MS),
      threshold: limitText,
      stage: view.stage,
    },
  });
}

function describe(view: StagedRecord, moment: SlaMoment): string {
  switch (moment.kind) {
    case 'stage_entered':
      return `entering ${stageLabel(view, moment.stage)}`;
    case 'current_stage_entered':
      return `entering ${stageLabel(view, view.stage)}`;
    case 'next_stage_entered':
      return `moving on from ${stageLabel(view, moment.after)}`;
    case 'property':
      return `\`${moment.property}\``;
  }
}

/** What has not happened yet, for an SLA whose end is still open. */
function pending(view: StagedRecord, moment: SlaMoment): string {
  switch (moment.kind) {
    case 'stage_entered':
      return `it has not entered ${stageLabel(view, moment.stage)}`;
    case 'current_stage_entered':
      return `it has not entered ${stageLabel(view, view.stage)}`;
    case 'next_stage_entered':
      return `it has not moved on from ${stageLabel(view, moment.after)}`;
    case 'property':
      return `\`${moment.property}\` is empty`;
  }
}

/** Hours while they read naturally, days beyond. */
function duration(ms: number): string {
  return ms < 72 * HOUR_MS ? `${Math.floor(ms / HOUR_MS)} h` : `${Math.floor(ms / DAY_MS)} days`;
}
