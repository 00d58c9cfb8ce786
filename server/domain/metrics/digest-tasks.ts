import type { CrmObject } from '../policy/index.ts';
import { DAY_MS } from './periods.ts';
import { OLD_FINDING_DAYS, type OpenFindingGroup } from './weekly-digest.ts';

/**
 * Who gets a HubSpot task from the weekly digest, and what it holds. One task per record owner per
 * week, never one per finding: a portal routinely has hundreds of open findings per owner, and as many
 * tasks would bury the owner's task queue and notifications (and spend the portal's API budget) for
 * work that is one sitting of clean-up; the issue log keeps the full list. The task names the old
 * findings by code and links the records with the oldest ones.
 */

/**
 * Records linked to a task at most. HubSpot accepts far more associations, but each one puts the task
 * on that record's timeline, and a to-do with dozens of linked records is no longer readable; the oldest
 * findings are the ones to start with, the body says how many more there are.
 */
export const MAX_TASK_RECORDS = 20;
/** The task is due this many days after the digest (Monday's digest: by Friday). */
export const TASK_DUE_DAYS = 4;

/** A record with findings first seen at least OLD_FINDING_DAYS ago, as the issue log has it. */
export type OldFindingRecord = {
  ownerId: string;
  objectType: CrmObject;
  objectId: number;
  codes: readonly string[];
  firstSeenAt: number;
};

/** An owner of the portal as HubSpot lists it; only active owners can be assigned a task. */
export type Assignee = { ownerId: string; email: string | null; active: boolean };

export type DigestTaskPlan = {
  ownerId: string;
  ownerEmail: string | null;
  /** Old findings on the owner's records. */
  findings: number;
  byCode: { code: string; findings: number }[];
  /** The records with the oldest findings, oldest first, at most MAX_TASK_RECORDS. */
  records: { objectType: CrmObject; objectId: number; codes: readonly string[]; ageDays: number }[];
  /** HIGH when any old finding is an error. */
  priority: 'HIGH' | 'MEDIUM';
  dueAt: number;
};

export function digestTaskPlans(input: {
  now: Date;
  open: readonly OpenFindingGroup[];
  records: readonly OldFindingRecord[];
  owners: readonly Assignee[];
}): DigestTaskPlan[] {
  const assignable = new Map(input.owners.filter((o) => o.active).map((o) => [o.ownerId, o]));
  const plans = new Map<string, DigestTaskPlan & { codes: Map<string, number> }>();
  for (const g of input.open) {
    // Records without an owner, or whose owner left, have nobody to assign a task to.
    if (g.ageDays < OLD_FINDING_DAYS || g.ownerId === null || !assignable.has(g.ownerId)) continue;
    const plan = plans.get(g.ownerId) ?? {
      ownerId: g.ownerId,
      ownerEmail: assignable.get(g.ownerId)!.email,
      findings: 0,
      byCode: [],
      records: [],
      priority: 'MEDIUM' as const,
      dueAt: input.now.getTime() + TASK_DUE_DAYS * DAY_MS,
      codes: new Map<string, number>(),
    };
    plan.findings += g.findings;
    plan.codes.set(g.code, (plan.codes.get(g.code) ?? 0) + g.findings);
    if (g.severity === 'error') plan.priority = 'HIGH';
    plans.set(g.ownerId, plan);
  }
  const oldest = [...input.records].sort((a, b) => a.firstSeenAt - b.firstSeenAt || a.objectId - b.objectId);
  for (const r of oldest) {
    const plan = plans.get(r.ownerId);
    if (!plan || plan.records.length >= MAX_TASK_RECORDS) continue;
    plan.records.push({
      objectType: r.objectType,
      objectId: r.objectId,
      codes: [...r.codes].sort(),
      ageDays: Math.floor((input.now.getTime() - r.firstSeenAt) / DAY_MS),
    });
  }
  return [...plans.values()]
    .sort((a, b) => (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0))
    .map(({ codes, ...plan }) => ({
      ...plan,
      byCode: [...codes]
        .map(([code, findings]) => ({ code, findings }))
        .sort((a, b) => b.findings - a.findings || (a.code < b.code ? -1 : 1)),
    }));
}

/** The oldest `first seen` a finding may have to count as old at `now` (for the query that finds them). */
export const oldFindingCutoff = (now: Date): Date => new Date(now.getTime() - OLD_FINDING_DAYS * DAY_MS);
