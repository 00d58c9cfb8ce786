import type { Queryable } from '../pool.ts';

export type IngestedTouch = {
  id: string;
  occurredAt: string;
  channel: string;
  campaignId: string | null;
  offerId: string | null;
  contentId: string | null;
  contactId: number | null;
  contactEmail: string | null;
};

/** Stores a batch of touches; a touch whose id the portal already has is left as it was. Returns how many were new. */
export async function insertIngestedTouches(
  db: Queryable,
  portalId: number,
  touches: IngestedTouch[],
): Promise<number> {
  const rows = touches.map((t) => ({
    id: t.id,
    occurred_at: t.occurredAt,
    channel: t.channel,
    campaign_id: t.campaignId,
    offer_id: t.offerId,
    content_id: t.contentId,
    contact_id: t.contactId,
    contact_email: t.contactEmail,
  }));
  const { rowCount } = await db.query(
    `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, campaign_id, offer_id, content_id, contact_id, contact_email)
     SELECT $1, t.id, t.occurred_at, t.channel, t.campaign_id, t.offer_id, t.content_id, t.contact_id, t.contact_email
       FROM jsonb_to_recordset($2::jsonb) AS t(id text, occurred_at timestamptz, channel text, campaign_id text,
                                               offer_id text, content_id text, contact_id bigint, contact_email text)
     ON CONFLICT (portal_id, id) DO NOTHING`,
    [portalId, JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

export type SpendRow = { month: string; channel: string; campaignId: string | null; cents: number };

/** Monthly spend per channel (and campaign): the latest figure for a month replaces the earlier one. */
export async function upsertAdSpend(db: Queryable, portalId: number, spend: SpendRow[]): Promise<number> {
  const rows = spend.map((s) => ({
    month: `${s.month}-01`,
    channel: s.channel,
    campaign_id: s.campaignId ?? '',
    cents: s.cents,
  }));
  const { rowCount } = await db.query(
    `INSERT INTO ad_spend (portal_id, month, channel, campaign_id, cents)
     SELECT $1, s.month, s.channel, s.campaign_id, s.cents
       FROM jsonb_to_recordset($2::jsonb) AS s(month date, channel text, campaign_id text, cents bigint)
     ON CONFLICT (portal_id, month, channel, campaign_id) DO UPDATE SET cents = EXCLUDED.cents, received_at = now()`,
    [portalId, JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}
