import type { StageIntegrityCheck } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import { makeFinding, type RuleResult } from '../rule-result.ts';
import { recordName, stageLabel, type StagedRecord } from '../staged-record.ts';
import { formatDay, formatInstant } from '../values.ts';

/**
 * Section 4's stage integrity, the checks `stageIntegrity.checks` enables, together one scored check
 * (it passes when none finds a `stage_gap`):
 *
 * - `skipped`: every stage earlier than the current one was entered (`sal` is earlier than `sql`, not
 *   than `mql`, so it is expected only from `sql` on): one `stage_gap:skipped:<stage>` per stage not entered;
 * - `backward`: oldest first, over the history values that map to a stage, no value maps to a stage
 *   earlier than the one before it; values of one stage, and stages the order does not rank
 *   (closed_won ↔ closed_lost), are no move: one `stage_gap:backward:<from>><to>` per distinct pair;
 * - `out_of_order`: no entered stage was entered before its nearest earlier entered stage(s) in the
 *   order (so closed_lost is compared with discovery only): `stage_gap:out_of_order:<stage>`.
 */
export function stageIntegrityResult(view: StagedRecord): RuleResult {
  const checks = view.definitions.stageIntegrity.checks;
  if (checks.length === 0) return { findings: [], applicable: 0, passed: 0 };
  const findings: Finding[] = [];
  for (const check of checks) for (const finding of CHECKS[check](view)) findings.push(finding);
  return { findings, applicable: 1, passed: findings.length === 0 ? 1 : 0 };
}

const CHECKS: Record<StageIntegrityCheck, (view: StagedRecord) => Finding[]> = {
  skipped: skippedStages,
  backward: backwardMoves,
  out_of_order: outOfOrder,
};

export function skippedStages(view: StagedRecord): Finding[] {
  const findings: Finding[] = [];
  for (const stage of view.order.earlier(view.stage))
    if (!view.entered.has(stage)) findings.push(skippedFinding(view, stage));
  return findings;
}

function skippedFinding(view: StagedRecord, stage: string): Finding {
  const own = view.lifecycle.stages.find((s) => s.id === stage)?.enteredAtProperty;
  const how =
    own === undefined
      ? `correct its stage, or its history if it did pass ${stageLabel(view, stage)}`
      : `set \`${own}\` to when it did, or correct its stage`;
  return makeFinding(view.record, view.definitions, 'stage_gap', {
    code: `stage_gap:skipped:${stage}`,
    proposedFix: `${capitalise(recordName(view.record))} is at ${stageLabel(view, view.stage)} but never entered ${stageLabel(view, stage)}: ${how}.`,
    facts: { check: 'skipped', stage, currentStage: view.stage },
  });
}

export function backwardMoves(view: StagedRecord): Finding[] {
  const moves = new Map<string, { from: string; to: string; at: number }>();
  let previous: string | undefined;
  for (const step of view.steps) {
    if (step.stage === undefined) continue;
    if (previous !== undefined && view.order.isEarlier(step.stage, previous)) {
      const code = `stage_gap:backward:${previous}>${step.stage}`;
      if (!moves.has(code)) moves.set(code, { from: previous, to: step.stage, at: step.at });
    }
    previous = step.stage;
  }
  if (moves.size === 0) return [];
  return [...moves].map(([code, { from, to, at }]) =>
    makeFinding(view.record, view.definitions, 'stage_gap', {
      code,
      proposedFix: `${capitalise(recordName(view.record))} moved back from ${stageLabel(view, from)} to ${stageLabel(view, to)} on ${formatDay(at)}: confirm the move was meant, or restore its stage.`,
      facts: { check: 'backward', from, to, at: formatInstant(at) },
    }),
  );
}

export function outOfOrder(view: StagedRecord): Finding[] {
  const { order, entered } = view;
  const findings: Finding[] = [];
  // The stages in listed order (order.ids is the lifecycle's list), each against those before it.
  for (const stage of order.ids) {
    const at = entered.get(stage);
    // Most records entered their stages in order: only a stage entered before one of its earlier
    // stages is worth finding the nearest earlier ones for.
    if (at === undefined || !enteredAfter(view, order.earlier(stage), at)) continue;
    const earlier = order.earlier(stage).filter((other) => entered.has(other));
    // The nearest: earlier entered stages with no other earlier entered stage between them and this one.
    const nearest = earlier.filter((p) => !earlier.some((q) => order.isEarlier(p, q)));
    const before = nearest.find((p) => at < entered.get(p)!);
    if (before !== undefined) findings.push(outOfOrderFinding(view, stage, at, before));
  }
  return findings;
}

/** Whether one of `stages` was entered after `at`. */
function enteredAfter(view: StagedRecord, stages: readonly string[], at: number): boolean {
  for (const stage of stages) {
    const stageAt = view.entered.get(stage);
    if (stageAt !== undefined && at < stageAt) return true;
  }
  return false;
}

function outOfOrderFinding(view: StagedRecord, stage: string, at: number, before: string): Finding {
  const beforeAt = view.entered.get(before)!;
  return makeFinding(view.record, view.definitions, 'stage_gap', {
    code: `stage_gap:out_of_order:${stage}`,
    proposedFix: `${capitalise(recordName(view.record))} entered ${stageLabel(view, stage)} on ${formatDay(at)}, before ${stageLabel(view, before)} on ${formatDay(beforeAt)}: correct the stage dates.`,
    facts: {
      check: 'out_of_order',
      stage,
      enteredAt: formatInstant(at),
      earlierStage: before,
      earlierEnteredAt: formatInstant(beforeAt),
    },
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
