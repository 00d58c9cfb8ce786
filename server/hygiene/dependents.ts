import type { Queryable } from '../db/pool.ts';
import type { ChangedRecord } from '../db/repositories/record-changes.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { CRM_OBJECT_OF } from '../domain/policy/primitives.ts';

type Ref = { objectType: CrmObject; objectId: number };

/**
 * The changed records and the records whose evaluation reads them. A record's checks read its own
 * properties and history and the ids of what it is associated with (an association change marks both
 * ends already), and the properties of its associated deals (a ticket's contract-id match, a
 * contact's deal-stage checks): so a changed deal brings every record associated with it.
 */
export async function withDependents(
  db: Queryable,
  portalId: number,
  changed: readonly ChangedRecord[],
): Promise<Ref[]> {
  const refs = new Map<string, Ref>();
  const add = (table: string, objectId: number) => {
    const objectType = CRM_OBJECT_OF[table as keyof typeof CRM_OBJECT_OF];
    if (objectType) refs.set(`${table}:${objectId}`, { objectType, objectId });
  };
  for (const record of changed) add(record.objectType, record.objectId);
  const dealIds = changed.filter((r) => r.objectType === 'deals').map((r) => r.objectId);
  if (dealIds.length > 0) {
    const { rows } = await db.query<{ object_type: string; object_id: string }>(
      `SELECT from_type AS object_type, from_id AS object_id FROM associations
        WHERE portal_id = $1 AND to_type = 'deals' AND to_id = ANY($2::bigint[])
       UNION
       SELECT to_type, to_id FROM associations
        WHERE portal_id = $1 AND from_type = 'deals' AND from_id = ANY($2::bigint[])`,
      [portalId, dealIds],
    );
    for (const row of rows) add(row.object_type, Number(row.object_id));
  }
  return [...refs.values()];
}
