import { describe, expect, it } from 'vitest';
import {
  MAX_TASK_RECORDS,
  TASK_DUE_DAYS,
  WeeklyDigest,
  ageBucketOf,
  dateAfter,
  digestTaskPlans,
  isoWeekOf,
  monthOf,
  oldFindingCutoff,
  previousMonth,
  quarterOf,
  weeklyDigest,
  type OpenFindingGroup,
} from '../../../server/domain/metrics/index.ts';

const DAY = 86_400_000;
const now = new Date('2026-02-09T07:00:00Z'); // a Monday

const group = (g: Partial<OpenFindingGroup> & Pick<OpenFindingGroup, 'code' | 'ageDays' | 'findings'>) => ({
  ownerId: '501',
  ownerEmail: 'ana@example.com',
  severity: 'warning' as const,
  ...g,
});

describe('periods', () => {
  it('names ISO weeks, months and quarters in UTC', () => {
    expect(isoWeekOf(now)).toBe('2026-W07');
    // ISO weeks across a year end: 2026-12-31 is a Thursday of week 53, 2027-01-04 opens week 1.
    expect(isoWeekOf(new Date('2026-12-31T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-03T23:59:59Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    // 2025-12-29 (Monday) belongs to 2026's week 1.
    expect(isoWeekOf(new Date('2025-12-29T00:00:00Z'))).toBe('2026-W01');
    expect(monthOf(new Date('2026-02-28T23:59:59Z'))).toBe('2026-02');
    expect(quarterOf(new Date('2026-04-01T00:00:00Z'))).toBe('2026-Q2');
    expect(quarterOf(new Date('2026-03-31T23:59:59Z'))).toBe('2026-Q1');
    expect(previousMonth(new Date('2026-01-01T04:00:00Z'))).toEqual({
      from: new Date('2025-12-01T00:00:00Z'),
      to: new Date('2026-01-01T00:00:00Z'),
    });
    expect(dateAfter(new Date('2026-02-20T23:00:00Z'), 14)).toBe('2026-03-06');
  });

  it('buckets ages in whole days from each lower bound', () => {
    expect([0, 6, 7, 29, 30, 89, 90, 400].map(ageBucketOf)).toEqual([
      'under_7_days',
      'under_7_days',
      '7_to_29_days',
      '7_to_29_days',
      '30_to_89_days',
      '30_to_89_days',
      '90_days_or_more',
      '90_days_or_more',
    ]);
  });
});

describe('weeklyDigest', () => {
  it('counts open findings by owner, age and code, and raises codes and breached SLAs as items', () => {
    const digest = weeklyDigest({
      week: '2026-W07',
      now,
      definitionsVersion: 3,
      open: [
        group({ code: 'missing_field:amount', ageDays: 2, findings: 3 }),
        group({ code: 'missing_field:amount', ageDays: 12, findings: 2, severity: 'error' }),
        group({ ownerId: '502', ownerEmail: 'bo@example.com', code: 'duplicate:7', ageDays: 95, findings: 1 }),
        group({ ownerId: null, ownerEmail: null, code: 'stage_gap:skipped', ageDays: 40, findings: 4 }),
      ],
      changes: { opened: 5, resolved: 2 },
      slaCompliance: { mql_follow_up: 0.75, onboarding: 1, unused: null },
    });
    expect(WeeklyDigest.parse(digest)).toEqual(digest);
    expect(digest).toEqual({
      week: '2026-W07',
      generatedAt: '2026-02-09T07:00:00.000Z',
      since: '2026-02-02T07:00:00.000Z',
      definitionsVersion: 3,
      openFindings: 10,
      byAge: { under_7_days: 3, '7_to_29_days': 2, '30_to_89_days': 4, '90_days_or_more': 1 },
      byOwner: [
        {
          ownerId: '501',
          ownerEmail: 'ana@example.com',
          open: 5,
          byAge: { under_7_days: 3, '7_to_29_days': 2, '30_to_89_days': 0, '90_days_or_more': 0 },
        },
        {
          ownerId: null,
          ownerEmail: null,
          open: 4,
          byAge: { under_7_days: 0, '7_to_29_days': 0, '30_to_89_days': 4, '90_days_or_more': 0 },
        },
        {
          ownerId: '502',
          ownerEmail: 'bo@example.com',
          open: 1,
          byAge: { under_7_days: 0, '7_to_29_days': 0, '30_to_89_days': 0, '90_days_or_more': 1 },
        },
      ],
      byCode: [
        { code: 'missing_field:amount', open: 5 },
        { code: 'stage_gap:skipped', open: 4 },
        { code: 'duplicate:7', open: 1 },
      ],
      slaCompliance: { mql_follow_up: 0.75, onboarding: 1, unused: null },
      changes: { opened: 5, resolved: 2 },
      items: [
        { kind: 'finding', key: 'missing_field:amount' },
        { kind: 'finding', key: 'stage_gap:skipped' },
        { kind: 'finding', key: 'duplicate:7' },
        { kind: 'metric', key: 'sla_compliance:mql_follow_up' },
      ],
    });
  });
});

describe('digestTaskPlans', () => {
  const owners = [
    { ownerId: '501', email: 'ana@example.com', active: true },
    { ownerId: '502', email: 'bo@example.com', active: true },
    { ownerId: '503', email: 'gone@example.com', active: false },
  ];

  it('plans one task per active owner with findings a week old or more, linking the oldest records first', () => {
    const records = Array.from({ length: MAX_TASK_RECORDS + 5 }, (_, i) => ({
      ownerId: '501',
      objectType: 'deal' as const,
      objectId: 1000 + i,
      codes: ['missing_field:amount'],
      firstSeenAt: now.getTime() - (8 + i) * DAY,
    }));
    const plans = digestTaskPlans({
      now,
      open: [
        group({ code: 'missing_field:amount', ageDays: 8, findings: 25 }),
        group({ code: 'picklist:lead_source', ageDays: 3, findings: 9 }), // too young: no task for it
        group({ ownerId: '502', code: 'duplicate:7', ageDays: 30, findings: 1, severity: 'error' }),
        group({ ownerId: '502', code: 'missing_field:amount', ageDays: 6, findings: 4 }),
        group({ ownerId: '503', code: 'duplicate:8', ageDays: 30, findings: 2 }), // inactive owner
        group({ ownerId: null, code: 'duplicate:9', ageDays: 30, findings: 2 }), // nobody to assign
        group({ ownerId: '504', code: 'duplicate:9', ageDays: 30, findings: 2 }), // not an owner HubSpot lists
      ],
      records: [
        ...records,
        {
          ownerId: '502',
          objectType: 'contact',
          objectId: 7,
          codes: ['duplicate:7'],
          firstSeenAt: now.getTime() - 30 * DAY,
        },
        {
          ownerId: '503',
          objectType: 'contact',
          objectId: 8,
          codes: ['duplicate:8'],
          firstSeenAt: now.getTime() - 30 * DAY,
        },
      ],
      owners,
    });
    expect(plans.map((p) => p.ownerId)).toEqual(['501', '502']);
    const [ana, bo] = plans;
    expect(ana).toMatchObject({
      ownerEmail: 'ana@example.com',
      findings: 25,
      byCode: [{ code: 'missing_field:amount', findings: 25 }],
      priority: 'MEDIUM',
      dueAt: now.getTime() + TASK_DUE_DAYS * DAY,
    });
    expect(ana!.records).toHaveLength(MAX_TASK_RECORDS);
    // Oldest first: the record first seen 8 + 24 days ago leads.
    expect(ana!.records[0]).toEqual({
      objectType: 'deal',
      objectId: 1024,
      codes: ['missing_field:amount'],
      ageDays: 32,
    });
    expect(ana!.records.at(-1)!.objectId).toBe(1024 - MAX_TASK_RECORDS + 1);
    expect(bo).toMatchObject({
      findings: 1,
      priority: 'HIGH',
      records: [{ objectType: 'contact', objectId: 7, codes: ['duplicate:7'], ageDays: 30 }],
    });
  });

  it('uses the same threshold as the query that finds old records', () => {
    expect(oldFindingCutoff(now).toISOString()).toBe('2026-02-02T07:00:00.000Z');
    expect(
      digestTaskPlans({ now, open: [group({ code: 'x', ageDays: 6, findings: 3 })], records: [], owners }),
    ).toEqual([]);
  });
});
