import type { AdminSummary } from '../../lib/contracts/admin-summary.ts';

/**
 * A `POST /admin/summary` answer shaped exactly as server/admin/settings-summary-contract.ts says
 * (tests/unit/cards/extension-fixtures.test.ts checks it against that schema): a full sync done, the
 * last incremental one failed, a digest still delivering its tasks, the policy at version 4.
 */
export function adminSummaryData(): AdminSummary {
  return {
    generatedAt: '2026-11-07T16:20:00.000Z',
    sync: {
      running: false,
      lastFull: {
        kind: 'full',
        status: 'succeeded',
        startedAt: '2026-10-30T09:00:00.000Z',
        finishedAt: '2026-10-30T09:42:00.000Z',
        records: 48_210,
        errors: 0,
        errorMessage: null,
      },
      lastIncremental: {
        kind: 'incremental',
        status: 'failed',
        startedAt: '2026-11-07T16:00:00.000Z',
        finishedAt: '2026-11-07T16:01:00.000Z',
        records: 12,
        errors: 3,
        errorMessage: 'HubSpot answered 502 three times',
      },
      lastSucceededAt: { full: '2026-10-30T09:42:00.000Z', incremental: '2026-11-07T15:46:00.000Z' },
    },
    loops: [
      {
        loop: 'incremental_sync',
        label: 'Incremental sync',
        schedule: 'Every 15 minutes',
        lastRunAt: '2026-11-07T16:01:00.000Z',
        status: 'failed',
        period: null,
        detail: 'HubSpot answered 502 three times',
      },
      {
        loop: 'hygiene_evaluation',
        label: 'Hygiene evaluation',
        schedule: 'Daily at 03:15 UTC',
        lastRunAt: '2026-11-07T03:16:00.000Z',
        status: 'succeeded',
        period: null,
        detail: 'Every record evaluated; changed records are evaluated as they change in between.',
      },
      {
        loop: 'weekly_digest',
        label: 'Weekly digest',
        schedule: 'Mondays at 07:00 UTC',
        lastRunAt: '2026-11-02T07:00:00.000Z',
        status: 'running',
        period: '2026-W45',
        detail: '3 tasks created, 1 still to deliver.',
      },
      {
        loop: 'monthly_snapshot',
        label: 'Monthly KPI snapshot',
        schedule: 'The 1st of each month at 04:00 UTC',
        lastRunAt: '2026-11-01T04:00:00.000Z',
        status: 'succeeded',
        period: '2026-11',
        detail: null,
      },
      {
        loop: 'quarterly_review',
        label: 'Quarterly definitions review',
        schedule: 'The first day of each quarter at 08:00 UTC',
        lastRunAt: null,
        status: null,
        period: null,
        detail: null,
      },
    ],
    openFindings: 137,
    policy: {
      version: 4,
      changedBy: 'ana@example.com',
      changedAt: '2026-10-02T09:30:00.000Z',
      reason: 'Deal stall SLA to 21 days',
      stages: { contact: 6, deal: 5, ticket: 4 },
      requiredFields: 14,
      picklists: 6,
      slas: 4,
      attribution: { defaultModel: { id: 'linear', label: 'Linear' }, enabledModels: 3, models: 9 },
    },
  };
}
