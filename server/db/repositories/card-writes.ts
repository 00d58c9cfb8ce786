import type { Queryable } from '../pool.ts';

export type CardWriteAction = 'fill_field' | 'checklist_item' | 'change_request_reason' | 'accept_lead';

/** One change a person made from a card, as accepted. */
export type CardWriteRecord = {
  objectType: string;
  objectId: number;
  action: CardWriteAction;
  property: string | null;
  oldValue: string | null;
  newValue: string | null;
  userId: number;
  userEmail: string | null;
  writtenAt: Date;
};

export async function recordCardWrite(db: Queryable, portalId: number, write: CardWriteRecord): Promise<void> {
  await db.query(
    `INSERT INTO card_writes (portal_id, object_type, object_id, action, property, old_value, new_value, user_id, user_email, written_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      portalId,
      write.objectType,
      write.objectId,
      write.action,
      write.property,
      write.oldValue,
      write.newValue,
      write.userId,
      write.userEmail,
      write.writtenAt,
    ],
  );
}

/** A record's card writes, oldest first. */
export async function listCardWrites(
  db: Queryable,
  portalId: number,
  objectType: string,
  objectId: number,
): Promise<CardWriteRecord[]> {
  const { rows } = await db.query<CardWriteRecord>(
    `SELECT object_type AS "objectType", object_id AS "objectId", action, property, old_value AS "oldValue",
            new_value AS "newValue", user_id AS "userId", user_email AS "userEmail", written_at AS "writtenAt"
       FROM card_writes WHERE portal_id = $1 AND object_type = $2 AND object_id = $3 ORDER BY id`,
    [portalId, objectType, objectId],
  );
  return rows;
}

// One statement per table (table names can't be parameters). HubSpot's answer to a write is newer
// than anything a sync page in flight could bring, so the record's time only moves forward.
const MERGE: Record<'contacts' | 'companies' | 'deals' | 'tickets', string> = {
  contacts: `UPDATE contacts SET properties = properties || $3::jsonb, updated_at = greatest(updated_at, $4)
              WHERE portal_id = $1 AND id = $2`,
  companies: `UPDATE companies SET properties = properties || $3::jsonb, updated_at = greatest(updated_at, $4)
               WHERE portal_id = $1 AND id = $2`,
  deals: `UPDATE deals SET properties = properties || $3::jsonb, updated_at = greatest(updated_at, $4)
           WHERE portal_id = $1 AND id = $2`,
  tickets: `UPDATE tickets SET properties = properties || $3::jsonb, updated_at = greatest(updated_at, $4)
             WHERE portal_id = $1 AND id = $2`,
};

/** Puts the values HubSpot answered a write with into the mirror's copy of the record. */
export async function mergeMirrorProperties(
  db: Queryable,
  portalId: number,
  table: keyof typeof MERGE,
  objectId: number,
  properties: Record<string, string | null>,
  updatedAt: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(MERGE[table], [portalId, objectId, JSON.stringify(properties), updatedAt]);
  return (rowCount ?? 0) > 0;
}
