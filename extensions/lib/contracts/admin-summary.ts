import { array, boolean, integer, nullable, object, oneOf, string, type Decoded } from '../decode.ts';

/**
 * `POST /admin/summary` (server/admin/README.md, "The settings component's summary";
 * server/admin/settings-summary-contract.ts): the account's sync status, the last run of each loop,
 * the open findings and the policy in brief, for an admin of an installed portal. Refusals are the
 * entry link's: `code` `not_found` (not installed) or `forbidden` (not an admin).
 */
export const ADMIN_SUMMARY_PATH = '/admin/summary';

const count = integer(0);
const runStatus = oneOf(['running', 'succeeded', 'failed']);

export const syncRunBrief = object({
  kind: oneOf(['full', 'incremental']),
  status: runStatus,
  startedAt: string,
  finishedAt: nullable(string),
  records: count,
  errors: count,
  errorMessage: nullable(string),
});
export type SyncRunBrief = Decoded<typeof syncRunBrief>;

export const loopBrief = object({
  loop: oneOf(['incremental_sync', 'hygiene_evaluation', 'weekly_digest', 'monthly_snapshot', 'quarterly_review']),
  label: string,
  schedule: string,
  lastRunAt: nullable(string),
  status: nullable(runStatus),
  period: nullable(string),
  detail: nullable(string),
});
export type LoopBrief = Decoded<typeof loopBrief>;

export const policyBrief = object({
  version: integer(1),
  changedBy: string,
  changedAt: string,
  reason: string,
  stages: object({ contact: count, deal: count, ticket: count }),
  requiredFields: count,
  picklists: count,
  slas: count,
  attribution: object({
    defaultModel: object({ id: string, label: string }),
    enabledModels: count,
    models: count,
  }),
});
export type PolicyBrief = Decoded<typeof policyBrief>;

export const adminSummary = object({
  generatedAt: string,
  sync: object({
    running: boolean,
    lastFull: nullable(syncRunBrief),
    lastIncremental: nullable(syncRunBrief),
    lastSucceededAt: object({ full: nullable(string), incremental: nullable(string) }),
  }),
  loops: array(loopBrief),
  openFindings: count,
  policy: policyBrief,
});
export type AdminSummary = Decoded<typeof adminSummary>;
