import { describe, expect, it } from 'vitest';
import { coalesceByObject, type PendingInboxEvent } from '../../../server/webhooks/object-changes.ts';

let next = 1;
const event = (subscription: string, objectId: number | null, extra: Partial<PendingInboxEvent> = {}) => ({
  eventId: String(next++),
  subscription,
  objectId,
  occurredAt: new Date(1_700_000_000_000 + next),
  ownWrite: false,
  payload: {},
  ...extra,
});

describe('coalesceByObject', () => {
  it('groups events per object in order, with the kinds of change each had', () => {
    const events = [
      event('deal.propertyChange', 7),
      event('contact.creation', 3),
      event('deal.propertyChange', 7),
      event('deal.associationChange', 7),
      event('contact.privacyDeletion', 3),
    ];
    const { changes, skipped } = coalesceByObject(events);
    expect(skipped).toBe(0);
    expect(changes.map((c) => [c.object, c.objectId, c.kinds, c.events.map((e) => e.eventId)])).toEqual([
      [
        'deal',
        7,
        ['propertyChange', 'associationChange'],
        [events[0]!.eventId, events[2]!.eventId, events[3]!.eventId],
      ],
      ['contact', 3, ['creation', 'privacyDeletion'], [events[1]!.eventId, events[4]!.eventId]],
    ]);
  });

  it("skips the app's own writes and events it cannot place", () => {
    const { changes, skipped } = coalesceByObject([
      event('deal.propertyChange', 7, { ownWrite: true }),
      event('conversation.creation', 8),
      event('ticket.creation', null),
      event('ticket.creation', 9),
    ]);
    expect(skipped).toBe(3);
    expect(changes.map((c) => `${c.object}/${c.objectId}`)).toEqual(['ticket/9']);
  });
});
