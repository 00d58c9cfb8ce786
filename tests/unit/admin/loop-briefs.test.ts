import { describe, expect, it } from 'vitest';
import { loopBriefs, type LoopRecords } from '../../../server/admin/loop-briefs.ts';
import { scheduleText } from '../../../server/admin/schedule-text.ts';

const NONE: LoopRecords = {
  lastIncremental: undefined,
  hygiene: undefined,
  digest: undefined,
  snapshot: undefined,
  review: undefined,
};

const byLoop = (records: LoopRecords) => Object.fromEntries(loopBriefs(records).map((b) => [b.loop, b]));

describe('the loops’ last runs', () => {
  it('lists every loop in the order it turns, with the schedule it really has, even before any run', () => {
    expect(loopBriefs(NONE)).toEqual(
      [
        { loop: 'incremental_sync', label: 'Incremental sync', schedule: 'Every 15 minutes' },
        { loop: 'hygiene_evaluation', label: 'Hygiene evaluation', schedule: 'Daily at 03:15 UTC' },
        { loop: 'weekly_digest', label: 'Weekly digest', schedule: 'Mondays at 07:00 UTC' },
        { loop: 'monthly_snapshot', label: 'Monthly KPI snapshot', schedule: 'The 1st of each month at 04:00 UTC' },
        {
          loop: 'quarterly_review',
          label: 'Quarterly definitions review',
          schedule: 'The first day of each quarter at 08:00 UTC',
        },
      ].map((loop) => ({ ...loop, lastRunAt: null, status: null, period: null, detail: null })),
    );
  });

  it('takes the incremental sync’s status, its end (or start while running) and its error', () => {
    const run = {
      kind: 'incremental' as const,
      startedAt: '2026-11-01T10:00:00.000Z',
      records: 1,
      errors: 0,
      errorMessage: null,
    };
    expect(
      byLoop({ ...NONE, lastIncremental: { ...run, status: 'running', finishedAt: null } }).incremental_sync,
    ).toMatchObject({ lastRunAt: '2026-11-01T10:00:00.000Z', status: 'running', detail: '1 record' });
    expect(
      byLoop({
        ...NONE,
        lastIncremental: {
          ...run,
          status: 'failed',
          finishedAt: '2026-11-01T10:02:00.000Z',
          errors: 3,
          errorMessage: 'HubSpot answered 502',
        },
      }).incremental_sync,
    ).toMatchObject({ lastRunAt: '2026-11-01T10:02:00.000Z', status: 'failed', detail: 'HubSpot answered 502' });
  });

  it('calls a digest running while tasks wait, failed once HubSpot refused one, succeeded when all are created', () => {
    const digest = (...statuses: ('pending' | 'sending' | 'created' | 'failed')[]) =>
      byLoop({
        ...NONE,
        digest: {
          week: '2026-W45',
          generatedAt: new Date('2026-11-02T07:00:00.000Z'),
          tasks: statuses.map((status) => ({ status })),
        },
      }).weekly_digest;
    expect(digest('created', 'pending', 'sending')).toMatchObject({
      lastRunAt: '2026-11-02T07:00:00.000Z',
      period: '2026-W45',
      status: 'running',
      detail: '1 task created, 2 still to deliver.',
    });
    expect(digest('created', 'failed')).toMatchObject({
      status: 'failed',
      detail: '1 task created, 1 refused by HubSpot.',
    });
    expect(digest('created', 'created')).toMatchObject({ status: 'succeeded', detail: '2 tasks created.' });
    expect(digest()).toMatchObject({ status: 'succeeded', detail: 'No tasks to deliver this week.' });
  });

  it('dates the evaluation by the last whole-portal pass, or by changed records before there was one', () => {
    const changedOnly = byLoop({
      ...NONE,
      hygiene: { fullPassAt: undefined, lastEvaluatedAt: new Date('2026-11-02T09:41:10.000Z') },
    });
    expect(changedOnly.hygiene_evaluation).toMatchObject({
      lastRunAt: '2026-11-02T09:41:10.000Z',
      status: 'succeeded',
      detail: 'No whole-portal pass yet: changed records evaluated as they change.',
    });
  });

  it('dates the evaluation, the snapshot and the review by their records, with their periods', () => {
    const loops = byLoop({
      ...NONE,
      hygiene: {
        fullPassAt: new Date('2026-11-02T03:15:00.000Z'),
        lastEvaluatedAt: new Date('2026-11-02T09:41:10.000Z'),
      },
      snapshot: { month: '2026-11', takenAt: new Date('2026-11-01T04:00:00.000Z') },
      review: {
        sourceKey: 'definitions-review:2026-Q4',
        createdAt: new Date('2026-10-01T08:00:00.000Z'),
        dueOn: '2026-10-15',
        status: 'done',
      },
    });
    expect(loops.hygiene_evaluation).toMatchObject({
      lastRunAt: '2026-11-02T03:15:00.000Z',
      status: 'succeeded',
      detail: 'Every record evaluated; changed records are evaluated as they change in between.',
    });
    expect(loops.monthly_snapshot).toMatchObject({
      lastRunAt: '2026-11-01T04:00:00.000Z',
      status: 'succeeded',
      period: '2026-11',
    });
    expect(loops.quarterly_review).toMatchObject({
      lastRunAt: '2026-10-01T08:00:00.000Z',
      period: '2026-Q4',
      detail: 'Review action done, due 2026-10-15.',
    });
  });
});

describe('a schedule in words', () => {
  it('reads intervals and the cron shapes the loops use', () => {
    expect(scheduleText({ everyMs: 60_000 })).toBe('Every minute');
    expect(scheduleText({ everyMs: 2 * 3_600_000 })).toBe('Every 2 hours');
    expect(scheduleText({ everyMs: 90_000 })).toBe('Every 90 seconds');
    expect(scheduleText({ cron: '5 23 * * *' })).toBe('Daily at 23:05 UTC');
    expect(scheduleText({ cron: '0 6 * * 5' })).toBe('Fridays at 06:00 UTC');
  });

  it('shows any other pattern as it is', () => {
    expect(scheduleText({ cron: '*/5 * * * *' })).toBe('Cron */5 * * * * (UTC)');
    expect(scheduleText({ cron: '0 4 15 * *' })).toBe('Cron 0 4 15 * * (UTC)');
    expect(scheduleText({ cron: '0 99 * * *' })).toBe('Cron 0 99 * * * (UTC)');
  });
});
