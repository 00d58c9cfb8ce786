import type { Checklist, ChecklistRequirement } from '../../policy/index.ts';
import type { Finding } from '../finding.ts';
import type { ChecklistItemDone } from '../input.ts';
import { perStage } from '../per-definitions.ts';
import { makeFinding, type RuleResult } from '../rule-result.ts';
import { appliesAt, recordName, type StagedRecord } from '../staged-record.ts';
import { requiredBecause } from './field-rows.ts';

/**
 * Section 2's checklist rows over section 5's checklists: from the row's stage on, every item of the
 * checklist must be done, else `checklist_incomplete`. Each applicable row is one scored check; the
 * code names no checklist, so should several rows fail, one finding lists them all.
 */
export function checklistResult(view: StagedRecord): RuleResult {
  const rows = checklistRowsAt(view);
  if (rows.length === 0) return { findings: [], applicable: 0, passed: 0 };
  const failing: Failing[] = [];
  for (const { row, checklist } of rows) {
    if (checklist === undefined) continue;
    const progress = checklistProgress(checklist, view.record.checklistItems);
    if (progress.missing.length > 0) failing.push({ row, checklist, progress });
  }
  const findings: Finding[] = failing.length === 0 ? [] : [incompleteFinding(view, failing)];
  return { findings, applicable: rows.length, passed: rows.length - failing.length };
}

/**
 * The checklist rows of the record's object that apply at its stage, in definitions order, each with
 * its checklist (if it exists).
 */
const checklistRowsAt = perStage((view) =>
  view.definitions.requiredFields
    .filter(
      (row): row is ChecklistRequirement => 'checklist' in row && row.object === view.object && appliesAt(view, row),
    )
    .map((row) => ({
      row,
      checklist: view.definitions.checklists.find((candidate) => candidate.id === row.checklist),
    })),
);

export type ChecklistProgress = { done: string[]; missing: string[] };

/** Which items of a checklist are done; done items the checklist no longer lists are ignored. */
export function checklistProgress(
  checklist: Checklist,
  items: readonly ChecklistItemDone[] | undefined,
): ChecklistProgress {
  const done = new Set((items ?? []).filter((item) => item.checklist === checklist.id).map((item) => item.item));
  return {
    done: checklist.items.filter((item) => done.has(item.id)).map((item) => item.id),
    missing: checklist.items.filter((item) => !done.has(item.id)).map((item) => item.id),
  };
}

type Failing = { row: ChecklistRequirement; checklist: Checklist; progress: ChecklistProgress };

function incompleteFinding(view: StagedRecord, failing: readonly Failing[]): Finding {
  const parts = failing.map(({ row, checklist, progress }) => {
    const labels = checklist.items.filter((item) => progress.missing.includes(item.id)).map((item) => item.label);
    return `the ${checklist.label} on ${recordName(view.record)}: ${labels.length} of ${checklist.items.length} items not done (${labels.join('; ')}) — ${requiredBecause(view, row)}`;
  });
  return makeFinding(view.record, view.definitions, 'checklist_incomplete', {
    code: 'checklist_incomplete',
    proposedFix: `Complete ${parts.join('. Complete ')}.`,
    facts: {
      checklists: failing.map((f) => f.checklist.id),
      missingItems: failing.flatMap((f) => f.progress.missing),
      doneItems: failing.flatMap((f) => f.progress.done),
      stage: view.stage,
    },
  });
}
