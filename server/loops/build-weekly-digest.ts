import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import {
  findDigest,
  findingChanges,
  insertDigest,
  oldFindingRecords,
  openFindingGroups,
} from '../db/repositories/digests.ts';
import { listOwners } from '../db/repositories/mirror-owners.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import {
  DAY_MS,
  DIGEST_WINDOW_DAYS,
  MAX_TASK_RECORDS,
  WeeklyDigest,
  digestTaskPlans,
  isoWeekOf,
  oldFindingCutoff,
  weeklyDigest,
} from '../domain/metrics/index.ts';
import { CrmObject } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { kpisReport } from '../reporting/reports/kpis.ts';
import { taskCreateRequest, taskSubject } from './task-request.ts';

export type BuiltDigest = { week: string; digest: WeeklyDigest; created: boolean; tasks: number };

/**
 * The week's digest of a portal, built once: if the ISO week of `now` has one, that one stands (a
 * retried or repeated run changes nothing). Otherwise it reads the issue log (open findings by owner,
 * code and age; what opened and resolved in the last seven days), the KPIs for SLA compliance, and the
 * owners, and stores the digest together with the task planned for each owner with old findings, in one
 * transaction: delivery then works only from those rows, so a retry sends exactly what was planned.
 */
export async function buildWeeklyDigest(db: pg.Pool, portalId: number, now: Date): Promise<BuiltDigest> {
  const week = isoWeekOf(now);
  const existing = await findDigest(db, portalId, week);
  if (existing) return { week, digest: WeeklyDigest.parse(existing.body), created: false, tasks: 0 };

  const current = await currentDefinitions(db, portalId);
  const kpis = await kpisReport(db, portalId, current.definitions, now);
  const open = await openFindingGroups(db, portalId, now, HUBSPOT_OBJECT_TYPE);
  const changes = await findingChanges(db, portalId, new Date(now.getTime() - DIGEST_WINDOW_DAYS * DAY_MS), now);
  const digest = weeklyDigest({
    week,
    now,
    definitionsVersion: current.version,
    open,
    changes,
    slaCompliance: kpis.slaCompliance,
  });
  const records = await oldFindingRecords(db, portalId, oldFindingCutoff(now), MAX_TASK_RECORDS, HUBSPOT_OBJECT_TYPE);
  const plans = digestTaskPlans({
    now,
    open,
    records: records.map((r) => ({
      ownerId: r.ownerId,
      objectType: CrmObject.parse(r.objectType),
      objectId: r.objectId,
      codes: r.codes,
      firstSeenAt: r.firstSeenAt.getTime(),
    })),
    owners: (await listOwners(db, portalId)).map((o) => ({ ownerId: o.id, email: o.email, active: !o.archived })),
  });
  const tasks = plans.map((plan) => ({
    ownerId: plan.ownerId,
    subject: taskSubject(week, plan),
    findings: plan.findings,
    request: taskCreateRequest(portalId, week, plan),
  }));
  const created = await withTransaction(db, (tx) =>
    insertDigest(tx, portalId, { week, generatedAt: now, definitionsVersion: current.version, body: digest }, tasks),
  );
  if (created) return { week, digest, created, tasks: tasks.length };
  // Another run stored the week's digest meanwhile: that one stands.
  const stored = await findDigest(db, portalId, week);
  return { week, digest: WeeklyDigest.parse(stored?.body), created: false, tasks: 0 };
}
