import type { Queryable } from '../pool.ts';
import type { MirrorTable } from './mirror-objects.ts';
import type { PortalStatus } from './portals.ts';

/**
 * The reads behind the CRM cards: each is one statement for one record, so a card's answer costs one
 * or two indexed round trips whatever the portal's size.
 */

/** One record of the mirror with what the hygiene engine reads about it, as the card reads it. */
export type CardSnapshot = {
  status: PortalStatus;
  /** The portal's latest definitions version (null: none stored). */
  definitionsVersion: number | null;
  /** null: not in this portal's mirror. */
  record: { properties: Record<string, string | null>; createdAt: string; updatedAt: string; archived: boolean } | null;
  /** The record's stage-property history (stage_events). */
  history: { property: string; value: string; occurredAt: string; sourceType: string | null }[];
  /** Records associated in either direction of the stored pairs; deals with their properties. */
  associations: { type: string; id: number; properties: Record<string, string | null> | null }[];
  checklist: { checklist: string; item: string; doneByUserId: number; doneByEmail: string | null; doneAt: string }[];
  /** Contacts only: the contact's first touch, its `newest` latest ones (newest first) and how many it has. */
  touches: { count: number; first: TouchRecord | null; recent: TouchRecord[] } | null;
  /** Tickets only: the computed values of the ticket's deals (attribution's lead channel among them). */
  dealValues: { id: number; source: string; properties: Record<string, string> }[] | null;
};

export type TouchRecord = {
  id: string;
  source: 'hubspot_event' | 'ingest' | 'derived';
  occurredAt: string;
  channel: string;
  trackable: boolean;
  campaignId: string | null;
};

/**
 * The portal's install status, its latest definitions version and the record with its history,
 * associations and checklist (and a contact's touches, a ticket's deals' computed values), in one
 * round trip: a card answer's cost is dominated by round trips, not by these indexed lookups.
 * Undefined when the portal is unknown.
 */
export async function cardSnapshot(
  db: Queryable,
  portalId: number,
  objectType: MirrorTable,
  objectId: number,
  newestTouches: number,
): Promise<CardSnapshot | undefined> {
  // Named, so each connection plans it once: planning this statement costs more than running it.
  const { rows } = await db.query<CardSnapshot>({
    name: 'card-snapshot',
    text: `SELECT p.status,
            (SELECT max(version) FROM definitions_versions d WHERE d.portal_id = $1) AS "definitionsVersion",
            (SELECT json_build_object('properties', r.properties, 'createdAt', r.created_at,
                                      'updatedAt', r.updated_at, 'archived', r.archived)
               FROM crm_records r WHERE r.portal_id = $1 AND r.object_type = $2 AND r.id = $3) AS record,
            (SELECT coalesce(json_agg(json_build_object('property', s.property, 'value', s.value,
                                                        'occurredAt', s.occurred_at, 'sourceType', s.source_type)), '[]')
               FROM stage_events s WHERE s.portal_id = $1 AND s.object_type = $2 AND s.object_id = $3) AS history,
            (SELECT coalesce(json_agg(json_build_object('type', a.other_type, 'id', a.other_id, 'properties', d.properties)), '[]')
               FROM (SELECT to_type AS other_type, to_id AS other_id FROM associations
                      WHERE portal_id = $1 AND from_type = $2 AND from_id = $3
                     UNION ALL
                     SELECT from_type, from_id FROM associations
                      WHERE portal_id = $1 AND to_type = $2 AND to_id = $3) a
               LEFT JOIN deals d ON a.other_type = 'deals' AND d.portal_id = $1 AND d.id = a.other_id) AS associations,
            (SELECT coalesce(json_agg(json_build_object('checklist', c.checklist, 'item', c.item,
                                                        'doneByUserId', c.done_by_user_id, 'doneByEmail', c.done_by_email,
                                                        'doneAt', c.done_at) ORDER BY c.checklist, c.item), '[]')
               FROM checklist_items c WHERE c.portal_id = $1 AND c.object_type = $2 AND c.object_id = $3) AS checklist,
            CASE WHEN $2 = 'contacts' THEN json_build_object(
              'count', (SELECT count(*) FROM touches t WHERE t.portal_id = $1 AND t.contact_id = $3),
              'first', (SELECT json_build_object('id', t.id, 'source', t.source, 'occurredAt', t.occurred_at,
                                                 'channel', t.channel, 'trackable', t.trackable, 'campaignId', t.campaign_id)
                          FROM touches t WHERE t.portal_id = $1 AND t.contact_id = $3
                         ORDER BY t.occurred_at, t.id LIMIT 1),
              'recent', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'source', t.source, 'occurredAt', t.occurred_at,
                                                                    'channel', t.channel, 'trackable', t.trackable,
                                                                    'campaignId', t.campaign_id)
                                                  ORDER BY t.occurred_at DESC, t.id DESC), '[]')
                           FROM (SELECT * FROM touches WHERE portal_id = $1 AND contact_id = $3
                                  ORDER BY occurred_at DESC, id DESC LIMIT $4) t)) END AS touches,
            CASE WHEN $2 = 'tickets' THEN (
              SELECT coalesce(json_agg(json_build_object('id', v.object_id, 'source', v.source, 'properties', v.properties)), '[]')
                FROM computed_properties v
               WHERE v.portal_id = $1 AND v.object_type = 'deals'
                 AND v.object_id IN (SELECT to_id FROM associations
                                      WHERE portal_id = $1 AND from_type = $2 AND from_id = $3 AND to_type = 'deals'
                                     UNION ALL
                                     SELECT from_id FROM associations
                                      WHERE portal_id = $1 AND to_type = $2 AND to_id = $3 AND from_type = 'deals')) END AS "dealValues"
       FROM portals p WHERE p.portal_id = $1`,
    values: [portalId, objectType, objectId, newestTouches],
  });
  return rows[0];
}

