import type { Queryable } from '../pool.ts';
import type { MirrorTable } from './mirror-objects.ts';
import type { PortalStatus } from './portals.ts';

/**
 * The reads behind the CRM cards. Each takes many records at once and is one statement of indexed
 * lookups, so a card's answer costs one or two round trips whatever the portal's size, shared with
 * the card requests that arrive at the same time (`server/cards/batched-reads.ts`).
 *
 * Instants come as `Date#toISOString` writes them (UTC, milliseconds: `2026-10-11T15:00:00.000Z`),
 * formatted by Postgres: the cards and the engine take them as they are, with no parse per value.
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
  /**
   * Contacts with a set email only: the contacts sharing it (`key`: the email lower-cased and trimmed
   * of spaces), as `duplicateCandidatesOf` would find them for the default policy's email rule, read
   * with the record because the email's index (0011) makes it cheap. Null otherwise.
   */
  emailPeers: { key: string; candidates: { id: string; value: string | null }[] } | null;
  /** The deal's credit rows of the key's model and kind, as `dealCreditsOf` reads them; null when not asked. */
  credits: DealCreditRow[] | null;
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
 * Which record a card reads: the portal the request names, the record's table and id; for a deal, the
 * model and kind of the credits to read with it (`dealCreditsOf`'s rows for that key).
 */
export type CardSnapshotKey = {
  portalId: number;
  objectType: MirrorTable;
  objectId: number;
  credits?: { model: string; kind: 'pipeline' | 'revenue' } | undefined;
};

/**
 * For each key: the portal's install status, its latest definitions version and the record with its
 * history, associations and checklist (and a contact's touches and email peers, a ticket's deals'
 * computed values, a deal's credits), all keys in one round trip. A card answer's cost is dominated by round trips and per-statement work,
 * not by these indexed lookups, so concurrent card requests share one statement (`server/cards/read-batcher.ts`).
 * Answers are in the order of `keys`; undefined where the portal is unknown.
 */
export async function cardSnapshots(
  db: Queryable,
  keys: readonly CardSnapshotKey[],
  options: { newestTouches: number; emailPeers: number },
): Promise<(CardSnapshot | undefined)[]> {
  // Named, so each connection plans it once: planning this statement costs more than running it.
  const { rows } = await db.query<CardSnapshot & { n: number }>({
    name: 'card-snapshots',
    text: `SELECT q.n::int AS n, p.status,
            (SELECT max(version) FROM definitions_versions d WHERE d.portal_id = q.portal_id) AS "definitionsVersion",
            (SELECT json_build_object('properties', r.properties, 'createdAt', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                      'updatedAt', to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'archived', r.archived)
               FROM crm_records r
              WHERE r.portal_id = q.portal_id AND r.object_type = q.object_type AND r.id = q.object_id) AS record,
            (SELECT coalesce(json_agg(json_build_object('property', s.property, 'value', s.value,
                                                        'occurredAt', to_char(s.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'sourceType', s.source_type)), '[]')
               FROM stage_events s
              WHERE s.portal_id = q.portal_id AND s.object_type = q.object_type AND s.object_id = q.object_id) AS history,
            (SELECT coalesce(json_agg(json_build_object('type', a.other_type, 'id', a.other_id, 'properties', d.properties)), '[]')
               FROM (SELECT to_type AS other_type, to_id AS other_id FROM associations
                      WHERE portal_id = q.portal_id AND from_type = q.object_type AND from_id = q.object_id
                     UNION ALL
                     SELECT from_type, from_id FROM associations
                      WHERE portal_id = q.portal_id AND to_type = q.object_type AND to_id = q.object_id) a
               LEFT JOIN deals d ON a.other_type = 'deals' AND d.portal_id = q.portal_id AND d.id = a.other_id) AS associations,
            (SELECT coalesce(json_agg(json_build_object('checklist', c.checklist, 'item', c.item,
                                                        'doneByUserId', c.done_by_user_id, 'doneByEmail', c.done_by_email,
                                                        'doneAt', to_char(c.done_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY c.checklist, c.item), '[]')
               FROM checklist_items c
              WHERE c.portal_id = q.portal_id AND c.object_type = q.object_type AND c.object_id = q.object_id) AS checklist,
            CASE WHEN q.object_type = 'contacts' THEN json_build_object(
              'count', (SELECT count(*) FROM touches t WHERE t.portal_id = q.portal_id AND t.contact_id = q.object_id),
              'first', (SELECT json_build_object('id', t.id, 'source', t.source, 'occurredAt', to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                 'channel', t.channel, 'trackable', t.trackable, 'campaignId', t.campaign_id)
                          FROM touches t WHERE t.portal_id = q.portal_id AND t.contact_id = q.object_id
                         ORDER BY t.occurred_at, t.id LIMIT 1),
              'recent', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'source', t.source, 'occurredAt', to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                                    'channel', t.channel, 'trackable', t.trackable,
                                                                    'campaignId', t.campaign_id)
                                                  ORDER BY t.occurred_at DESC, t.id DESC), '[]')
                           FROM (SELECT * FROM touches WHERE portal_id = q.portal_id AND contact_id = q.object_id
                                  ORDER BY occurred_at DESC, id DESC LIMIT $4) t)) END AS touches,
            CASE WHEN q.object_type = 'tickets' THEN (
              SELECT coalesce(json_agg(json_build_object('id', v.object_id, 'source', v.source, 'properties', v.properties)), '[]')
                FROM computed_properties v
               WHERE v.portal_id = q.portal_id AND v.object_type = 'deals'
                 AND v.object_id IN (SELECT to_id FROM associations
                                      WHERE portal_id = q.portal_id AND from_type = q.object_type AND from_id = q.object_id
                                        AND to_type = 'deals'
                                     UNION ALL
                                     SELECT from_id FROM associations
                                      WHERE portal_id = q.portal_id AND to_type = q.object_type AND to_id = q.object_id
                                        AND from_type = 'deals')) END AS "dealValues",
            CASE WHEN q.object_type = 'contacts' THEN (
              SELECT json_build_object('key', k.key, 'candidates',
                       (SELECT coalesce(json_agg(json_build_object('id', c.id::text, 'value', c.value) ORDER BY c.id), '[]')
                          FROM (SELECT o.id, o.properties ->> 'email' AS value FROM contacts o
                                 WHERE o.portal_id = q.portal_id AND NOT o.archived
                                   AND lower(btrim(o.properties ->> 'email')) = k.key
                                 ORDER BY o.id LIMIT $5) c))
                FROM (SELECT lower(btrim(x.properties ->> 'email')) AS key FROM contacts x
                       WHERE x.portal_id = q.portal_id AND x.id = q.object_id) k
               WHERE k.key <> '') END AS "emailPeers",
            CASE WHEN q.object_type = 'deals' AND q.model IS NOT NULL THEN (
              SELECT coalesce(json_agg(json_build_object(
                       'touchId', NULLIF(c.touch_id, ''), 'channel', c.channel, 'campaignId', c.campaign_id,
                       'cents', c.cents, 'computedAt', floor(extract(epoch FROM c.computed_at) * 1000)::bigint,
                       'contactId', t.contact_id, 'occurredAt', floor(extract(epoch FROM t.occurred_at) * 1000)::bigint,
                       'trackable', t.trackable, 'source', t.source, 'offerId', t.offer_id, 'contentId', t.content_id)
                     ORDER BY t.occurred_at NULLS LAST, c.touch_id), '[]')
                FROM attribution_credits c
                LEFT JOIN touches t ON t.portal_id = c.portal_id AND t.id = c.touch_id
               WHERE c.portal_id = q.portal_id AND c.deal_id = q.object_id AND c.model = q.model AND c.kind = q.kind) END AS credits
       FROM unnest($1::bigint[], $2::text[], $3::bigint[], $6::text[], $7::text[])
              WITH ORDINALITY AS q(portal_id, object_type, object_id, model, kind, n)
       JOIN portals p ON p.portal_id = q.portal_id`,
    values: [
      keys.map((k) => k.portalId),
      keys.map((k) => k.objectType),
      keys.map((k) => k.objectId),
      options.newestTouches,
      options.emailPeers,
      keys.map((k) => k.credits?.model ?? null),
      keys.map((k) => k.credits?.kind ?? null),
    ],
  });
  const answers: (CardSnapshot | undefined)[] = Array.from({ length: keys.length }, () => undefined);
  for (const { n, ...snapshot } of rows) answers[n - 1] = snapshot;
  return answers;
}

export type DealCreditRow = {
  touchId: string | null;
  channel: string;
  campaignId: string | null;
  cents: number;
  /** Epoch milliseconds (as `Date#getTime` gives them). */
  computedAt: number;
  contactId: number | null;
  /** Epoch milliseconds; null without a touch. */
  occurredAt: number | null;
  trackable: boolean | null;
  source: 'hubspot_event' | 'ingest' | 'derived' | null;
  offerId: string | null;
  contentId: string | null;
};

/** Which credits a deal card shows: the deal, the attribution model and the kind. */
export type DealCreditsKey = { portalId: number; dealId: number; model: string; kind: 'pipeline' | 'revenue' };

/**
 * For each key, the deal's stored credit rows of that model and kind, each with the touch it credits
 * (none for unattributed), ordered by the touch's time; all keys in one round trip.
 */
export async function dealCreditsOf(db: Queryable, keys: readonly DealCreditsKey[]): Promise<DealCreditRow[][]> {
  const { rows } = await db.query<DealCreditRow & { n: number }>({
    name: 'card-deal-credits',
    text: `SELECT q.n::int AS n, NULLIF(c.touch_id, '') AS "touchId", c.channel, c.campaign_id AS "campaignId", c.cents,
            floor(extract(epoch FROM c.computed_at) * 1000)::bigint AS "computedAt", t.contact_id AS "contactId",
            floor(extract(epoch FROM t.occurred_at) * 1000)::bigint AS "occurredAt",
            t.trackable, t.source, t.offer_id AS "offerId", t.content_id AS "contentId"
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS q(portal_id, deal_id, model, kind, n)
       JOIN attribution_credits c
         ON c.portal_id = q.portal_id AND c.deal_id = q.deal_id AND c.model = q.model AND c.kind = q.kind
       LEFT JOIN touches t ON t.portal_id = c.portal_id AND t.id = c.touch_id
      ORDER BY q.n, t.occurred_at NULLS LAST, c.touch_id`,
    values: [keys.map((k) => k.portalId), keys.map((k) => k.dealId), keys.map((k) => k.model), keys.map((k) => k.kind)],
  });
  const answers: DealCreditRow[][] = keys.map(() => []);
  for (const { n, ...row } of rows) answers[n - 1]!.push(row);
  return answers;
}

/** Which records a duplicate rule can group with one record: its portal and the lookup keys of its value. */
export type DuplicateLookup = { portalId: number; keys: readonly string[] };

/**
 * For each lookup, the records of a type whose value of `property`, lower-cased and trimmed of spaces,
 * is one of its keys: the candidates a duplicate rule can group with a record (the rule's own
 * normalisation then decides). At most `limit` per lookup, lowest ids first; all lookups in one round trip.
 */
export async function duplicateCandidatesOf(
  db: Queryable,
  objectType: MirrorTable,
  property: string,
  lookups: readonly DuplicateLookup[],
  limit: number,
): Promise<{ id: string; value: string | null }[][]> {
  // One row per key; a lookup's rows are merged below. The property is a parameter that custom plans
  // see, so the expression indexes of 0011 (contacts' email, companies' domain) serve the lookup.
  const flat = lookups.flatMap((lookup, n) => lookup.keys.map((key) => ({ n, portalId: lookup.portalId, key })));
  const { rows } = await db.query<{ n: number; id: number; value: string | null }>({
    name: 'card-duplicate-candidates',
    text: `SELECT k.n::int AS n, c.id, c.value
       FROM unnest($3::int[], $4::bigint[], $5::text[]) AS k(n, portal_id, key)
       CROSS JOIN LATERAL (
         SELECT r.id, r.properties ->> $2 AS value FROM crm_records r
          WHERE r.portal_id = k.portal_id AND r.object_type = $1 AND NOT r.archived
            AND lower(btrim(r.properties ->> $2)) = k.key
          ORDER BY r.id LIMIT $6) c`,
    values: [objectType, property, flat.map((f) => f.n), flat.map((f) => f.portalId), flat.map((f) => f.key), limit],
  });
  const byLookup: { id: number; value: string | null }[][] = lookups.map(() => []);
  for (const row of rows) byLookup[row.n]!.push(row);
  // A record's value lowers to one key only, so a lookup's rows are distinct: its `limit` lowest ids
  // over all its keys are among each key's `limit` lowest.
  return byLookup.map((found) =>
    found
      .sort((a, b) => a.id - b.id)
      .slice(0, limit)
      .map((r) => ({ id: String(r.id), value: r.value })),
  );
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
