import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { associatedIds } from '../db/repositories/associated-ids.ts';
import { computedPropertiesOf } from '../db/repositories/computed-properties.ts';
import {
  clearReporting,
  clocksCrossing,
  companiesOfDealContacts,
  deleteReportRowsOf,
  insertReportRows,
  lockReportingRefresh,
  markReportingRefreshed,
  startReportingMarks,
  takePendingRecords,
  touchTrackability,
  type PendingRecord,
  type ReportRows,
} from '../db/repositories/reporting.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import { stagedRecord } from '../domain/hygiene/index.ts';
import { deliveryOutcomeOf, recordScopeOf, reportRecordOf, stageEntriesOf } from '../domain/metrics/index.ts';
import { slaClocksOf } from '../domain/metrics/sla-clocks.ts';
import type { CrmObject, Definitions } from '../domain/policy/index.ts';
import { CRM_OBJECT_OF, HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { loadRecords, nextRecordIds } from '../hygiene/load-records.ts';

const OBJECTS: readonly CrmObject[] = ['contact', 'company', 'deal', 'ticket'];
// Section 8's channel a record is reported under: the lead channel of deals and tickets, the first
// touch of contacts.
const CHANNEL_PROPERTY: Partial<Record<CrmObject, string>> = {
  contact: 'clr_first_touch_channel',
  deal: 'clr_lead_channel',
  ticket: 'clr_lead_channel',
};

export type RefreshSummary = {
  kind: 'full' | 'incremental';
  /** Why the whole portal was read (full only). */
  reason?: 'asked' | 'first' | 'definitions' | 'model';
  /** Records in scope in the model afterwards. */
  records: number;
  /** Records derived again (full: every live record). */
  rederived: number;
};

/**
 * Brings a portal's reporting model (migrations 0013 and 0015) up to date with the mirror and the last
 * attribution, in one transaction so a report never reads half a refresh; concurrent refreshes of a
 * portal wait for each other.
 *
 * Incremental by default: only the records marked in `report_pending` since the last refresh (every
 * mirror change the change log saw, every change of attribution's stored channels) are derived again,
 * with the deals of the changed contacts (a deal without a company of its own takes its contacts'),
 * and the records whose SLA clock crossed the time between the two refreshes (a ticket's stored breach
 * flag changes with the clock alone). The cost follows the change, not the portal.
 *
 * Full — every live record read in id order — on the first refresh, when the definitions changed since
 * the last one (scope, stages and SLAs are theirs), when the model predates migration 0015, or when
 * asked (`full: true`). A full refresh and an incremental one over the same data leave the same rows
 * (tests/integration/reporting/incremental-refresh.test.ts).
 */
export async function refreshReporting(
  db: pg.Pool,
  portalId: number,
  options: { now: Date; batchSize?: number; full?: boolean },
): Promise<RefreshSummary> {
  const batchSize = options.batchSize ?? 1_000;
  // Committed before anything is read: the writes from here on are marked for the next refresh, so a
  // first (full) refresh that reads a record before a sync changes it never leaves that change behind.
  await startReportingMarks(db, portalId);
  return withTransaction(db, async (tx) => {
    const previous = await lockReportingRefresh(tx, portalId);
    const current = await currentDefinitions(tx, portalId);
    const reason = options.full
      ? 'asked'
      : previous === undefined
        ? 'first'
        : previous.definitionsVersion !== current.version
          ? 'definitions'
          : previous.fullRefreshedAt === null
            ? 'model'
            : undefined;
    let summary: RefreshSummary;
    if (reason !== undefined || previous === undefined) {
      await clearReporting(tx, portalId);
      let records = 0;
      let rederived = 0;
      for (const object of OBJECTS) {
        for (let afterId = 0; ;) {
          const ids = await nextRecordIds(tx, portalId, object, afterId, batchSize);
          if (ids.length === 0) break;
          afterId = ids.at(-1)!;
          const rows = await deriveRows(tx, portalId, object, ids, current.definitions, options.now);
          await insertReportRows(tx, portalId, rows);
          records += rows.records.length;
          rederived += rows.scope.length;
        }
      }
      summary = { kind: 'full', reason: reason ?? 'first', records, rederived };
    } else {
      // The marks are taken before the records are read: a change committed after this point is
      // either read below or marked again for the next refresh.
      const pending = await takePendingRecords(tx, portalId);
      const crossing = await clocksCrossing(tx, portalId, previous.refreshedAt, options.now);
      // A deal's customer can be the company of one of its contacts: a changed contact (its company
      // association, say) re-derives its deals too.
      const contacts = pending.filter((p) => p.objectType === 'contacts').map((p) => p.objectId);
      const dealsOfContacts = (await associatedIds(tx, portalId, 'contacts', contacts, 'deals')).map((id) => ({
        objectType: 'deals',
        objectId: id,
      }));
      let records = previous.records;
      let rederived = 0;
      for (const [table, ids] of byTable([...pending, ...crossing, ...dealsOfContacts])) {
        const object = CRM_OBJECT_OF[table as keyof typeof CRM_OBJECT_OF];
        if (object === undefined) continue;
        for (let i = 0; i < ids.length; i += batchSize) {
          const batch = ids.slice(i, i + batchSize);
          records -= await deleteReportRowsOf(tx, portalId, table, batch);
          const rows = await deriveRows(tx, portalId, object, batch, current.definitions, options.now);
          await insertReportRows(tx, portalId, rows);
          records += rows.records.length;
          rederived += batch.length;
        }
      }
      summary = { kind: 'incremental', records, rederived };
    }
    await markReportingRefreshed(tx, portalId, {
      refreshedAt: options.now,
      definitionsVersion: current.version,
      records: summary.records,
      kind: summary.kind,
      fullRefreshedAt: summary.kind === 'full' ? options.now : (previous?.fullRefreshedAt ?? null),
      rederived: summary.rederived,
      // Counted here, once per refresh, so the trackable-touch KPI costs a page load nothing.
      touches: await touchTrackability(tx, portalId),
    });
    return summary;
  });
}

/** Everything the model holds of some live records of one type (gone or archived ones yield nothing). */
async function deriveRows(
  tx: Queryable,
  portalId: number,
  object: CrmObject,
  ids: number[],
  definitions: Definitions,
  now: Date,
): Promise<ReportRows> {
  const table = HUBSPOT_OBJECT_TYPE[object];
  const channelProperty = CHANNEL_PROPERTY[object];
  const channels =
    channelProperty === undefined ? new Map() : await computedPropertiesOf(tx, portalId, 'attribution', table, ids);
  const contactCompanies = object === 'deal' ? await companiesOfDealContacts(tx, portalId, ids) : new Map();
  const rows: ReportRows = { records: [], entries: [], delivery: [], scope: [], clocks: [] };
  for (const record of await loadRecords(tx, portalId, object, ids)) {
    const view = stagedRecord(record, definitions, now.getTime());
    const objectId = Number(record.id);
    rows.scope.push({ objectType: table, objectId, ...recordScopeOf(record, object, definitions, view) });
    if (view === undefined) continue;
    const channel = channelProperty === undefined ? undefined : channels.get(objectId)?.[channelProperty];
    const row = reportRecordOf(view, channel, contactCompanies.get(objectId));
    rows.records.push({
      objectType: table,
      objectId,
      ...row,
      createdAt: new Date(row.createdAt),
      closedAt: row.closedAt === null ? null : new Date(row.closedAt),
      companyId: row.companyId === null ? null : Number(row.companyId),
    });
    for (const entry of stageEntriesOf(view))
      rows.entries.push({ objectType: table, objectId, ...entry, enteredAt: new Date(entry.enteredAt) });
    for (const clock of slaClocksOf(view)) {
      rows.clocks.push({
        objectType: table,
        objectId,
        sla: clock.sla,
        startedAt: new Date(clock.startedAt),
        breachAt: clock.breachAt === null || clock.breachAt === -Infinity ? clock.breachAt : new Date(clock.breachAt),
      });
    }
    if (object === 'ticket') {
      const outcome = deliveryOutcomeOf(view, channel);
      rows.delivery.push({
        ticketId: objectId,
        ...outcome,
        dealId: outcome.dealId === null ? null : Number(outcome.dealId),
      });
    }
  }
  return rows;
}

/** Distinct record ids per mirror table, ascending (the order a full refresh reads them in). */
function byTable(records: readonly PendingRecord[]): Map<string, number[]> {
  const tables = new Map<string, Set<number>>();
  for (const r of records) {
    const ids = tables.get(r.objectType) ?? new Set<number>();
    ids.add(r.objectId);
    tables.set(r.objectType, ids);
  }
  return new Map([...tables].map(([table, ids]) => [table, [...ids].sort((a, b) => a - b)]));
}