export type DealCreditRow = {
  touchId: string | null;
  channel: string;
  campaignId: string | null;
  cents: number;
  computedAt: Date;
  contactId: number | null;
  occurredAt: Date | null;
  trackable: boolean | null;
  source: 'hubspot_event' | 'ingest' | 'derived' | null;
  offerId: string | null;
  contentId: string | null;
};

/** One deal's stored credit rows for a model and kind, each with the touch it credits (none for unattributed). */
export async function dealCredits(
  db: Queryable,
  portalId: number,
  dealId: number,
  model: string,
  kind: 'pipeline' | 'revenue',
): Promise<DealCreditRow[]> {
  const { rows } = await db.query<DealCreditRow>({
    name: 'card-deal-credits',
    text: `SELECT NULLIF(c.touch_id, '') AS "touchId", c.channel, c.campaign_id AS "campaignId", c.cents,
            c.computed_at AS "computedAt", t.contact_id AS "contactId", t.occurred_at AS "occurredAt",
            t.trackable, t.source, t.offer_id AS "offerId", t.content_id AS "contentId"
       FROM attribution_credits c
       LEFT JOIN touches t ON t.portal_id = c.portal_id AND t.id = c.touch_id
      WHERE c.portal_id = $1 AND c.deal_id = $2 AND c.model = $3 AND c.kind = $4
      ORDER BY t.occurred_at NULLS LAST, c.touch_id`,
    values: [portalId, dealId, model, kind],
  });
  return rows;
}

/**
 * Records of a type whose value of `property`, lower-cased and trimmed of spaces, is one of `keys`:
 * the candidates a duplicate rule can group with a record (the rule's own normalisation then decides).
 */
export async function duplicateCandidates(
  db: Queryable,
  portalId: number,
  objectType: string,
  property: string,
  keys: readonly string[],
  limit: number,
): Promise<{ id: string; value: string | null }[]> {
  const { rows } = await db.query<{ id: string; value: string | null }>({
    name: 'card-duplicate-candidates',
    text: `SELECT r.id::text AS id, r.properties ->> $3 AS value FROM crm_records r
      WHERE r.portal_id = $1 AND r.object_type = $2 AND NOT r.archived
        AND lower(btrim(r.properties ->> $3)) = ANY($4::text[])
      ORDER BY r.id LIMIT $5`,
    values: [portalId, objectType, property, keys, limit],
  });
  return rows;
}

/** What the write-back ledger holds for one record: property → hash of the value HubSpot accepted. */
export async function ledgerOfRecord(
  db: Queryable,
  portalId: number,
  objectType: string,
  objectId: number,
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ property: string; valueHash: string }>(
    `SELECT property, value_hash AS "valueHash" FROM writeback_ledger
      WHERE portal_id = $1 AND object_type = $2 AND object_id = $3`,
    [portalId, objectType, objectId],
  );
  return new Map(rows.map((r) => [r.property, r.valueHash]));
}
