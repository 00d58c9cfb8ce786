import type { Queryable } from '../pool.ts';

export type LedgerEntry = { objectType: string; objectId: number; property: string; valueHash: string };

/** What the app last got HubSpot to accept, as hashes: key `objectType:objectId:property`. */
export async function loadLedger(db: Queryable, portalId: number): Promise<Map<string, string>> {
  const { rows } = await db.query<LedgerEntry>(
    `SELECT object_type AS "objectType", object_id AS "objectId", property, value_hash AS "valueHash"
       FROM writeback_ledger WHERE portal_id = $1`,
    [portalId],
  );
  return new Map(rows.map((r) => [ledgerKey(r.objectType, r.objectId, r.property), r.valueHash]));
}

/** Records values HubSpot accepted; call only after it answered for them. */
export async function recordAccepted(db: Queryable, portalId: number, entries: LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO writeback_ledger (portal_id, object_type, object_id, property, value_hash)
     SELECT $1, e.object_type, e.object_id, e.property, e.value_hash
       FROM jsonb_to_recordset($2::jsonb) AS e(object_type text, object_id bigint, property text, value_hash text)
     ON CONFLICT (portal_id, object_type, object_id, property)
     DO UPDATE SET value_hash = EXCLUDED.value_hash, written_at = now()`,
    [
      portalId,
      JSON.stringify(
        entries.map((e) => ({
          object_type: e.objectType,
          object_id: e.objectId,
          property: e.property,
          value_hash: e.valueHash,
        })),
      ),
    ],
  );
}

export function ledgerKey(objectType: string, objectId: number, property: string): string {
  return `${objectType}:${objectId}:${property}`;
}
