import { z } from 'zod';
import { DecisionSubject } from './decision.ts';
import { DAY_MS } from './periods.ts';

/**
 * The weekly hygiene digest: the issue log's open findings by record owner and by age, SLA compliance,
 * and what changed in the seven days before it was built, plus the items it raises (what the decision
 * log's Action Rate measures against). Pure: the issue log comes in aggregated, the clock as `now`.
 */

/** Findings first seen at least this many whole days ago are "old": their owners get a task. */
export const OLD_FINDING_DAYS = 7;
/** The window "what changed since last week" covers. */
export const DIGEST_WINDOW_DAYS = 7;

export const AgeBucket = z.enum(['under_7_days', '7_to_29_days', '30_to_89_days', '90_days_or_more']);
export type AgeBucket = z.output<typeof AgeBucket>;

/** Age buckets in whole days since a finding was first seen, from each lower bound (inclusive). */
export const AGE_BUCKETS: readonly { bucket: AgeBucket; fromDays: number }[] = [
  { bucket: 'under_7_days', fromDays: 0 },
  { bucket: '7_to_29_days', fromDays: OLD_FINDING_DAYS },
  { bucket: '30_to_89_days', fromDays: 30 },
  { bucket: '90_days_or_more', fromDays: 90 },
];

export function ageBucketOf(ageDays: number): AgeBucket {
  let found: AgeBucket = 'under_7_days';
  for (const b of AGE_BUCKETS) if (ageDays >= b.fromDays) found = b.bucket;
  return found;
}

const Count = z.number().int().nonnegative();
const ByAge = z.strictObject({
  under_7_days: Count,
  '7_to_29_days': Count,
  '30_to_89_days': Count,
  '90_days_or_more': Count,
});
export type ByAge = z.output<typeof ByAge>;
const emptyByAge = (): ByAge => ({ under_7_days: 0, '7_to_29_days': 0, '30_to_89_days': 0, '90_days_or_more': 0 });

/** The digest as stored (`digests.body`) and shown on the admin page. */
export const WeeklyDigest = z.strictObject({
  week: z.string(),
  generatedAt: z.iso.datetime(),
  /** Start of the "what changed" window; it ends at `generatedAt`. */
  since: z.iso.datetime(),
  definitionsVersion: z.number().int().positive(),
  openFindings: Count,
  byAge: ByAge,
  /** Per record owner (HubSpot owner id; null for records without one), most open findings first. */
  byOwner: z.array(
    z.strictObject({
      ownerId: z.string().nullable(),
      ownerEmail: z.string().nullable(),
      open: Count,
      byAge: ByAge,
    }),
  ),
  /** Open findings per code, most first. */
  byCode: z.array(z.strictObject({ code: z.string(), open: Count })),
  /** Per SLA id: the share of records whose clock started that are not breached (the KPI). */
  slaCompliance: z.record(z.string(), z.number().nullable()),
  changes: z.strictObject({ opened: Count, resolved: Count }),
  /** What this digest asks the team to act on: codes with open findings, SLAs with a breach. */
  items: z.array(DecisionSubject),
});
export type WeeklyDigest = z.output<typeof WeeklyDigest>;

/** The issue log's open findings, counted by record owner, code, severity and age in whole days. */
export type OpenFindingGroup = {
  ownerId: string | null;
  ownerEmail: string | null;
  code: string;
  severity: 'error' | 'warning' | 'info';
  ageDays: number;
  findings: number;
};

export function weeklyDigest(input: {
  week: string;
  now: Date;
  definitionsVersion: number;
  open: readonly OpenFindingGroup[];
  changes: { opened: number; resolved: number };
  slaCompliance: Readonly<Record<string, number | null>>;
}): WeeklyDigest {
  const byAge = emptyByAge();
  const owners = new Map<string, { ownerId: string | null; ownerEmail: string | null; open: number; byAge: ByAge }>();
  const codes = new Map<string, number>();
  let openFindings = 0;
  for (const g of input.open) {
    const bucket = ageBucketOf(g.ageDays);
    openFindings += g.findings;
    byAge[bucket] += g.findings;
    const key = g.ownerId ?? '';
    const owner = owners.get(key) ?? { ownerId: g.ownerId, ownerEmail: g.ownerEmail, open: 0, byAge: emptyByAge() };
    owner.open += g.findings;
    owner.byAge[bucket] += g.findings;
    owner.ownerEmail ??= g.ownerEmail;
    owners.set(key, owner);
    codes.set(g.code, (codes.get(g.code) ?? 0) + g.findings);
  }
  const byCode = [...codes]
    .map(([code, open]) => ({ code, open }))
    .sort((a, b) => b.open - a.open || (a.code < b.code ? -1 : 1));
  const breachedSlas = Object.entries(input.slaCompliance)
    .filter(([, share]) => share !== null && share < 1)
    .map(([sla]) => sla)
    .sort();
  return {
    week: input.week,
    generatedAt: input.now.toISOString(),
    since: new Date(input.now.getTime() - DIGEST_WINDOW_DAYS * DAY_MS).toISOString(),
    definitionsVersion: input.definitionsVersion,
    openFindings,
    byAge,
    byOwner: [...owners.values()].sort(
      (a, b) => b.open - a.open || (a.ownerId ?? '\uffff').localeCompare(b.ownerId ?? '\uffff'),
    ),
    byCode,
    slaCompliance: { ...input.slaCompliance },
    changes: { ...input.changes },
    items: [
      ...byCode.map(({ code }) => ({ kind: 'finding' as const, key: code })),
      ...breachedSlas.map((sla) => ({ kind: 'metric' as const, key: slaMetricKey(sla) })),
    ],
  };
}

/** The decision-log subject key of an SLA's compliance KPI. */
export const slaMetricKey = (sla: string): string => `sla_compliance:${sla}`;
