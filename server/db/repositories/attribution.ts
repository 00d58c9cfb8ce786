import type { Queryable } from '../pool.ts';

/**
 * Rows a statement carries. A whole portal's touches or credits (millions of rows) can't go in one
 * statement: their JSON would pass the longest string V8 can make (about 512 MB), and would be held
 * whole in both processes. A few thousand rows a statement cost nothing measurable in round trips.
 */
const ROWS_PER_STATEMENT = 5_000;

function* chunks<T>(items: readonly T[]): Iterable<readonly T[]> {
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT)
    yield items.slice(start, start + ROWS_PER_STATEMENT);
}

export type TouchRow = {
  id: string;
  source: 'hubspot_event' | 'ingest' | 'derived';
  contactId: number;
  occurredAt: Date;
  channel: string;
  trackable: boolean;
  campaignId: string | null;
  offerId: string | null;
  contentId: string | null;
};

/**
 * Replaces a portal's touches with the given set. Touches are derived (from events, ingested rows and
 * contacts under the current definitions), so the derivation's output is the whole truth. Run in a
 * transaction with the credits that use them.
 */
export async function replaceTouches(db: Queryable, portalId: number, touches: TouchRow[]): Promise<void> {
  await db.query(`DELETE FROM touches WHERE portal_id = $1`, [portalId]);
  await insertTouches(db, portalId, touches);
}

/** Replaces the touches of some contacts (an incremental run derived theirs again). */
export async function replaceTouchesOfContacts(
  db: Queryable,
  portalId: number,
  contactIds: readonly number[],
  touches: TouchRow[],
): Promise<void> {
  await db.query(`DELETE FROM touches WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`, [portalId, contactIds]);
  await insertTouches(db, portalId, touches);
}

async function insertTouches(db: Queryable, portalId: number, touches: readonly TouchRow[]): Promise<void> {
  for (const chunk of chunks(touches)) {
    const rows = chunk.map((t) => ({
      id: t.id,
      source: t.source,
      contact_id: t.contactId,
      occurred_at: t.occurredAt.toISOString(),
      channel: t.channel,
      trackable: t.trackable,
      campaign_id: t.campaignId,
      offer_id: t.offerId,
      content_id: t.contentId,
    }));
    await db.query(
      `INSERT INTO touches (portal_id, id, source, contact_id, occurred_at, channel, trackable, campaign_id, offer_id, content_id)
       SELECT $1, t.id, t.source, t.contact_id, t.occurred_at, t.channel, t.trackable, t.campaign_id, t.offer_id, t.content_id
         FROM jsonb_to_recordset($2::jsonb) AS t(id text, source text, contact_id bigint, occurred_at timestamptz, channel text,
                                                 trackable boolean, campaign_id text, offer_id text, content_id text)`,
      [portalId, JSON.stringify(rows)],
    );
  }
}

/** The stored touches of some contacts, as the last run derived them. */
export async function listTouchesOfContacts(
  db: Queryable,
  portalId: number,
  contactIds: readonly number[],
): Promise<TouchRow[]> {
  if (contactIds.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    source: TouchRow['source'];
    contact_id: string;
    occurred_at: Date;
    channel: string;
    trackable: boolean;
    campaign_id: string | null;
    offer_id: string | null;
    content_id: string | null;
  }>(
    `SELECT id, source, contact_id, occurred_at, channel, trackable, campaign_id, offer_id, content_id
       FROM touches WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`,
    [portalId, contactIds],
  );
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    contactId: Number(r.contact_id),
    occurredAt: r.occurred_at,
    channel: r.channel,
    trackable: r.trackable,
    campaignId: r.campaign_id,
    offerId: r.offer_id,
    contentId: r.content_id,
  }));
}

export type CreditRecord = {
  dealId: number;
  model: string;
  kind: 'pipeline' | 'revenue';
  touchId: string | null;
  channel: string;
  campaignId: string | null;
  cents: number;
};

/** Replaces a portal's credits; an unattributed row is stored with touch id ''. */
export async function replaceCredits(
  db: Queryable,
  portalId: number,
  definitionsVersion: number,
  credits: CreditRecord[],
): Promise<void> {
  await db.query(`DELETE FROM attribution_credits WHERE portal_id = $1`, [portalId]);
  await insertCredits(db, portalId, definitionsVersion, credits);
}

/** Replaces the credits of some deals (a deal without new credits just loses its old ones). */
export async function replaceCreditsOfDeals(
  db: Queryable,
  portalId: number,
  definitionsVersion: number,
  dealIds: readonly number[],
  credits: CreditRecord[],
): Promise<void> {
  await db.query(`DELETE FROM attribution_credits WHERE portal_id = $1 AND deal_id = ANY($2::bigint[])`, [
    portalId,
    dealIds,
  ]);
  await insertCredits(db, portalId, definitionsVersion, credits);
}

async function insertCredits(
  db: Queryable,
  portalId: number,
  definitionsVersion: number,
  credits: readonly CreditRecord[],
): Promise<void> {
  for (const chunk of chunks(credits)) {
    const rows = chunk.map((c) => ({
      deal_id: c.dealId,
      model: c.model,
      kind: c.kind,
      touch_id: c.touchId ?? '',
      channel: c.channel,
      campaign_id: c.campaignId,
      cents: c.cents,
    }));
    await db.query(
      `INSERT INTO attribution_credits (portal_id, deal_id, model, kind, touch_id, channel, campaign_id, cents, definitions_version)
       SELECT $1, c.deal_id, c.model, c.kind, c.touch_id, c.channel, c.campaign_id, c.cents, $2
         FROM jsonb_to_recordset($3::jsonb) AS c(deal_id bigint, model text, kind text, touch_id text, channel text,
                                                 campaign_id text, cents bigint)`,
      [portalId, definitionsVersion, JSON.stringify(rows)],
    );
  }
}

export async function listCredits(
  db: Queryable,
  portalId: number,
): Promise<(CreditRecord & { definitionsVersion: number })[]> {
  const { rows } = await db.query<CreditRecord & { definitionsVersion: number }>(
    `SELECT deal_id AS "dealId", model, kind, NULLIF(touch_id, '') AS "touchId", channel, campaign_id AS "campaignId",
            cents, definitions_version AS "definitionsVersion"
       FROM attribution_credits WHERE portal_id = $1 ORDER BY deal_id, model, kind, touch_id`,
    [portalId],
  );
  return rows;
}
