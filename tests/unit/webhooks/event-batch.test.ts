import { describe, expect, it } from 'vitest';
import { eventIdOf, parseEventBatch } from '../../../server/webhooks/event-batch.ts';
import { isOwnWrite } from '../../../server/webhooks/own-write.ts';

// A captured 2026 delivery's shape (server/sandbox/webhooks/README.md).
const CAPTURED = {
  eventId: 4101286121,
  subscriptionId: 7562680,
  portalId: 247187887,
  appId: 50780459,
  occurredAt: 1787843156000,
  subscriptionType: 'contact.propertyChange',
  attemptNumber: 1,
  objectId: 541935488729,
  propertyName: 'email',
  propertyValue: 'a@b.example',
  changeSource: 'INTEGRATION',
  sourceId: '50780459',
};

describe('parseEventBatch', () => {
  it('reads the keys of a delivery’s events (the inbox stores the body itself, unknown fields included)', () => {
    const extra = { ...CAPTURED, eventId: '7', someFieldHubSpotAddsLater: true };
    const parsed = parseEventBatch(JSON.stringify([CAPTURED, extra]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // A number and a numeric string name events the same way.
    expect(parsed.events.map(eventIdOf)).toEqual(['4101286121', '7']);
    expect(eventIdOf({ eventId: 7 })).toBe(eventIdOf({ eventId: '7' }));
    expect(parsed.events[1]).toEqual({
      eventId: '7',
      portalId: CAPTURED.portalId,
      occurredAt: CAPTURED.occurredAt,
      subscriptionType: CAPTURED.subscriptionType,
      objectId: CAPTURED.objectId,
      changeSource: CAPTURED.changeSource,
      sourceId: CAPTURED.sourceId,
    });
  });

  it('says what is wrong with a malformed batch', () => {
    const problem = (body: string) => {
      const parsed = parseEventBatch(body);
      return parsed.ok ? 'parsed' : parsed.problem;
    };
    expect(problem('{')).toMatch(/^body is not JSON/);
    expect(problem('{}')).toMatch(/\(body\): .*expected array/);
    expect(problem('[]')).toMatch(/at least one event/);
    expect(problem(JSON.stringify([{ ...CAPTURED, portalId: -1 }]))).toMatch(/^0\.portalId/);
    expect(problem(JSON.stringify([{ ...CAPTURED, occurredAt: '2026-01-01' }]))).toMatch(/^0\.occurredAt/);
    expect(problem(JSON.stringify([{ ...CAPTURED, subscriptionType: 'nonsense' }]))).toMatch(/^0\.subscriptionType/);
    expect(problem(JSON.stringify(Array.from({ length: 1_001 }, () => CAPTURED)))).toMatch(/at most 1000/);
  });
});

describe('isOwnWrite', () => {
  it('recognises the app’s own API writes by changeSource and sourceId', () => {
    expect(isOwnWrite(CAPTURED, '50780459')).toBe(true);
    expect(isOwnWrite({ ...CAPTURED, changeSource: 'API' }, '50780459')).toBe(true);
    expect(isOwnWrite(CAPTURED, '1000001')).toBe(false);
    expect(isOwnWrite({ ...CAPTURED, changeSource: 'CRM_UI' }, '50780459')).toBe(false);
    expect(isOwnWrite({ changeSource: 'INTEGRATION' }, '50780459')).toBe(false);
  });
});
