import { Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { validationError } from '../errors.ts';
import type { StoredEvent } from '../store.ts';
import { intParam, listParam, objectType, stringParam } from './params.ts';

/**
 * Events v3 (`client.events.eventsApi.getPage`): occurrences filtered by object, event type, time and id,
 * newest first unless `sort=occurredAt`. `objectType` answers as HubSpot names it (`CONTACT`).
 * occurredAfter/occurredBefore are exclusive bounds.
 */
export const EVENT_LIMITS = { defaultLimit: 100, maxLimit: 1000 };
const NAMES = { contacts: 'CONTACT', companies: 'COMPANY', deals: 'DEAL', tickets: 'TICKET' } as const;

const instant = (raw: unknown, name: string): number | undefined => {
  const text = stringParam(raw);
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms)) throw validationError(`${name} must be a date-time, got: ${text}`);
  return ms;
};

export function eventRoutes(ctx: SandboxContext): Router {
  const router = Router();
  router.get(['/events/v3/events', '/events/v3/events/'], (req, res) => {
    const type = req.query.objectType === undefined ? undefined : objectType(stringParam(req.query.objectType));
    const objectId = stringParam(req.query.objectId);
    const eventType = stringParam(req.query.eventType);
    const after = instant(req.query.occurredAfter, 'occurredAfter');
    const before = instant(req.query.occurredBefore, 'occurredBefore');
    const ids = listParam(req.query.id);
    const sort = listParam(req.query.sort)?.[0] ?? '-occurredAt';
    if (sort !== 'occurredAt' && sort !== '-occurredAt')
      throw validationError('sort must be occurredAt or -occurredAt');
    const limit = intParam(req.query.limit, 'limit', {
      min: 1,
      max: EVENT_LIMITS.maxLimit,
      fallback: EVENT_LIMITS.defaultLimit,
    });
    const offset = intParam(req.query.after, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const matches = (e: StoredEvent) =>
      (type === undefined || e.objectType === type) &&
      (objectId === undefined || e.objectId === objectId) &&
      (eventType === undefined || e.eventType === eventType) &&
      (after === undefined || e.occurredAtMs > after) &&
      (before === undefined || e.occurredAtMs < before) &&
      (ids === undefined || ids.includes(e.id));
    const all = ctx.store.sortedEvents().filter(matches);
    if (sort === '-occurredAt') all.reverse();
    const page = all.slice(offset, offset + limit);
    const next = offset + page.length;
    res.json({
      results: page.map((e) => ({
        objectType: NAMES[e.objectType],
        objectId: e.objectId,
        eventType: e.eventType,
        occurredAt: e.occurredAt,
        id: e.id,
        properties: e.properties ?? {},
      })),
      ...(next < all.length ? { paging: { next: { after: String(next) } } } : {}),
    });
  });
  return router;
}
