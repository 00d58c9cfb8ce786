import { z } from 'zod';
import { PortalId } from '../jobs/portal-payload.ts';

/**
 * The body of a HubSpot webhook delivery: a JSON array of events (HubSpot sends up to 100 a request).
 * Only the fields the inbox keys and indexes on are checked and kept here: the inbox stores the body
 * itself, every event whole with fields unknown to us (HubSpot adds fields over time and the drain may
 * want them). Kept cheap on purpose, as it runs on every event of every delivery (hundreds of
 * deliveries a second): no transforms, unknown keys dropped rather than copied.
 */

const MAX_EVENTS = 1_000; // 10× HubSpot's batch size: tolerant, but a bound on what one request may insert.

const SafeId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** HubSpot sends numbers; a numeric string is accepted too, as ids are strings elsewhere in its APIs. */
const EventId = z.union([SafeId, z.string().regex(/^\d{1,30}$/, 'must be a numeric id')]);

export const WebhookEvent = z.object({
  eventId: EventId,
  portalId: PortalId,
  /** Epoch milliseconds. */
  occurredAt: SafeId,
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/, 'must look like "contact.propertyChange"'),
  /** Absent on no HubSpot event type we know of, but the inbox column is nullable, so tolerate it. */
  objectId: SafeId.optional(),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
});
export type WebhookEvent = z.output<typeof WebhookEvent>;

/** The inbox's key of an event: HubSpot's id as text, the same whether it came as a number or a numeric string. */
export function eventIdOf(event: Pick<WebhookEvent, 'eventId'>): string {
  return String(event.eventId);
}

export const WebhookEventBatch = z
  .array(WebhookEvent)
  .min(1, 'a delivery holds at least one event')
  .max(MAX_EVENTS, `a delivery holds at most ${MAX_EVENTS} events`);

export type BatchParse = { ok: true; events: WebhookEvent[] } | { ok: false; problem: string };

/** Parses a raw body (JSON text) into events; `problem` says what was wrong, for the 400 answer. */
export function parseEventBatch(rawBody: string): BatchParse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return { ok: false, problem: `body is not JSON: ${(error as Error).message}` };
  }
  const parsed = WebhookEventBatch.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    const more = parsed.error.issues.length - issues.length;
    return { ok: false, problem: issues.join('; ') + (more > 0 ? ` (and ${more} more)` : '') };
  }
  // The inbox stores the body itself (each element as HubSpot sent it); these are the keys read from it.
  return { ok: true, events: parsed.data };
}
