import { z } from 'zod';

/**
 * `POST /admin/summary`: what the HubSpot settings component shows an admin (server/admin/README.md,
 * "The settings component's summary"). The request is the entry link's (`AdminLinkRequest`: the ids
 * HubSpot gave the component); this is the answer's `data`, checked before it is sent. The component
 * restates it as decoders (extensions/lib/contracts/admin-summary.ts) and tests/unit/cards/
 * extension-fixtures.test.ts checks its sample answer against this schema.
 *
 * Times are ISO-8601 strings; counts are whole numbers.
 */
const Instant = z.iso.datetime();
const Count = z.number().int().min(0);

export const SyncRunStatus = z.enum(['running', 'succeeded', 'failed']);

/** One sync run as the component shows it. */
export const SyncRunBrief = z.strictObject({
  kind: z.enum(['full', 'incremental']),
  status: SyncRunStatus,
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  /** Records committed so far (grows while the run is running). */
  records: Count,
  /** HubSpot calls that failed, counted when each attempt of the run ended. */
  errors: Count,
  errorMessage: z.string().nullable(),
});
export type SyncRunBrief = z.output<typeof SyncRunBrief>;

export const SyncBrief = z.strictObject({
  /** A full or incremental run is running now (a crashed run stays "running" until it is resumed). */
  running: z.boolean(),
  lastFull: SyncRunBrief.nullable(),
  lastIncremental: SyncRunBrief.nullable(),
  /** When the last run of each kind that succeeded finished: how current the mirror is. */
  lastSucceededAt: z.strictObject({ full: Instant.nullable(), incremental: Instant.nullable() }),
});
export type SyncBrief = z.output<typeof SyncBrief>;

export const LoopId = z.enum([
  'incremental_sync',
  'hygiene_evaluation',
  'weekly_digest',
  'monthly_snapshot',
  'quarterly_review',
]);
export type LoopId = z.output<typeof LoopId>;

/** The last run of one recurring loop, from the loop's own records (server/admin/loop-briefs.ts). */
export const LoopBrief = z.strictObject({
  loop: LoopId,
  label: z.string().min(1),
  /** When it is scheduled, in words (server/loops/cadence.ts). */
  schedule: z.string().min(1),
  /** null: it has not run yet for this portal. */
  lastRunAt: Instant.nullable(),
  status: SyncRunStatus.nullable(),
  /** The period the run was for (`2026-W07`, `2026-02`, `2026-Q1`), when the loop is keyed by one. */
  period: z.string().nullable(),
  /** One line on what the run did or why it failed. */
  detail: z.string().nullable(),
});
export type LoopBrief = z.output<typeof LoopBrief>;

/** The current definitions in brief (server/admin/policy-brief.ts). */
export const PolicyBrief = z.strictObject({
  version: z.number().int().min(1),
  changedBy: z.string(),
  changedAt: Instant,
  reason: z.string(),
  /** Closed-loop stages per staged object. */
  stages: z.strictObject({ contact: Count, deal: Count, ticket: Count }),
  requiredFields: Count,
  picklists: Count,
  slas: Count,
  attribution: z.strictObject({
    /** The model reports and dashboards use unless one is chosen: the first enabled one. */
    defaultModel: z.strictObject({ id: z.string(), label: z.string() }),
    enabledModels: Count,
    models: Count,
  }),
});
export type PolicyBrief = z.output<typeof PolicyBrief>;

export const SettingsSummary = z.strictObject({
  generatedAt: Instant,
  sync: SyncBrief,
  loops: z.array(LoopBrief),
  /** Findings of the issue log not resolved. */
  openFindings: Count,
  policy: PolicyBrief,
});
export type SettingsSummary = z.output<typeof SettingsSummary>;
