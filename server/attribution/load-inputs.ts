import type { Queryable } from '../db/pool.ts';
import type { ContactRecord, HubSpotEvent, IngestTouch } from '../domain/attribution/index.ts';

/** Every live contact with the properties attribution reads (createdate, email, hs_analytics_source…). */
export async function loadContacts(db: Queryable, portalId: number): Promise<ContactRecord[]> {
  const { rows } = await db.query<{ id: string; properties: Record<string, string | null> }>(
    `SELECT id::text AS id, properties FROM contacts WHERE portal_id = $1 AND NOT archived ORDER BY id`,
    [portalId],
  );
  return rows;
}

/** The events the sync stored, as the events API gave them. */
export async function loadEvents(db: Queryable, portalId: number): Promise<HubSpotEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT id, event_type, object_type, object_id::text AS object_id, occurred_at, properties
       FROM hubspot_events WHERE portal_id = $1 ORDER BY id`,
    [portalId],
  );
  return rows.map(eventOf);
}

type EventRow = {
  id: string;
  event_type: string;
  object_type: string;
  object_id: string;
  occurred_at: Date;
  properties: Record<string, string | null>;
};

function eventOf(r: EventRow): HubSpotEvent {
  return {
    id: r.id,
    eventType: r.event_type,
    objectType: r.object_type,
    objectId: r.object_id,
    occurredAt: r.occurred_at.toISOString(),
    properties: r.properties,
  };
}

/** The offline touches the ingest API received. */
export async function loadIngestedTouches(db: Queryable, portalId: number): Promise<IngestTouch[]> {
  const { rows } = await db.query<IngestRow>(
    `SELECT id, occurred_at, channel, campaign_id, offer_id, content_id, contact_id::text AS contact_id, contact_email
       FROM ingested_touches WHERE portal_id = $1 ORDER BY id`,
    [portalId],
  );
  return rows.map(ingestOf);
}

type IngestRow = {
  id: string;
  occurred_at: Date;
  channel: string;
  campaign_id: string | null;
  offer_id: string | null;
  content_id: string | null;
  contact_id: string | null;
  contact_email: string | null;
};

function ingestOf(r: IngestRow): IngestTouch {
  return {
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    channel: r.channel,
    campaignId: r.campaign_id,
    offerId: r.offer_id,
    contentId: r.content_id,
    contactId: r.contact_id,
    contactEmail: r.contact_email,
  };
}

/*
 * The same inputs for some contacts only, for incremental runs. Matching an ingested touch by email
 * needs every contact sharing the address (the survivor is the lowest id), so `contactsSharingAddresses`
 * widens a set of contacts first. The SQL narrows by the mirror's trimmed, lower-cased `email`, a
 * superset of section 7's matching; the domain's matcher makes the actual choice.
 */

/** The contacts with one of the given contacts' addresses, or the address of an ingested touch they hold. */
export async function contactsSharingAddresses(
  db: Queryable,
  portalId: number,
  contactIds: readonly number[],
): Promise<number[]> {
  if (contactIds.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `WITH addresses AS (
       SELECT email FROM contacts WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND email <> ''
       UNION
       SELECT lower(btrim(i.contact_email)) FROM touches t
         JOIN ingested_touches i ON i.portal_id = t.portal_id AND i.id = t.id
        WHERE t.portal_id = $1 AND t.source = 'ingest' AND t.contact_id = ANY($2::bigint[])
          AND i.contact_email IS NOT NULL)
     SELECT c.id FROM contacts c JOIN addresses a ON c.email = a.email WHERE c.portal_id = $1 AND NOT c.archived
     UNION
     SELECT unnest($2::bigint[])`,
    [portalId, contactIds],
  );
  return rows.map((r) => Number(r.id));
}

export async function loadContactsByIds(
  db: Queryable,
  portalId: number,
  contactIds: readonly number[],
): Promise<ContactRecord[]> {
  const { rows } = await db.query<{ id: string; properties: Record<string, string | null> }>(
    `SELECT id::text AS id, properties FROM contacts
      WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND NOT archived ORDER BY id`,
    [portalId, contactIds],
  );
  return rows;
}

export async function loadEventsOfContacts(
  db: Queryable,
  portalId: number,
  contactIds: readonly number[],
): Promise<HubSpotEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT id, event_type, object_type, object_id::text AS object_id, occurred_at, properties
       FROM hubspot_events WHERE portal_id = $1 AND object_type = 'contacts' AND object_id = ANY($2::bigint[])
      ORDER BY id`,
    [portalId, contactIds],
  );
  return rows.map(eventOf);
}

/**
 * The ingested touches that can match one of these contacts: named by id, or by an address one of
 * them has when the id names no live contact (section 7 falls back to the email then).
 */
export async function loadIngestedTouchesFor(
  db: Queryable,
  portalId: number,
  contactIds: readonly number[],
): Promise<IngestTouch[]> {
  const { rows } = await db.query<IngestRow>(
    `SELECT i.id, i.occurred_at, i.channel, i.campaign_id, i.offer_id, i.content_id, i.contact_id::text AS contact_id,
            i.contact_email
       FROM ingested_touches i
      WHERE i.portal_id = $1
        AND (i.contact_id = ANY($2::bigint[])
             OR (lower(btrim(i.contact_email)) IN
                   (SELECT email FROM contacts WHERE portal_id = $1 AND id = ANY($2::bigint[]) AND email <> '')
                 AND (i.contact_id IS NULL
                      OR NOT EXISTS (SELECT 1 FROM contacts c
                                      WHERE c.portal_id = $1 AND c.id = i.contact_id AND NOT c.archived))))
      ORDER BY i.id`,
    [portalId, contactIds],
  );
  return rows.map(ingestOf);
}
