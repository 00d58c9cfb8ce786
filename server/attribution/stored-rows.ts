import type { CreditRecord, TouchRow } from '../db/repositories/attribution.ts';
import type { CreditRow, Touch } from '../domain/attribution/index.ts';

/** The domain's touches and credits as the attribution tables store them, and back. */

export function toTouchRow(t: Touch): TouchRow {
  return {
    id: t.id,
    source: t.source,
    contactId: Number(t.contactId),
    occurredAt: new Date(t.time),
    channel: t.channel,
    trackable: t.trackable,
    campaignId: t.campaignId,
    offerId: t.offerId,
    contentId: t.contentId,
  };
}

export function fromTouchRow(row: TouchRow): Touch {
  return {
    id: row.id,
    source: row.source,
    contactId: String(row.contactId),
    time: row.occurredAt.getTime(),
    channel: row.channel,
    trackable: row.trackable,
    campaignId: row.campaignId,
    offerId: row.offerId,
    contentId: row.contentId,
  };
}

export function toCreditRecord(row: CreditRow): CreditRecord {
  return {
    dealId: Number(row.dealId),
    model: row.model,
    kind: row.kind,
    touchId: row.touchId,
    channel: row.channel,
    campaignId: row.campaignId,
    cents: row.cents,
  };
}
