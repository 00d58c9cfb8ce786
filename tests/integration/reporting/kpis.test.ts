import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributePendingChanges } from '../../../server/attribution/attribute-changes.ts';
import { attributePortal } from '../../../server/attribution/attribute-portal.ts';
import type { Queryable } from '../../../server/db/pool.ts';
import { ensureFirstDefinitions } from '../../../server/db/repositories/definitions.ts';
import { openFindingCodesOf } from '../../../server/db/repositories/findings.ts';
import { touchTrackability } from '../../../server/db/repositories/reporting.ts';
import { slaOutcomes, stagedRecord } from '../../../server/domain/hygiene/index.ts';
import { kpis, type EvaluatedForKpis, type Kpis } from '../../../server/domain/metrics/index.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import type { CrmObject, Definitions } from '../../../server/domain/policy/index.ts';
import { evaluatePendingChanges } from '../../../server/hygiene/evaluate-changes.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { loadRecords, nextRecordIds } from '../../../server/hygiene/load-records.ts';
import { refreshReporting } from '../../../server/reporting/refresh-reporting.ts';
import { kpisReport } from '../../../server/reporting/reports/kpis.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

/**
 * The KPI report reads the reporting model (per-record scope and SLA clocks, counted in SQL) instead of
 * the mirror; its figures must be those of the domain's `kpis()` over every record of the mirror, as
 * the report computed them before (the reference below is that computation), at any instant and after
 * incremental refreshes.
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const portalId = fixture.portalId;
const now = new Date(fixture.now);
const DAY_MS = 86_400_000;

/** The reference: every live record loaded and staged, its open finding codes, `kpis()` over them. */
async function kpisFromMirror(db: Queryable, definitions: Definitions, at: Date): Promise<Kpis> {
  const evaluated: EvaluatedForKpis[] = [];
  for (const object of ['contact', 'company', 'deal', 'ticket'] as CrmObject[]) {
    const rule = definitions.duplicates.find((d) => d.object === object);
    for (let afterId = 0; ;) {
      const ids = await nextRecordIds(db, portalId, object, afterId, 1_000);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      const codes = await openFindingCodesOf(db, portalId, object, ids);
      for (const record of await loadRecords(db, portalId, object, ids)) {
        const staged = stagedRecord(record, definitions, at.getTime());
        evaluated.push({
          objectType: object,
          inScope: staged !== undefined,
          codes: codes.get(Number(record.id)) ?? [],
          duplicateKeyed: rule !== undefined && (record.properties[rule.property] ?? '').trim() !== '',
          slas: staged ? slaOutcomes(staged) : [],
          ownerId: record.ownerId,
        });
      }
    }
  }
  return kpis(
    evaluated,
    await touchTrackability(db, portalId),
    definitions.slas.map((sla) => sla.id),
  );
}

beforeAll(async () => {
  await seedMirror(db.pool, fixture);
  await ensureFirstDefinitions(db.pool, portalId, DEFAULT_DEFINITIONS);
  await evaluatePortalHygiene(db.pool, portalId, { now });
  await attributePortal(db.pool, portalId, { now });
  await refreshReporting(db.pool, portalId, { now });
});

describe('the maturity KPIs from the reporting model', () => {
  it('equal the computation over the whole mirror, at any instant after the refresh', async () => {
    const seen = new Set<string>();
    for (const days of [0, 3, 15, 45, 120]) {
      const at = new Date(now.getTime() + days * DAY_MS);
      const expected = await kpisFromMirror(db.pool, DEFAULT_DEFINITIONS, at);
      expect(await kpisReport(db.pool, portalId, DEFAULT_DEFINITIONS, at), `${days} days on`).toEqual(expected);
      seen.add(JSON.stringify(expected.slaCompliance));
    }
    // The clocks do move the figures, so the comparison above covered SLA compliance changing.
    expect(seen.size).toBeGreaterThan(1);
    const at = await kpisReport(db.pool, portalId, DEFAULT_DEFINITIONS, now);
    expect(Object.keys(at.completeness)).toEqual(['company', 'contact', 'deal', 'ticket']);
    expect(Object.values(at.findingsByCode).reduce((n, v) => n + v, 0)).toBeGreaterThan(0);
    expect(at.duplicateRate).toBeGreaterThan(0);
    expect(Object.values(at.slaCompliance).some((v) => v !== null)).toBe(true);
  });

  it('stay equal after changes and an incremental refresh', async () => {
    const patch = (table: string, id: number, properties: Record<string, string | null>) =>
      // The table name is one of the literals below.
      db.pool.query(`UPDATE ${table} SET properties = properties || $3::jsonb WHERE portal_id = $1 AND id = $2`, [
        portalId,
        id,
        JSON.stringify(properties),
      ]);
    const contacts = (
      await db.pool.query<{ id: number; email: string | null }>(
        `SELECT id, properties ->> 'email' AS email FROM contacts WHERE portal_id = $1 AND NOT archived ORDER BY id`,
        [portalId],
      )
    ).rows;
    await patch('contacts', contacts[0]!.id, { email: contacts[1]!.email }); // a new duplicate
    await patch('contacts', contacts[2]!.id, { email: null, hubspot_owner_id: '502' });
    await patch('deals', 1057, { amount: null, dealstage: 'presentationscheduled' });
    await patch('tickets', 1149, { hs_pipeline_stage: 'onboarding', hs_v2_date_entered_in_delivery: null });
    await db.pool.query(`UPDATE companies SET archived = true WHERE portal_id = $1 AND id = 1001`, [portalId]);
    await db.pool.query(
      `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, contact_id) VALUES ($1, 'kpi-1', $2, 'events', $3)`,
      [portalId, now, contacts[3]!.id],
    );
    await evaluatePendingChanges(db.pool, portalId, { now });
    await attributePendingChanges(db.pool, portalId, { now });
    expect((await refreshReporting(db.pool, portalId, { now })).kind).toBe('incremental');
    for (const days of [0, 20]) {
      const at = new Date(now.getTime() + days * DAY_MS);
      expect(await kpisReport(db.pool, portalId, DEFAULT_DEFINITIONS, at)).toEqual(
        await kpisFromMirror(db.pool, DEFAULT_DEFINITIONS, at),
      );
    }
  });
});
