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
  const { rows } = await db.query<{
    id: string;
    event_type: string;
    object_type: string;
    object_id: string;
    occurred_at: Date;
    properties: Record<string, string | null>;
  }>(
    `SELECT id, event_type, object_type, object_id::text AS object_id, occurred_at, properties
       FROM hubspot_events WHERE portal_id = $1 ORDER BY id`,
    [portalId],
  );
  return rows.map((r) => ({
    id: r.id,
    eventType: r.event_type,
    objectType: r.object_type,
    objectId: r.object_id,
    occurredAt: r.occurred_at.toISOString(),
    properties: r.properties,
  }));
}

/** The offline touches the ingest API received. */
export async function loadIngestedTouches(db: Queryable, portalId: number): Promise<IngestTouch[]> {
  const { rows } = await db.query<{
    id: string;
    occurred_at: Date;
    channel: string;
    campaign_id: string | null;
    offer_id: string | null;
    content_id: string | null;
    contact_id: string | null;
    contact_email: string | null;
  }>(
    `SELECT id, occurred_at, channel, campaign_id, offer_id, content_id, contact_id::text AS contact_id, contact_email
       FROM ingested_touches WHERE portal_id = $1 ORDER BY id`,
    [portalId],
  );
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    channel: r.channel,
    campaignId: r.campaign_id,
    offerId: r.offer_id,
    contentId: r.content_id,
    contactId: r.contact_id,
    contactEmail: r.contact_email,
  }));
}
