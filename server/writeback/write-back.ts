import { createHash } from 'node:crypto';
import type { Client } from '@hubspot/api-client';
import type pg from 'pg';
import { listComputedProperties } from '../db/repositories/computed-properties.ts';
import { findPortal } from '../db/repositories/portals.ts';
import { ledgerKey, loadLedger, recordAccepted, type LedgerEntry } from '../db/repositories/writeback-ledger.ts';
import type { PortalHubSpotClient } from '../hubspot/portal-client.ts';

export const BATCH_SIZE = 100;

export type WriteBackReport = {
  calls: number;
  records: Record<string, number>;
  properties: number;
  failed: { objectType: string; objectId: number; message: string }[];
};

type Pending = { objectType: string; objectId: number; properties: Record<string, string> };

/**
 * Writes the computed section-8 values that differ from what the app last got HubSpot to accept (the
 * ledger): per object type, batch updates of at most 100 records. Each input carries an
 * `objectWriteTraceId`, so HubSpot writes the valid inputs of a batch and reports the failing ones
 * (207) instead of refusing the whole batch; failures are reported per record and stay out of the
 * ledger, so the next run tries them again. An empty value is never written (policy section 8), and
 * nothing at all is written for a portal that is not installed.
 */
export async function writeBack(db: pg.Pool, client: PortalHubSpotClient, portalId: number): Promise<WriteBackReport> {
  const report: WriteBackReport = { calls: 0, records: {}, properties: 0, failed: [] };
  if ((await findPortal(db, portalId))?.status !== 'installed') return report;
  const ledger = await loadLedger(db, portalId);
  const pending: Pending[] = [];
  for (const row of await listComputedProperties(db, portalId)) {
    const changed = Object.fromEntries(
      Object.entries(row.properties).filter(
        ([property, value]) =>
          value !== '' && ledger.get(ledgerKey(row.objectType, row.objectId, property)) !== hashValue(value),
      ),
    );
    if (Object.keys(changed).length > 0)
      pending.push({ objectType: row.objectType, objectId: row.objectId, properties: changed });
  }
  for (const objectType of [...new Set(pending.map((p) => p.objectType))].sort()) {
    const ofType = pending.filter((p) => p.objectType === objectType);
    for (let start = 0; start < ofType.length; start += BATCH_SIZE) {
      const batch = ofType.slice(start, start + BATCH_SIZE);
      const failed = await updateBatch(client, objectType, batch);
      report.calls++;
      const accepted = batch.filter((p) => !failed.has(p.objectId));
      await recordAccepted(db, portalId, accepted.flatMap(ledgerEntries));
      report.records[objectType] = (report.records[objectType] ?? 0) + accepted.length;
      report.properties += accepted.reduce((sum, p) => sum + Object.keys(p.properties).length, 0);
      for (const [objectId, message] of failed) report.failed.push({ objectType, objectId, message });
    }
  }
  return report;
}

/** One batch update; returns the records HubSpot refused, with its message for each. */
async function updateBatch(
  client: PortalHubSpotClient,
  objectType: string,
  batch: Pending[],
): Promise<Map<number, string>> {
  const inputs = batch.map((p) => ({
    id: String(p.objectId),
    properties: p.properties,
    objectWriteTraceId: String(p.objectId),
  }));
  const response = await client.call((sdk) => batchApiOf(sdk, objectType).update({ inputs }), { idempotent: true });
  const failed = new Map<number, string>();
  for (const error of 'errors' in response ? (response.errors ?? []) : []) {
    const ids = [...(error.context?.ids ?? []), ...(error.context?.objectWriteTraceId ?? [])];
    for (const id of ids) failed.set(Number(id), error.message);
  }
  return failed;
}

function batchApiOf(sdk: Client, objectType: string) {
  switch (objectType) {
    case 'contacts':
      return sdk.crm.contacts.batchApi;
    case 'companies':
      return sdk.crm.companies.batchApi;
    case 'deals':
      return sdk.crm.deals.batchApi;
    case 'tickets':
      return sdk.crm.tickets.batchApi;
    default:
      throw new Error(`no write-back for object type ${objectType}`);
  }
}

function ledgerEntries(p: Pending): LedgerEntry[] {
  return Object.entries(p.properties).map(([property, value]) => ({
    objectType: p.objectType,
    objectId: p.objectId,
    property,
    valueHash: hashValue(value),
  }));
}

export function hashValue(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 22);
}
