import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { computedPropertiesOf } from '../db/repositories/computed-properties.ts';
import {
  clearReporting,
  insertReportRows,
  markReportingRefreshed,
  type DeliveryRow,
  type ReportRecordRow,
  type StageEntryRow,
} from '../db/repositories/reporting.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { stagedRecord } from '../domain/hygiene/index.ts';
import { deliveryOutcomeOf, reportRecordOf, stageEntriesOf } from '../domain/metrics/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { loadRecords, nextRecordIds } from '../hygiene/load-records.ts';

const OBJECTS: readonly CrmObject[] = ['contact', 'deal', 'ticket'];
// Section 8's channel a record is reported under: the lead channel of deals and tickets, the first
// touch of contacts.
const CHANNEL_PROPERTY: Partial<Record<CrmObject, string>> = {
  contact: 'clr_first_touch_channel',
  deal: 'clr_lead_channel',
  ticket: 'clr_lead_channel',
};

/**
 * Rebuilds a portal's reporting tables (migration 0014) from the mirror and the last attribution, in one
 * transaction so a report never reads half a rebuild; records stream through in batches. After each loop
 * (whole-portal hygiene and attribution, the daily run).
 */
export async function refreshReporting(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number },
): Promise<{ records: number }> {
  const batchSize = options.batchSize ?? 1_000;
  return withTransaction(db, async (tx) => {
    const current = await currentDefinitions(tx, portalId);
    await clearReporting(tx, portalId);
    let total = 0;
    for (const object of OBJECTS) {
      const table = HUBSPOT_OBJECT_TYPE[object];
      for (let afterId = 0; ;) {
        const ids = await nextRecordIds(tx, portalId, object, afterId, batchSize);
        if (ids.length === 0) break;
        afterId = ids.at(-1)!;
        const channels = await computedPropertiesOf(tx, portalId, 'attribution', table, ids);
        const records: ReportRecordRow[] = [];
        const entries: StageEntryRow[] = [];
        const delivery: DeliveryRow[] = [];
        for (const record of await loadRecords(tx, portalId, object, ids)) {
          const view = stagedRecord(record, current.definitions, options.now.getTime());
          if (view === undefined) continue;
          const objectId = Number(record.id);
          const channel = channels.get(objectId)?.[CHANNEL_PROPERTY[object] ?? ''];
          const row = reportRecordOf(view, channel);
          records.push({
            objectType: table,
            objectId,
            ...row,
            createdAt: new Date(row.createdAt),
            closedAt: row.closedAt === null ? null : new Date(row.closedAt),
          });
          for (const entry of stageEntriesOf(view))
            entries.push({ objectType: table, objectId, ...entry, enteredAt: new Date(entry.enteredAt) });
          if (object === 'ticket') {
            const outcome = deliveryOutcomeOf(view, channel);
            delivery.push({
              ticketId: objectId,
              ...outcome,
              dealId: outcome.dealId === null ? null : Number(outcome.dealId),
            });
          }
        }
        await insertReportRows(tx, portalId, { records, entries, delivery });
        total += records.length;
      }
    }
    await markReportingRefreshed(tx, portalId, {
      at: options.now,
      definitionsVersion: current.version,
      records: total,
    });
    return { records: total };
  });
}
