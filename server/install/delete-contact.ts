import type { Queryable } from '../db/pool.ts';

/**
 * A GDPR deletion of one contact (HubSpot's `contact.privacyDeletion`): the contact's rows and the data
 * derived from it go at once, in one transaction, by the `delete_contact_data` SQL function
 * (migration 0003), with an audit row that keeps only ids and counts.
 */
export async function deleteContactData(
  db: Queryable,
  portalId: number,
  contactId: number,
  reason: string,
): Promise<Record<string, number>> {
  const { rows } = await db.query<{ counts: Record<string, number> }>(
    `SELECT delete_contact_data($1, $2, $3) AS counts`,
    [portalId, contactId, reason],
  );
  return rows[0]?.counts ?? {};
}
